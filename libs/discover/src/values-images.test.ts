import { describe, expect, it } from 'vitest';
import { imagesInValues } from './values-images';
import { parseYamlTrees } from './yaml-tree';

const scan = (yaml: string, skipKeys?: string[]) =>
  imagesInValues(parseYamlTrees(yaml, 'values.yaml').documents[0], { skipKeys });
const images = (yaml: string) =>
  scan(yaml)
    .filter((f) => !f.optional && !f.unresolved)
    .map((f) => f.text);

describe('imagesInValues', () => {
  it('reads every popular shape', () => {
    expect(images('image: "nginx:1.25"')).toEqual(['nginx:1.25']);
    expect(images('image: {registry: docker.io, repository: bitnami/nginx, tag: "1.25", digest: ""}')).toEqual([
      'docker.io/bitnami/nginx:1.25',
    ]);
    expect(images('image: {repository: ghcr.io/a/b, tag: v1}')).toEqual(['ghcr.io/a/b:v1']);
    expect(images('image: {name: quay.io/a/b, tag: v2}')).toEqual(['quay.io/a/b:v2']);
    expect(images('image: {registry: registry.k8s.io, image: ingress-nginx/controller, tag: v1.9.5}')).toEqual([
      'registry.k8s.io/ingress-nginx/controller:v1.9.5',
    ]);
    expect(images('image: docker.elastic.co/es/es\nimageTag: "8.11.1"')).toEqual(['docker.elastic.co/es/es:8.11.1']);
  });

  it('keeps a tag as written, and invents none: a map without a tag is unresolved', () => {
    expect(images('image: {repository: a/b, tag: 1.20}')).toEqual(['a/b:1.20']);
    expect(scan('image: {repository: a/b, tag: ""}').map((f) => [f.text, Boolean(f.unresolved)])).toEqual([
      ['a/b', true],
    ]);
  });

  it('keeps a digest written in the tag or version field (sigstore)', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(images(`image: {registry: gcr.io, repository: projectsigstore/rekor-server, version: "${digest}"}`)).toEqual(
      [`gcr.io/projectsigstore/rekor-server@${digest}`],
    );
    expect(images(`image: {repository: ghcr.io/sigstore/x, tag: v1.2.0, version: "${digest}"}`)).toEqual([
      `ghcr.io/sigstore/x:v1.2.0@${digest}`,
    ]);
  });

  it('applies global.imageRegistry to maps that have a registry key only', () => {
    const yaml =
      'global: {imageRegistry: mirror.local}\na: {image: {registry: docker.io, repository: x/a, tag: "1"}}\nb: {image: {repository: x/b, tag: "1"}}';
    expect(images(yaml)).toEqual(['mirror.local/x/a:1', 'x/b:1']);
  });

  it('marks images under enabled: false optional with the setting that switches them on', () => {
    expect(
      scan('metrics: {enabled: false, image: {repository: x/m, tag: "1"}}').map((f) => [f.text, f.optional]),
    ).toEqual([['x/m:1', ['metrics.enabled=true']]]);
  });

  it("leaves subcharts' keys to the subchart", () => {
    expect(
      scan('postgresql: {image: {repository: x/pg}}\napi: {image: {repository: x/api, tag: "1"}}', ['postgresql']).map(
        (f) => f.text,
      ),
    ).toEqual(['x/api:1']);
  });

  it('ignores what only looks like an image', () => {
    expect(
      images(
        'chart: {repository: https://charts.example.com, name: x}\nbackup: {name: nightly, tag: weekly}\nimagePullPolicy: Always\nimage: {pullPolicy: IfNotPresent}',
      ),
    ).toEqual([]);
    expect(
      scan(
        'agent: {alwaysPullImage: false}\ncontroller: {overwritePluginsFromImage: true, sidecarImage: "", replicasImage: 3}',
      ),
    ).toEqual([]);
    expect(scan('image: "{{ .Values.x }}"').map((f) => f.unresolved !== undefined)).toEqual([true]);
  });
});
