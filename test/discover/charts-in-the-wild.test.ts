import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { scoreFixtures, totals } from '../../bench/discover/score';
import { tempDirFor } from '../support/tmp';
import { dockyard } from '../support/cli';

const FIXTURES = join(__dirname, '../fixtures/charts');

interface JsonImage {
  ref: string;
  optional?: boolean;
  enabledBy?: string[];
  test?: boolean;
  sources: { file: string; line?: number }[];
}

async function json(args: string[]): Promise<{ images: JsonImage[]; stderr: string; exitCode: number }> {
  const run = await dockyard(['images', ...args, '--json'], {}, FIXTURES);
  return {
    images: run.exitCode === 0 ? (JSON.parse(run.stdout) as JsonImage[]) : [],
    stderr: run.stderr,
    exitCode: run.exitCode,
  };
}

/** Issue 8: the shapes of public charts (reconstructed fixtures, see each SOURCE.md) through the real CLI. */
describe('dockyard images on charts in the wild', () => {
  it('lists optional images by default, marked with the setting that switches each on; --exclude-optional leaves them out', async () => {
    const { images } = await json(['wild-bitnami-optional/input']);
    const byRef = new Map(images.map((i) => [i.ref, i]));
    expect(byRef.get('docker.io/bitnami/redis:7.2.4-debian-12-r9')).not.toHaveProperty('optional');
    expect(byRef.get('docker.io/bitnami/redis-exporter:1.58.0-debian-12-r4')).toMatchObject({
      optional: true,
      enabledBy: ['metrics.enabled=true'],
    });
    expect(byRef.get('docker.io/bitnami/os-shell:12-debian-12-r16')?.enabledBy).toContain(
      'volumePermissions.enabled=true',
    );
    expect(byRef.get('docker.io/bitnami/kubectl:1.29.2-debian-12-r3')).toMatchObject({
      optional: true,
      enabledBy: ['useExternalDNS.enabled=true'],
    });
    const excluded = await dockyard(['images', 'wild-bitnami-optional/input', '--exclude-optional'], {}, FIXTURES);
    expect(excluded.stdout.trim().split('\n')).toEqual(['docker.io/bitnami/redis:7.2.4-debian-12-r9']);
    const old = await dockyard(['images', 'wild-bitnami-optional/input', '--include-disabled'], {}, FIXTURES);
    expect(old.exitCode).toBe(2);
  });

  it('keeps a digest written in a tag or version field', async () => {
    const { images } = await json(['wild-sigstore-digest/input']);
    expect(images.map((i) => i.ref)).toEqual([
      'docker.io/library/redis@sha256:0c8b8a2d7f6e5d4c3b2a190817161514131211100f0e0d0c0b0a090807060504',
      'ghcr.io/sigstore/rekor/rekor-server@sha256:1b8d0a5a6cba4b5e5c6e1b0b6c6b93e3d7c2bd1ff6e0a0c4c7f8d4c3b2a1f0e9',
      'ghcr.io/sigstore/scaffolding/createtree:v0.7.2@sha256:a5e3b8e1c0f6d7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2',
    ]);
  });

  it('evaluates tag helpers instead of inventing appVersion tags, and warns with file:line and values keys where it cannot', async () => {
    const { images, stderr, exitCode } = await json(['wild-helper-tags/input']);
    expect(exitCode).toBe(0);
    const refs = images.map((i) => i.ref);
    expect(refs).toEqual(
      expect.arrayContaining([
        'ghcr.io/dexidp/dex:v2.44.0',
        'docker.io/jenkins/jenkins:2.452.2-jdk17',
        'docker.io/library/sonarqube:10.6.0-community',
      ]),
    );
    expect(refs).not.toContain('ghcr.io/dexidp/dex:2.44.0');
    expect(refs.some((r) => r.includes('opaque'))).toBe(false);
    expect(stderr.trim().split('\n')).toEqual([
      'warning: wild-helper-tags/input/opaque/templates/deployment.yaml:8: image "{{ .Values.image.repository }}:{{ .Values.image.tag | default (include "opaque.tag" .) }}" cannot be resolved: .Capabilities cannot be evaluated statically (values keys image.repository, image.tag); not listed from here (set the value, or add the image to images.extra if nothing else lists it)',
    ]);
  });

  it('evaluates Sprig string helpers (substr, regexReplaceAll, trunc, splitList, join, lower); a line it cannot evaluate warns even where a values image is listed in its place', async () => {
    const { images, stderr } = await json(['wild-sprig-helpers/input']);
    expect(images.map((i) => i.ref)).toEqual([
      'docker.io/envoyproxy/envoy:v1.31.0',
      'docker.io/sigstore/relay-service:v1.4.2',
      'ghcr.io/transparency-dev/tesseract/gcp:v0.1.2@sha256:37f1e3fb7f511f8c4bacec43e22fb52fb631f77fadb10de8bbf1560594c96fbe',
    ]);
    expect(stderr).toContain(
      'warning: wild-sprig-helpers/input/ctlog/templates/deployment.yaml:12: image "{{ .Values.proxy.image.repository }}:{{ .Values.proxy.image.tag | default .Release.Name }}" cannot be resolved: .Release cannot be evaluated statically (values keys proxy.image.repository, proxy.image.tag); the image of values key proxy.image is listed in its place, unchecked',
    );
  });

  it('lists a block behind a helper switch or a comparison on values as optional, with the setting (or the helper) that switches it on', async () => {
    const { images } = await json(['wild-helper-switches/input']);
    expect(images.map((i) => [i.ref, i.enabledBy])).toEqual([
      ['docker.io/library/mysql:9.7.2', undefined],
      ['docker.io/minio/mc:RELEASE.2025-08-13T08-35-41Z', ['backup.enabled=true']],
      ['docker.io/n8nio/n8n:2.35.3', undefined],
      ['docker.io/n8nio/runners:2.35.3', ['taskRunners.mode=external']],
      ['registry.k8s.io/sig-storage/snapshot-controller:v8.2.0', ['include "mysql.snapshotsEnabled"']],
    ]);
  });

  it('finds the containers of manifests built in helpers (gotohelm), and warns naming file:line and the construct where one cannot be evaluated', async () => {
    const { images, stderr } = await json(['wild-gotohelm/input']);
    expect(
      images.map((i) => [
        i.ref,
        i.test,
        i.sources.map((s) => `${s.file}:${s.line} ${(s as { keyPath?: string }).keyPath}`),
      ]),
    ).toEqual([
      [
        'docker.io/library/busybox:1.36',
        undefined,
        [
          'wild-gotohelm/input/console/templates/entry-point.yaml:2 Deployment spec.template.spec.initContainers[0].image',
        ],
      ],
      [
        'docker.redpanda.com/redpandadata/connectors:v1.0.31',
        undefined,
        [
          'wild-gotohelm/input/connectors/templates/entry-point.yaml:1 Deployment spec.template.spec.containers[0].image',
        ],
      ],
      [
        'docker.redpanda.com/redpandadata/console:v3.9.0',
        undefined,
        ['wild-gotohelm/input/console/templates/entry-point.yaml:2 Deployment spec.template.spec.containers[0].image'],
      ],
      [
        'docker.redpanda.com/redpandadata/redpanda:latest',
        true,
        ['wild-gotohelm/input/connectors/templates/tests/01-mm2-values.yaml:1 Pod spec.containers[0].image'],
      ],
    ]);
    expect(stderr.trim().split('\n')).toEqual([
      'warning: wild-gotohelm/input/connectors/templates/entry-point.yaml:1: Deployment spec.template.spec.containers[1].image: image "<image of container "metrics">" cannot be resolved: function lookup (wild-gotohelm/input/connectors/templates/_connectors.tpl:27) cannot be evaluated statically; not listed from here (set the value, or add the image to images.extra if nothing else lists it)',
      'warning: wild-gotohelm/input/connectors/templates/entry-point.yaml:1: image "<the manifests of helper "connectors.CronJob">" cannot be resolved: .Capabilities (wild-gotohelm/input/connectors/templates/_connectors.tpl:39) cannot be evaluated statically; not listed from here (set the value, or add the image to images.extra if nothing else lists it)',
    ]);
  });

  it('falls back to the values image, with a warning, when the lines that run it cannot be resolved (an unvendored common library)', async () => {
    const { images, stderr } = await json(['wild-unvendored-common/input']);
    expect(images.map((i) => [i.ref, i.enabledBy])).toEqual([
      ['docker.io/bitnami/contour:1.32.1-debian-12-r0', undefined],
      ['docker.io/bitnami/envoy:1.34.5-debian-12-r0', undefined],
    ]);
    expect(stderr).toContain(
      'envoy/daemonset.yaml:12: image "{{ include "common.images.image" ( dict "imageRoot" .Values.envoy.image "global" .Values.global ) }}" cannot be resolved: include "common.images.image" (no such define in the chart or its subcharts)',
    );
    expect(stderr).toContain('the image of values key envoy.image is listed in its place');
  });

  it("says a chart needs a value set, with its own validation's messages, when its defaults render an empty tag", async () => {
    const { images, stderr } = await json(['wild-failing-validation/input']);
    expect(images).toEqual([]);
    expect(stderr).toContain(
      'sts.yaml:11: "sonarqube:" is not an image reference (invalid tag "" (up to 128 letters, digits, _ . -, not starting with . or -)): the chart needs a value set, its default values fail its own validation: "initSysctl.image is required"; "** The values.yaml file is not valid. ** You must choose an \'edition\' to install: \'developer\' or \'enterprise\'."',
    );
    expect(stderr).toContain(
      'sts.yaml:8: image "{{ required "initSysctl.image is required" .Values.initSysctl.image }}" cannot be resolved: fail "initSysctl.image is required"',
    );
  });

  it("gives a parent's override of a subchart image the subchart's tag, never the parent's appVersion", async () => {
    const { images } = await json(['wild-parent-override/input']);
    const refs = images.map((i) => i.ref);
    expect(refs).toContain('docker.io/bitnamilegacy/postgresql:16.1.0-debian-11-r15');
    expect(refs.filter((r) => r.includes('postgresql:'))).toEqual([
      'docker.io/bitnamilegacy/postgresql:16.1.0-debian-11-r15',
    ]);
    expect(images.find((i) => i.ref.includes('postgres-exporter'))?.enabledBy).toEqual([
      'postgresql.metrics.enabled=true',
    ]);
  });

  it('reports no booleans, no Flux ImageRepository repositories and no never-included library defines', async () => {
    const { images, stderr } = await json(['wild-false-images/input']);
    expect(images.map((i) => i.ref)).toEqual(['ghcr.io/acme/app:2.0.0', 'ghcr.io/stefanprodan/podinfo:5.0.0']);
    expect(stderr).toBe('');
  });

  it('marks helm test pods test: true in images.json and leaves them out of images.list unless asked', async () => {
    const out = await tempDirFor(onTestFinished, 'images-tests');
    expect((await dockyard(['images', 'wild-helm-test/input', '--out', out], {}, FIXTURES)).exitCode).toBe(0);
    expect(await readFile(join(out, 'images.list'), 'utf8')).toBe('docker.io/library/nginx:1.16.0\n');
    const written = JSON.parse(await readFile(join(out, 'images.json'), 'utf8')) as JsonImage[];
    expect(written.filter((i) => i.test).map((i) => i.ref)).toEqual([
      'docker.io/curlimages/curl:8.7.1',
      'docker.io/library/busybox:latest',
    ]);
    const asked = await dockyard(['images', 'wild-helm-test/input', '--include-tests'], {}, FIXTURES);
    expect(asked.stdout.trim().split('\n')).toEqual([
      'docker.io/curlimages/curl:8.7.1',
      'docker.io/library/busybox:latest',
      'docker.io/library/nginx:1.16.0',
    ]);
  });

  it('a Release chooses with images.optional and images.tests', async () => {
    const ws = await tempDirFor(onTestFinished, 'images-release');
    await writeFile(join(ws, 'nx.json'), '{}\n');
    await mkdir(join(ws, 'releases/r'), { recursive: true });
    await cp(join(FIXTURES, 'wild-bitnami-optional/input/redis'), join(ws, 'releases/r/charts/redis'), {
      recursive: true,
    });
    await cp(join(FIXTURES, 'wild-helm-test/input/mychart'), join(ws, 'releases/r/charts/mychart'), {
      recursive: true,
    });
    const project = (images: string) =>
      `kind: Release\nname: r\nversion: v1.0.0\ncomponents:\n  - name: charts\n    local: ./charts\n    targetPath: charts\n${images}`;
    await writeFile(join(ws, 'releases/r/project.yaml'), project('images:\n  optional: exclude\n  tests: include\n'));
    expect((await dockyard(['validate', 'releases/r'], {}, ws)).exitCode).toBe(0);
    expect((await dockyard(['collect', 'releases/r'], {}, ws)).exitCode).toBe(0);
    expect((await dockyard(['images', '--project', 'releases/r'], {}, ws)).exitCode).toBe(0);
    expect((await readFile(join(ws, 'dist/r/images/images.list'), 'utf8')).trim().split('\n')).toEqual([
      'docker.io/bitnami/redis:7.2.4-debian-12-r9',
      'docker.io/curlimages/curl:8.7.1',
      'docker.io/library/busybox:latest',
      'docker.io/library/nginx:1.16.0',
    ]);
    await writeFile(join(ws, 'releases/r/project.yaml'), project(''));
    expect((await dockyard(['images', '--project', 'releases/r'], {}, ws)).exitCode).toBe(0);
    const list = (await readFile(join(ws, 'dist/r/images/images.list'), 'utf8')).trim().split('\n');
    expect(list).toContain('docker.io/bitnami/os-shell:12-debian-12-r16');
    expect(list).not.toContain('docker.io/library/busybox:latest');
    await writeFile(join(ws, 'releases/r/project.yaml'), project('images:\n  optional: sometimes\n'));
    expect((await dockyard(['validate', 'releases/r'], {}, ws)).exitCode).toBe(1);
  });

  it('scores the real-world shapes at the goal (recall >= 95% default, precision >= 98%), optional marks and test pods right', async () => {
    const real = (await scoreFixtures()).filter((s) => s.realWorldShape);
    expect(real.length).toBeGreaterThanOrEqual(6);
    const sum = totals(real);
    expect(sum.recall).toBeGreaterThanOrEqual(0.95);
    expect(sum.precision).toBeGreaterThanOrEqual(0.98);
    expect(totals(real.map((s) => s.tests)).recall).toBe(1);
    expect(real.flatMap((s) => s.wrongOptionalMarks)).toEqual([]);
  });
});

