import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { scoreFixtures, totals } from '../../bench/discover/score';
import { tempDirFor } from '../support/tmp';
import { dockyard } from '../support/cli';

const FIXTURES = join(__dirname, '../fixtures/charts');

describe('dockyard images', () => {
  it('prints a JSON array with normalised refs, tag and digest kept, and sources', async () => {
    const run = await dockyard(['images', 'ingress-style/input', 'manifests/input/jobs.yml', '--json'], {}, FIXTURES);
    expect(run.exitCode).toBe(0);
    const images = JSON.parse(run.stdout) as { ref: string; tag?: string; digest?: string; sources: unknown[] }[];
    expect(images.map((i) => i.ref)).toEqual([
      'docker.io/bitnami/kubectl:1.29',
      'registry.example.com/platform/backup:v1.4.2',
      'registry.example.com/platform/seed:v3.1.0',
      'registry.k8s.io/defaultbackend-amd64:1.5',
      'registry.k8s.io/ingress-nginx/controller:v1.9.5@sha256:b3aba22b1da80e7acfc52b115cae1d4c687172cbf2b742d5b502419c25ff340e',
      'registry.k8s.io/ingress-nginx/kube-webhook-certgen:v20231011-8b53cabe0@sha256:a7943503b45d552785aa3b5e457f169a5661fb94d82b8a3373bcd9ebaf9aac80',
      'registry.k8s.io/ingress-nginx/opentelemetry:v20230721-3e2062ee5@sha256:13bee3f5223883d3ca62fee7309ad02d22ec00ff0d7033e3e9aca7a9f60fd472',
    ]);
    expect(images[4]).toMatchObject({
      tag: 'v1.9.5',
      digest: 'sha256:b3aba22b1da80e7acfc52b115cae1d4c687172cbf2b742d5b502419c25ff340e',
    });
    expect(images[0].sources).toEqual([
      {
        file: 'manifests/input/jobs.yml',
        keyPath: 'spec.jobTemplate.spec.template.spec.initContainers[0].image',
        line: 25,
      },
    ]);
  });

  it('reads packaged charts and subcharts inside them, with the archive path in sources', async () => {
    const run = await dockyard(['images', 'packaged/input', '--json'], {}, FIXTURES);
    const images = JSON.parse(run.stdout) as { ref: string; sources: { file: string }[] }[];
    const trivy = images.find((i) => i.ref === 'docker.io/goharbor/trivy-adapter-photon:v2.9.1');
    expect(trivy?.sources).toEqual([
      {
        file: 'packaged/input/charts/registry-1.13.1.tgz!/registry/charts/trivy-0.1.0.tgz!/trivy/templates/sts.yaml',
        line: 8,
      },
    ]);
  });

  it('writes images.list (registry stripped on request) and images.json, removing .sealignore lines', async () => {
    const out = await tempDirFor(onTestFinished, 'images-out');
    const run = await dockyard(['images', 'sealos-app/input', '--strip-registry', '--out', out], {}, FIXTURES);
    expect(run.exitCode).toBe(0);
    const list = await readFile(join(out, 'images.list'), 'utf8');
    expect(list.split('\n')).toContain('openebs/provisioner-localpv:3.5.0');
    expect(list).not.toContain('busybox');
    const json = JSON.parse(await readFile(join(out, 'images.json'), 'utf8')) as { ref: string }[];
    expect(json.map((i) => i.ref)).toContain('docker.io/library/golang:1.21-alpine');
  });

  it('warns about a broken file and keeps going', async () => {
    const dir = await tempDirFor(onTestFinished, 'images-broken');
    await mkdir(join(dir, 'm'));
    await writeFile(join(dir, 'm/ok.yaml'), 'kind: Pod\nspec:\n  containers:\n    - image: nginx:1.25\n');
    await writeFile(join(dir, 'm/bad.yaml'), 'kind: Pod\nspec:\n  containers:\n    - image: Not/Valid:1\n');
    const run = await dockyard(['images', 'm'], {}, dir);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('docker.io/library/nginx:1.25');
    expect(run.stderr).toContain(
      'warning: m/bad.yaml:4: spec.containers[0].image: "Not/Valid:1" is not an image reference',
    );
  });

  it('meets the quality bar on the fixture charts (recall >= 95%, precision >= 98%)', async () => {
    const sum = totals(await scoreFixtures());
    expect(sum.expected).toBeGreaterThanOrEqual(50);
    expect(sum.recall).toBeGreaterThanOrEqual(0.95);
    expect(sum.precision).toBeGreaterThanOrEqual(0.98);
  });
});
