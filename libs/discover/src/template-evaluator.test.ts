import { describe, expect, it } from 'vitest';
import { programScope, renderPieces, renderTemplate, rootScope } from './template-evaluator';
import { newTrace, type ChartContext } from './template-scope';
import { defineSitesIn, definesIn } from './template-parser';
import { parseYamlTrees } from './yaml-tree';

const BITNAMI_COMMON_IMAGE = `{{- define "common.images.image" -}}
{{- $registryName := default .imageRoot.registry ((.global).imageRegistry) -}}
{{- $repositoryName := .imageRoot.repository -}}
{{- $separator := ":" -}}
{{- $termination := .imageRoot.tag | toString -}}
{{- if not .imageRoot.tag }}
  {{- if .chart }}
    {{- $termination = .chart.AppVersion | toString -}}
  {{- end -}}
{{- end -}}
{{- if .imageRoot.digest }}
    {{- $separator = "@" -}}
    {{- $termination = .imageRoot.digest | toString -}}
{{- end -}}
{{- if $registryName }}
    {{- printf "%s/%s%s%s" $registryName $repositoryName $separator $termination -}}
{{- else -}}
    {{- printf "%s%s%s"  $repositoryName $separator $termination -}}
{{- end -}}
{{- end -}}`;

function context(values: string, templates: string[] = [], appVersion = '2.44.0'): ChartContext {
  const defines = new Map<string, string>();
  for (const text of templates) for (const [name, body] of definesIn(text)) defines.set(name, body);
  return { values: parseYamlTrees(values, 'values.yaml').documents[0], chart: { name: 'c', appVersion }, defines };
}

