import { buildImage, pushImage, pushIndex, randomLayer, type Layer } from '../../test/support/test-images';
import { imageName } from './workspace';

/**
 * Pushes the scale workspace's images into the registry at `url` (a loopback docker-registry): tiny synthetic
 * images sharing 16 base layers, every fourth an amd64+arm64 index, so sizes stay small while the counts
 * (manifests, blobs, requests) are a real release's.
 */
export async function pushScaleImages(url: string, count: number): Promise<{ multiArch: number }> {
  const target = { base: url };
  const bases: Layer[] = Array.from({ length: 16 }, (_, i) => randomLayer(4096, `base-${i}.bin`));
  let multiArch = 0;
  for (let i = 0; i < count; i++) {
    const [repository, tag] = imageName(i).split(':') as [string, string];
    const base = bases[i % bases.length]!;
    if (i % 4 === 3) {
      const images = ['amd64', 'arm64'].map((architecture) =>
        buildImage({ layers: [base, randomLayer(512)], architecture }),
      );
      await pushIndex(target, repository, tag, images);
      multiArch++;
    } else {
      await pushImage(target, repository, tag, buildImage({ layers: [base, randomLayer(512)] }));
    }
  }
  return { multiArch };
}
