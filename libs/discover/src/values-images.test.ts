import { describe, expect, it } from 'vitest';
import { imagesInValues } from './values-images';
import { parseYamlTrees } from './yaml-tree';

const images = (yaml: string, appVersion?: string) =>
  imagesInValues(parseYamlTrees(yaml, 'values.yaml').documents[0], { appVersion })
    .filter((f) => !f.disabled)
    .map((f) => f.text);

describe('imagesInValues', () => {
  it('reads every popular shape', () => {
    expect(images('image: "nginx:1.25"')).toEqual(['nginx:1.25']);
    expect(images('image: {registry: docker.io, repository: bitnami/nginx, tag: "1.25", digest: ""}')).toEqual(['docker.io/bitnami/nginx:1.25']);
    expect(images('image: {repository: ghcr.io/a/b, tag: v1}')).toEqual(['ghcr.io/a/b:v1']);
    expect(images('image: {name: quay.io/a/b, tag: v2}')).toEqual(['quay.io/a/b:v2']);
    expect(images('image: {registry: registry.k8s.io, image: ingress-nginx/controller, tag: v1.9.5}')).toEqual(['registry.k8s.io/ingress-nginx/controller:v1.9.5']);
    expect(images('image: docker.elastic.co/es/es\nimageTag: "8.11.1"')).toEqual(['docker.elastic.co/es/es:8.11.1']);
  });

  it('keeps a tag as written and falls back to appVersion', () => {
    expect(images('image: {repository: a/b, tag: 1.20}')).toEqual(['a/b:1.20']);
    expect(images('image: {repository: a/b, tag: ""}', '2.3.1')).toEqual(['a/b:2.3.1']);
  });

  it('applies global.imageRegistry to maps that have a registry key only', () => {
    const yaml = 'global: {imageRegistry: mirror.local}\na: {image: {registry: docker.io, repository: x/a, tag: "1"}}\nb: {image: {repository: x/b, tag: "1"}}';
    expect(images(yaml)).toEqual(['mirror.local/x/a:1', 'x/b:1']);
  });

  it('marks images under enabled: false as disabled', () => {
    const found = imagesInValues(parseYamlTrees('metrics: {enabled: false, image: {repository: x/m, tag: "1"}}', 'v').documents[0], {});
    expect(found.map((f) => [f.text, f.disabled])).toEqual([['x/m:1', true]]);
  });

  it('ignores what only looks like an image', () => {
    expect(images('chart: {repository: https://charts.example.com, name: x}\nbackup: {name: nightly, tag: weekly}\nimagePullPolicy: Always\nimage: {pullPolicy: IfNotPresent}')).toEqual([]);
    expect(images('image: "{{ .Values.x }}"')).toEqual([]);
  });
});