describe('renderTemplate', () => {
  it("evaluates bitnami's common.images.image with a digest, a global registry and the chart's appVersion", () => {
    const values =
      'global: {imageRegistry: ""}\nimage: {registry: docker.io, repository: bitnami/nginx, tag: 1.25.3, digest: ""}\nshell: {registry: docker.io, repository: bitnami/os-shell, tag: 12-debian-12-r16, digest: "sha256:abc"}';
    const ctx = context(values, [BITNAMI_COMMON_IMAGE]);
    expect(
      renderTemplate(
        '{{ include "common.images.image" (dict "imageRoot" .Values.image "global" .Values.global) }}',
        rootScope(ctx),
      ),
    ).toBe('docker.io/bitnami/nginx:1.25.3');
    expect(
      renderTemplate(
        '{{ include "common.images.image" (dict "imageRoot" .Values.shell "global" .Values.global) }}',
        rootScope(ctx),
      ),
    ).toBe('docker.io/bitnami/os-shell@sha256:abc');
    const mirrored = context(values.replace('imageRegistry: ""', 'imageRegistry: mirror.local'), [
      BITNAMI_COMMON_IMAGE,
    ]);
    expect(
      renderTemplate(
        '{{ include "common.images.image" (dict "imageRoot" .Values.image "global" .Values.global "chart" .Chart) }}',
        rootScope(mirrored),
      ),
    ).toBe('mirror.local/bitnami/nginx:1.25.3');
  });

  it('renders inline if blocks, default with printf of .Chart.AppVersion, trimPrefix and tpl of a values string', () => {
    const ctx = context(
      'image: {repository: ghcr.io/dexidp/dex, tag: "", digest: ""}\nedition: community\nsonar: {repository: sonarqube, tag: "10.6.0-{{ .Values.edition }}"}',
    );
    const dex =
      '{{ .Values.image.repository }}:{{ .Values.image.tag | default (printf "v%s" .Chart.AppVersion) }}{{ if .Values.image.digest }}@{{ .Values.image.digest }}{{ end }}';
    expect(renderTemplate(dex, rootScope(ctx))).toBe('ghcr.io/dexidp/dex:v2.44.0');
    expect(renderTemplate('x:{{ trimPrefix "v" .Chart.AppVersion }}', rootScope(context('', [], 'v1.2.3')))).toBe(
      'x:1.2.3',
    );
    expect(renderTemplate('{{ .Values.sonar.repository }}:{{ tpl .Values.sonar.tag . }}', rootScope(ctx))).toBe(
      'sonarqube:10.6.0-community',
    );
  });

  it("evaluates a chart's own tag helper, and records the values paths it read", () => {
    const helpers = `{{- define "jenkins.controller.tag" -}}
{{- if .Values.controller.image.tag -}}
{{- .Values.controller.image.tag -}}
{{- else -}}
{{- .Chart.AppVersion -}}-{{- .Values.controller.image.tagLabel -}}
{{- end -}}
{{- end -}}`;
    const ctx = context(
      'controller: {image: {registry: docker.io, repository: jenkins/jenkins, tag: "", tagLabel: jdk17}}',
      [helpers],
      '2.452.2',
    );
    const trace = newTrace();
    expect(
      renderTemplate(
        '{{ .Values.controller.image.registry }}/{{ .Values.controller.image.repository }}:{{- include "jenkins.controller.tag" . -}}',
        rootScope(ctx, trace),
      ),
    ).toBe('docker.io/jenkins/jenkins:2.452.2-jdk17');
    expect([...trace.read]).toEqual(
      expect.arrayContaining(['controller.image.repository', 'controller.image.tag', 'controller.image.tagLabel']),
    );
  });

  it('evaluates Sprig string functions on known inputs, and names the construct it cannot evaluate', () => {
    const ctx = context('v: sha256:abc\nname: My-App-Name-That-Is-Long');
    expect(
      renderTemplate(
        '{{ substr 0 7 .Values.v }}|{{ trunc 6 .Values.name | lower }}|{{ trunc -4 .Values.name }}',
        rootScope(ctx),
      ),
    ).toBe('sha256:|my-app|Long');
    expect(
      renderTemplate(
        '{{ regexReplaceAll "-(.)" .Values.name "_${1}" }}|{{ splitList "-" .Values.name | join "." }}|{{ (split "-" .Values.name)._1 }}',
        rootScope(ctx),
      ),
    ).toBe('My_App_Name_That_Is_Long|My.App.Name.That.Is.Long|App');
    expect(
      renderTemplate(
        '{{ if semverCompare ">=1.28-0" "v1.29.1-eks-1" }}new{{ end }}{{ if semverCompare "^1.2.0" "1.9.0" }}+{{ end }}{{ if semverCompare ">=1.21" "v1.29.1-eks-1" }}!{{ end }}',
        rootScope(ctx),
      ),
    ).toBe('new+');
    const trace = newTrace();
    expect(renderTemplate('{{ sha256sum .Values.name }}', rootScope(ctx, trace))).toBeUndefined();
    expect(trace.cannot).toBe('function sha256sum');
  });

  it('knows what it cannot know: .Release, range over values, unknown helpers', () => {
    const ctx = context('list: [a]');
    expect(renderTemplate('{{ .Release.Name }}/x:1', rootScope(ctx))).toBeUndefined();
    expect(renderTemplate('{{ range .Values.list }}{{ . }}{{ end }}', rootScope(ctx))).toBeUndefined();
    expect(renderTemplate('{{ include "nowhere" . }}', rootScope(ctx))).toBeUndefined();
    expect(renderTemplate('{{ .Values.list | toYaml }}', rootScope(ctx))).toBeUndefined();
  });

  it('records the switch of an enabled: false map a path passes through', () => {
    const trace = newTrace();
    renderTemplate(
      '{{ .Values.metrics.image.repository }}',
      rootScope(context('metrics: {enabled: false, image: {repository: x/m}}'), trace),
    );
    expect([...trace.switches]).toEqual(['metrics.enabled=true']);
  });
});

