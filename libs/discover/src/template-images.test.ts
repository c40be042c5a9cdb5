import { describe, expect, it } from 'vitest';
import { definesIn } from './template-parser';
import { imagesInTemplate } from './template-images';
import { parseYamlTrees } from './yaml-tree';

const scan = (template: string, values: string, helpers = '') =>
  imagesInTemplate('t.yaml', template, {
    context: {
      values: parseYamlTrees(values, 'values.yaml').documents[0],
      chart: { name: 'c', appVersion: '2.0.0' },
      defines: definesIn(helpers),
    },
  })
    .filter((f) => !f.neverRendered)
    .map(
      (f) =>
        `${f.text}${f.optional ? ` (${f.optional.join(' ')})` : ''}${f.unresolved ? ' (unresolved)' : ''}${f.test ? ' (test)' : ''}`,
    );

describe('imagesInTemplate', () => {
  it('evaluates .Values paths, default, printf, quote, variables and helpers', () => {
    const template = [
      'image: "{{ .Values.a.repository }}:{{ .Values.a.tag | default .Chart.AppVersion }}"',
      'image: {{ printf "%s:%s" .Values.b.repo .Values.b.version | quote }}',
      '{{- $registry := .Values.global.imageRegistry | default .Values.c.registry -}}',
      'image: {{ $registry }}/{{ .Values.c.repository }}:{{ default "v9" .Values.c.tag }}',
      'image: {{ include "helper" . }}',
      '- image: busybox:1.36 # literal',
      'image: {{ include "unknown" . }}',
    ].join('\n');
    const values =
      'a: {repository: x/a}\nb: {repo: x/b, version: v1}\nc: {registry: r.io, repository: x/c}\nglobal: {}';
    expect(scan(template, values, '{{- define "helper" -}}x/h:{{ .Chart.AppVersion }}{{- end -}}')).toEqual([
      'x/a:2.0.0',
      'x/b:v1',
      'r.io/x/c:v9',
      'x/h:2.0.0',
      'busybox:1.36',
      '{{ include "unknown" . }} (unresolved)',
    ]);
  });

  it('marks images behind false value switches optional with the setting, and drops blocks off for other reasons', () => {
    const template = [
      '{{- if and .Values.persistence.enabled .Values.init.enabled }}',
      'image: busybox:1.31',
      '{{- end }}',
      '{{- if .Values.sha }}',
      'image: x/y:1@sha256:{{ .Values.sha }}',
      '{{- else }}',
      'image: x/y:1',
      '{{- end }}',
      '{{- with .Values.sidecar }}',
      'image: {{ .repository }}:{{ .tag }}',
      '{{- end }}',
      '{{- if not .Values.external.enabled }}',
      'image: x/bundled:1',
      '{{- end }}',
      '{{- range .Values.extraContainers }}',
      'image: {{ .image }}',
      '{{- end }}',
    ].join('\n');
    const values =
      'persistence: {enabled: false}\ninit: {enabled: true}\nsha: ""\nsidecar: {repository: x/side, tag: "2"}\nexternal: {enabled: true}\nextraContainers: []';
    expect(scan(template, values)).toEqual([
      'busybox:1.31 (persistence.enabled=true)',
      'x/y:1',
      'x/side:2',
      'x/bundled:1 (external.enabled=false)',
    ]);
  });

  it('marks helm test hooks, and skips image fields of resources that only watch repositories', () => {
    const template = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  annotations:',
      '    "helm.sh/hook": test',
      'spec:',
      '  containers:',
      '    - image: busybox:1.36',
      '---',
      'apiVersion: image.toolkit.fluxcd.io/v1beta2',
      'kind: ImageRepository',
      'spec:',
      '  image: ghcr.io/acme/app',
      '---',
      'kind: Deployment',
      'spec:',
      '  image: ghcr.io/acme/app:1.0.0',
    ].join('\n');
    expect(scan(template, '')).toEqual(['busybox:1.36 (test)', 'ghcr.io/acme/app:1.0.0']);
  });
});

describe('imagesInTemplate on lines it cannot evaluate', () => {
  it('names the values a line reads, through the variables it uses', () => {
    const template = [
      '{{- $image := include "missing.helper" (dict "image" .Values.sidecar.image) }}',
      'image: "{{ $image }}"',
    ].join('\n');
    const [finding] = imagesInTemplate('t.yaml', template, {
      context: { values: undefined, chart: { name: 'c' }, defines: new Map() },
    });
    expect(finding).toMatchObject({
      text: '{{ $image }}',
      unresolved: expect.any(String),
      mentions: ['sidecar.image'],
    });
  });
});
