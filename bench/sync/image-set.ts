import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildImage, pushImage, pushIndex, randomLayer, type Layer } from '../../test/support/test-images';

export interface ImageSet {
  /** `bench/img-NN:v1` lines, host-less like images_platform.list. */
  lines: string[];
  uniqueBytes: number;
  multiArch: number;
  largestSingle: string;
}

const MB = 1024 * 1024;

/**
 * 24 images in one registry: 3 shared base layers of 24 MB, 16 single-arch images with a
 * 11 MB layer of their own, and 8 amd64+arm64 indexes with 5 MB per platform. Layers are
 * real gzipped tars of random bytes (incompressible), so every byte has to move.
 * `count` above 24 adds single-arch images with a 256 KB layer of their own: a list as long as a
 * release's (150 lines), where a no-op re-sync is all per-image requests, without gigabytes to push.
 */
export async function pushImageSet(url: string, count = 24): Promise<ImageSet> {
  const target = { base: url };
  const bases: Layer[] = [0, 1, 2].map((i) => randomLayer(24 * MB, `base-${i}.bin`));
  const lines: string[] = [];
  let uniqueBytes = bases.reduce((sum, l) => sum + l.bytes.length, 0);
  let multiArch = 0;
  for (let i = 0; i < count; i++) {
    const base = bases[i % bases.length]!;
    const repo = `bench/img-${String(i).padStart(2, '0')}`;
    if (i >= 24) {
      const image = buildImage({ layers: [base, randomLayer(256 * 1024)] });
      uniqueBytes += image.layers[1]!.bytes.length + image.config.bytes.length;
      await pushImage(target, repo, 'v1', image);
    } else if (i % 3 === 2) {
      const images = ['amd64', 'arm64'].map((architecture) =>
        buildImage({ layers: [base, randomLayer(5 * MB)], architecture }),
      );
      uniqueBytes += images.reduce((sum, image) => sum + image.layers[1]!.bytes.length + image.config.bytes.length, 0);
      await pushIndex(target, repo, 'v1', images);
      multiArch++;
    } else {
      const image = buildImage({ layers: [base, randomLayer(11 * MB)] });
      uniqueBytes += image.layers[1]!.bytes.length + image.config.bytes.length;
      await pushImage(target, repo, 'v1', image);
    }
    lines.push(`${repo}:v1`);
  }
  return { lines, uniqueBytes, multiArch, largestSingle: 'bench/img-00:v1' };
}

/** The same image set as each tool reads it: a dockyard list file and a skopeo sync YAML. */
export async function writeSyncInputs(
  dir: string,
  sourceHost: string,
  set: ImageSet,
): Promise<{ list: string; yaml: string }> {
  const list = join(dir, 'images.list');
  await writeFile(list, set.lines.join('\n') + '\n');
  const yaml = join(dir, 'skopeo.yaml');
  const images = set.lines.map((l) => `    ${l.split(':')[0]}: [${l.split(':')[1]}]`).join('\n');
  await writeFile(yaml, `${sourceHost}:\n  tls-verify: false\n  images:\n${images}\n`);
  return { list, yaml };
}
