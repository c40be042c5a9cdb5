import { describe, expect, it } from 'vitest';
import { imagesInProgram } from './program-images';
import type { ChartContext } from './template-scope';
import { defineSitesIn } from './template-parser';
import { parseYamlTrees } from './yaml-tree';

const HELPERS = `{{- define "app.Deployment" -}}
{{- $dot := (index .a 0) -}}
{{- range $_ := (list 1) -}}
{{- $containers := (list (dict "name" "app" "image" (printf "%s:%s" $dot.Values.image.repository $dot.Chart.AppVersion)) (dict "name" "agent" "image" (printf "agent:%s" $dot.Release.Revision))) -}}
{{- (dict "r" (dict "kind" "Deployment" "metadata" (dict "name" $dot.Release.Name) "spec" (dict "template" (dict "spec" (dict "initContainers" $dot.Values.init "containers" $containers))))) | toJson -}}
{{- break -}}
{{- end -}}
{{- end -}}
{{- define "app.Job" -}}
{{- if .Capabilities.APIVersions -}}
{{- (dict "r" (dict "kind" "Job" "spec" (dict "template" (dict "spec" (dict "containers" (list (dict "image" "job:1"))))))) | toJson -}}
{{- end -}}
{{- end -}}
{{- define "app.Service" -}}
{{- (dict "r" (dict "kind" "Service" "metadata" (dict "name" .Release.Name))) | toJson -}}
{{- end -}}`;

function context(values: string): ChartContext {
  const defines = new Map<string, string>();
  const defineSites = new Map<string, { file: string; line: number }>();
  for (const [name, { body, line }] of defineSitesIn(HELPERS)) {
    defines.set(name, body);
    defineSites.set(name, { file: 'app/templates/_app.tpl', line });
  }
  const tree = parseYamlTrees(values, 'app/values.yaml').documents[0];
  return { values: tree, chart: { name: 'app', appVersion: '1.0' }, defines, defineSites };
}

describe('imagesInProgram', () => {
  it('lists the images of the containers in what a template prints, and warns for those it cannot evaluate', () => {
    const text = `{{- range $_, $m := (list (get (fromJson (include "app.Deployment" (dict "a" (list .)))) "r") (get (fromJson (include "app.Job" .)) "r") (get (fromJson (include "app.Service" .)) "r")) }}
---
{{ toYaml $m }}
{{- end }}`;
    const findings = imagesInProgram('app/templates/all.yaml', text, {
      context: context('image: {repository: example/app}\ninit: [{name: wait, image: "busybox:1.36"}]'),
    });
    expect(findings).toEqual([
      {
        text: 'busybox:1.36',
        source: {
          file: 'app/templates/all.yaml',
          line: 1,
          keyPath: 'Deployment spec.template.spec.initContainers[0].image',
        },
        valuesRead: ['image.repository', 'init'],
      },
      {
        text: 'example/app:1.0',
        source: {
          file: 'app/templates/all.yaml',
          line: 1,
          keyPath: 'Deployment spec.template.spec.containers[0].image',
        },
        valuesRead: ['image.repository', 'init'],
      },
      {
        text: '<image of container "agent">',
        source: {
          file: 'app/templates/all.yaml',
          line: 1,
          keyPath: 'Deployment spec.template.spec.containers[1].image',
        },
        unresolved: '.Release (app/templates/_app.tpl:4) cannot be evaluated statically',
      },
      {
        text: '<the manifests of helper "app.Job">',
        source: { file: 'app/templates/all.yaml', line: 1 },
        unresolved: '.Capabilities (app/templates/_app.tpl:10) cannot be evaluated statically',
      },
    ]);
  });

  it('marks the images of a helm test pod', () => {
    const text = `{{ toYaml (dict "kind" "Pod" "metadata" (dict "annotations" (dict "helm.sh/hook" "test")) "spec" (dict "containers" (list (dict "image" "curl:8")))) }}`;
    expect(imagesInProgram('app/templates/tests/t.yaml', text, { context: context('') })).toEqual([
      {
        text: 'curl:8',
        source: { file: 'app/templates/tests/t.yaml', line: 1, keyPath: 'Pod spec.containers[0].image' },
        test: true,
      },
    ]);
  });
});
