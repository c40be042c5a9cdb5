import { describe, expect, it } from 'vitest';
import { imagesInTemplate } from './template-images';
import { parseYamlTrees } from './yaml-tree';

const scan = (template: string, values: string) =>
  imagesInTemplate('t.yaml', template, { values: parseYamlTrees(values, 'values.yaml').documents[0], chart: { name: 'c', appVersion: '2.0.0' } })
    .map((f) => `${f.text}${f.disabled ? ' (off)' : ''}`);

describe('imagesInTemplate', () => {
  it('evaluates .Values paths, default, printf, quote and variables', () => {
    const template = [
      'image: "{{ .Values.a.repository }}:{{ .Values.a.tag | default .Chart.AppVersion }}"',
      'image: {{ printf "%s:%s" .Values.b.repo .Values.b.version | quote }}',
      '{{- $registry := .Values.global.imageRegistry | default .Values.c.registry -}}',
      'image: {{ $registry }}/{{ .Values.c.repository }}:{{ default "v9" .Values.c.tag }}',
      'image: {{ include "helper" . }}',
      '- image: busybox:1.36 # literal',
    ].join('\n');
    const values = 'a: {repository: x/a}\nb: {repo: x/b, version: v1}\nc: {registry: r.io, repository: x/c}\nglobal: {}';
    expect(scan(template, values)).toEqual(['x/a:2.0.0', 'x/b:v1', 'r.io/x/c:v9', 'busybox:1.36']);
  });

  it('knows an image inside an if whose values are false is off, and follows else', () => {
    const template = [
      '{{- if and .Values.persistence.enabled .Values.init.enabled }}',
      'image: busybox:1.31',
      '{{- end }}',
      '{{- if .Values.sha }}',
      'image: x/y:1@sha256:{{ .Values.sha }}',
      '{{- else }}',
      'image: x/y:1',
      '{{- end }}',
      '{{- with .Values.unknown }}',
      'image: x/z:1',
      '{{- end }}',
    ].join('\n');
    expect(scan(template, 'persistence: {enabled: false}\ninit: {enabled: true}\nsha: ""')).toEqual(['busybox:1.31 (off)', 'x/y:1@sha256: (off)', 'x/y:1', 'x/z:1']);
  });
});
