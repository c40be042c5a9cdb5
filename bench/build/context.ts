import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const KUBEFILE =
  'FROM scratch\nCOPY charts charts\nCOPY manifests manifests\nCOPY registry registry\nCMD ["bash", "entrypoint.sh"]\n';

/**
 * A sealos-like COPY-only context: registry/ in distribution's storage layout with 40 layer blobs of ~2.5 MB
 * (gzip streams of random bytes, as real layers are gzip and do not compress further), 30 charts of 10 small
 * YAML files, 20 manifests.
 */
export async function writeBenchContext(dir: string): Promise<void> {
  const blobs = join(dir, 'registry', 'docker', 'registry', 'v2', 'blobs', 'sha256');
  for (let i = 0; i < 40; i++) {
    const data = gzipSync(randomBytes(2_500_000), { level: 1 });
    const hex = createHash('sha256').update(data).digest('hex');
    await mkdir(join(blobs, hex.slice(0, 2), hex), { recursive: true });
    await writeFile(join(blobs, hex.slice(0, 2), hex, 'data'), data);
    const link = join(
      dir,
      'registry',
      'docker',
      'registry',
      'v2',
      'repositories',
      `app-${i % 8}`,
      '_layers',
      'sha256',
      hex,
    );
    await mkdir(link, { recursive: true });
    await writeFile(join(link, 'link'), `sha256:${hex}`);
  }
  for (let c = 0; c < 30; c++) {
    const chart = join(dir, 'charts', `chart-${String(c).padStart(2, '0')}`);
    await mkdir(join(chart, 'templates'), { recursive: true });
    await writeFile(join(chart, 'Chart.yaml'), `apiVersion: v2\nname: chart-${c}\nversion: 1.0.${c}\n`);
    await writeFile(join(chart, 'values.yaml'), `image:\n  repository: app-${c % 8}\n  tag: v${c}\nreplicas: 1\n`);
    for (let t = 0; t < 8; t++)
      await writeFile(join(chart, 'templates', `t${t}.yaml`), `# template ${t}\n${'kind: ConfigMap\n'.repeat(40)}`);
  }
  await mkdir(join(dir, 'manifests'), { recursive: true });
  for (let m = 0; m < 20; m++)
    await writeFile(
      join(dir, 'manifests', `m${m}.yaml`),
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: m${m} }\n`,
    );
  await writeFile(join(dir, 'Kubefile'), KUBEFILE);
}
