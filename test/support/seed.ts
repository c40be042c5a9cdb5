import { buildImage, pushImage, pushIndex, randomLayer, type BuiltImage, type Blob, type Layer } from './test-images';

export interface SeededImages {
  base: Layer;
  amd64: BuiltImage;
  arm64: BuiltImage;
  index: Blob;
  single: BuiltImage;
}

/** A multi-arch index `app/multi:v1` and a single image `app/single:v1`, all sharing one base layer. */
export async function seedImages(url: string, authorization?: string): Promise<SeededImages> {
  const base = randomLayer(300_000, 'base.bin');
  const amd64 = buildImage({ layers: [base, randomLayer(120_000)], architecture: 'amd64' });
  const arm64 = buildImage({ layers: [base, randomLayer(120_000)], architecture: 'arm64', variant: 'v8' });
  const single = buildImage({ layers: [base, randomLayer(150_000)] });
  const target = { base: url, authorization };
  const index = await pushIndex(target, 'app/multi', 'v1', [amd64, arm64]);
  await pushImage(target, 'app/single', 'v1', single);
  return { base, amd64, arm64, index, single };
}