describe('programs (charts generated by gotohelm)', () => {
  const HELPERS = `{{- define "app.image" -}}
{{- $state := (index .a 0) -}}
{{- range $_ := (list 1) -}}
{{- $_is_returning := false -}}
{{- $tag := $state.Values.image.tag -}}
{{- if (eq $tag "") -}}
{{- $tag = $state.Chart.AppVersion -}}
{{- end -}}
{{- if (not (empty $state.Values.image.registry)) -}}
{{- $_is_returning = true -}}
{{- (dict "r" (printf "%s/%s:%s" $state.Values.image.registry $state.Values.image.repository $tag)) | toJson -}}
{{- break -}}
{{- end -}}
{{- $_is_returning = true -}}
{{- (dict "r" (printf "%s:%s" $state.Values.image.repository $tag)) | toJson -}}
{{- break -}}
{{- end -}}
{{- end -}}
{{- define "app.name" -}}
{{- $name := "app" -}}
{{- if (not (contains .Release.Name $name)) -}}
{{- $name = (printf "%s-%s" .Release.Name $name) -}}
{{- end -}}
{{- (dict "r" $name) | toJson -}}
{{- end -}}`;

  function program(values: string, template: string) {
    const defines = new Map<string, string>();
    const defineSites = new Map<string, { file: string; line: number }>();
    for (const [name, { body, line }] of defineSitesIn(HELPERS)) {
      defines.set(name, body);
      defineSites.set(name, { file: 'templates/_helpers.tpl', line });
    }
    const ctx: ChartContext = {
      values: parseYamlTrees(values, 'values.yaml').documents[0],
      chart: { name: 'app', appVersion: 'v1.2.0' },
      defines,
      defineSites,
    };
    return renderPieces(template, programScope(ctx, 'templates/entry.yaml'))!;
  }

  it('runs helpers that return structures through toJson and fromJson, with range, break and early returns', () => {
    const state = '(dict "Values" .Values.AsMap "Chart" .Chart)';
    const [piece] = program(
      'image: {registry: "", repository: example/app, tag: ""}',
      `{{ (get (fromJson (include "app.image" (dict "a" (list ${state})))) "r") }}`,
    );
    expect(piece).toBe('example/app:v1.2.0');
    const [withRegistry] = program(
      'image: {registry: r.io, repository: example/app, tag: "2"}',
      `{{ (get (fromJson (include "app.image" (dict "a" (list ${state})))) "r") }}`,
    );
    expect(withRegistry).toBe('r.io/example/app:2');
  });

  it('carries what it cannot know as an unknown naming the construct, file and line, and runs on past it', () => {
    const pieces = program(
      'image: {repository: example/app, tag: "1"}',
      `{{- $m := (dict "name" (get (fromJson (include "app.name" .)) "r") "image" (printf "%s:%s" .Values.image.repository .Values.image.tag)) -}}
{{ toJson $m }}`,
    );
    const manifest = pieces.find((p) => typeof p !== 'string' && p.kind === 'scalar');
    const json = manifest && typeof manifest !== 'string' && manifest.kind === 'scalar' ? manifest.json : undefined;
    expect(json?.kind === 'dict' && json.entries.get('image')).toMatchObject({ text: 'example/app:1' });
    expect(json?.kind === 'dict' && json.entries.get('name')).toMatchObject({
      kind: 'unknown',
      why: '.Release',
      at: 'templates/_helpers.tpl:21',
    });
  });

  it('sees a set on the values later, and makes a variable assigned under an unknown condition unknown', () => {
    const pieces = program(
      'a: {b: old}',
      `{{- $v := .Values.AsMap -}}{{- $_ := set $v.a "b" "new" -}}{{ .Values.a.b }}
{{- $x := "known" -}}{{- if .Capabilities.APIVersions -}}{{- $x = "other" -}}{{- end -}}{{ $x }}`,
    );
    expect(pieces[0]).toBe('new');
    expect(pieces[1]).toMatchObject({ kind: 'unknown', why: '.Capabilities', at: 'templates/entry.yaml:2' });
  });

  it('keeps the known elements of a list an unknown list was concatenated to', () => {
    const [piece] = program('', `{{ toJson (concat (list "a") (list .Release.Name) .Files.Glob) }}`);
    expect(piece).toMatchObject({ kind: 'scalar', json: { kind: 'list' } });
    const items =
      typeof piece !== 'string' && piece.kind === 'scalar' && piece.json?.kind === 'list' ? piece.json.items : [];
    expect(items.map((i) => i.kind)).toEqual(['scalar', 'unknown', 'unknown']);
  });

  it("reads a subchart's values and chart through .Subcharts", () => {
    const sub: ChartContext = {
      values: parseYamlTrees('image: {repository: example/console}', 'charts/console/values.yaml').documents[0],
      chart: { name: 'console', appVersion: 'v3.9.0' },
      defines: new Map(),
    };
    const ctx: ChartContext = {
      values: undefined,
      chart: { name: 'app' },
      defines: new Map(),
      subcharts: new Map([['console', sub]]),
    };
    const pieces = renderPieces(
      '{{ $c := index .Subcharts "console" }}{{ $c.Values.image.repository }}:{{ $c.Chart.AppVersion }}',
      programScope(ctx, 'templates/entry.yaml'),
    );
    expect(pieces).toEqual(['example/console', ':', 'v3.9.0']);
    expect(renderTemplate('{{ .Subcharts.console.Values.image.repository }}', rootScope(ctx))).toBeUndefined();
  });
});