/** Issue 7, defects 10 and 7: missing inputs, unresolvable images, .sealignore comments. */
describe('dockyard images inputs', () => {
  it('a missing input is an error (exit 1), naming it', async () => {
    const run = await dockyard(['images', 'manifests/input', 'no/such/dir'], {}, FIXTURES);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('dockyard images: no/such/dir: no such file or folder; check the path');
    expect(run.stdout).toBe('');
  });

  it('warns about placeholders and template expressions it cannot resolve, with file:line', async () => {
    const dir = await tempDirFor(onTestFinished, 'images-unresolved');
    await writeFile(
      join(dir, 'job.yaml'),
      'kind: Job\nspec:\n  template:\n    spec:\n      containers:\n        - image: "[[ registry_release ]]/db:v1"\n        - image: nginx:1.25\n',
    );
    await mkdir(join(dir, 'chart/templates'), { recursive: true });
    await writeFile(join(dir, 'chart/Chart.yaml'), 'apiVersion: v2\nname: chart\nversion: 1.0.0\n');
    await writeFile(join(dir, 'chart/values.yaml'), 'image: "{{ .Values.global.registry }}/app:1"\n');
    await writeFile(
      join(dir, 'chart/templates/deploy.yaml'),
      'kind: Deployment\nspec:\n  containers:\n    - image: {{ .Values.image }}\n',
    );
    const run = await dockyard(['images', '.'], {}, dir);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('docker.io/library/nginx:1.25');
    expect(run.stderr).toContain(
      'warning: job.yaml:6: spec.template.spec.containers[0].image: image "[[ registry_release ]]/db:v1" cannot be resolved: it holds a placeholder or template expression that was not substituted',
    );
    expect(run.stderr).toContain(
      'warning: chart/templates/deploy.yaml:4: image "{{ .Values.global.registry }}/app:1" cannot be resolved: it holds a placeholder that was not substituted',
    );
  });

  it('.sealignore lines may carry a trailing comment, as sync lists do', async () => {
    const dir = await tempDirFor(onTestFinished, 'images-sealignore');
    await writeFile(
      join(dir, 'pod.yaml'),
      'kind: Pod\nspec:\n  containers:\n    - image: busybox:1.36\n    - image: nginx:1.25\n',
    );
    await writeFile(join(dir, '.sealignore'), '# not shipped\nbusybox:1.36   # pulled by the site itself\n');
    const run = await dockyard(['images', '.'], {}, dir);
    expect(run.stdout).toBe('docker.io/library/nginx:1.25');
  });
});
