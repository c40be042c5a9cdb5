import { describe, expect, it } from 'vitest';
import type { Chart } from './chart';
import { imagesInChart } from './chart-images';
import { parseYamlTrees, type TreeMap } from './yaml-tree';

function chart(name: string, values: string, templates: Record<string, string>, extra: Partial<Chart> = {}): Chart {
  return {
    name,
    appVersion: '9.9.9',
    display: name,
    values: parseYamlTrees(values, `${name}/values.yaml`).documents[0],
    annotations: Object.create(null) as TreeMap,
    dependencies: [],
    templates: Object.entries(templates).map(([file, text]) => ({ file: `${name}/templates/${file}`, text })),
    subcharts: [],
    ...extra,
  };
}

const summary = (c: Chart) =>
  imagesInChart(c)
    .filter((f) => !f.neverRendered)
    .map((f) => `${f.text}${f.optional ? ` [${f.optional.join(' ')}]` : ''}${f.unresolved ? ' (unresolved)' : ''}`);

describe('imagesInChart', () => {
  const db = chart(
    'db',
    'image: {repository: x/db, tag: "16.1"}\nmetrics: {enabled: false, image: {repository: x/exporter, tag: "1"}}',
    {
      'sts.yaml':
        'image: {{ .Values.image.repository }}:{{ .Values.image.tag }}\n{{- if .Values.metrics.enabled }}\nimage: {{ .Values.metrics.image.repository }}:{{ .Values.metrics.image.tag }}\n{{- end }}',
    },
  );
  const library = chart(
    'lib',
    'sidecar: {image: {repository: x/sidecar, tag: "1"}}',
    { '_s.tpl': '{{- define "lib.sidecar" -}}\nimage: {{ .Values.lib.sidecar.image.repository }}:1\n{{- end -}}' },
    { type: 'library' },
  );

  it("merges a parent's override into the subchart, prefixes its settings, and leaves library charts out", () => {
    const parent = chart(
      'app',
      'image: {repository: x/app, tag: "2"}\ndb: {enabled: false, image: {repository: mirror/db}}\nunread: {image: {repository: x/unread, tag: "1"}}',
      { 'deploy.yaml': 'image: {{ .Values.image.repository }}:{{ .Values.image.tag }}' },
      {
        dependencies: [{ name: 'db', condition: 'db.enabled' }, { name: 'lib' }],
        subcharts: [db, library],
      },
    );
    expect(summary(parent)).toEqual([
      'x/app:2',
      'mirror/db:16.1 [db.enabled=true]',
      'x/exporter:1 [db.metrics.enabled=true db.enabled=true]',
    ]);
  });

  it('lists a values image whose running line cannot be resolved, even where a switched-off line reads it', () => {
    const envoy = chart('envoy', 'kind: daemonset\ndashboards: {}\nimage: {repository: x/envoy, tag: "1.34"}', {
      'ds.yaml': 'image: {{ include "common.images.image" (dict "imageRoot" .Values.image) }}',
      'deploy.yaml':
        '{{- if .Values.dashboards }}\nimage: {{ .Values.image.repository }}:{{ .Values.image.tag }}\n{{- end }}',
    });
    expect(summary(envoy)).toEqual([
      'x/envoy:1.34',
      '{{ include "common.images.image" (dict "imageRoot" .Values.image) }} (unresolved)',
    ]);
  });

  it('keeps every values shape of a chart without templates, and reports a tagless one instead of guessing', () => {
    expect(
      summary(chart('values-only', 'a: {image: {repository: x/a, tag: "1"}}\nb: {image: {repository: x/b}}', {})),
    ).toEqual(['x/a:1', 'x/b (unresolved)']);
  });

  it("renders a subchart's Deployment from a parent's program through .Subcharts, and counts the subchart's values shape as read", () => {
    const console = chart('console', 'image: {repository: r/console, tag: ""}\ndeployment: {create: false}', {
      'entry.yaml':
        '{{- if .Values.deployment.create }}{{ toYaml (dict "spec" (dict "containers" (list (dict "image" "x")))) }}{{ end }}',
    });
    const parent = chart(
      'redpanda',
      'console: {enabled: true}',
      {
        'entry.yaml':
          '{{- $c := index .Subcharts "console" -}}{{ toYaml (dict "kind" "Deployment" "spec" (dict "containers" (list (dict "image" (printf "%s:%s" $c.Values.image.repository (default "v3" $c.Values.image.tag)))))) }}',
      },
      { subcharts: [console], dependencies: [{ name: 'console', condition: 'console.enabled' }] },
    );
    expect(summary(parent)).toEqual(['r/console:v3']);
  });
});
