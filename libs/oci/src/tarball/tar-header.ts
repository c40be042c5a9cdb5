import { createRequire } from 'node:module';

/** Tar streams are 512-byte blocks: headers, data padded to a block, and two zero blocks at the end. */
export const BLOCK = 512;

export function paddingFor(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

type TarCodec = Pick<typeof import('tar'), 'Header' | 'Pax'>;
let codec: TarCodec | undefined;

/** node-tar's header encoder and parser, loaded on first use: its whole API costs ~20 ms, and a sync between registries never touches a tar. */
export function tarCodec(): TarCodec {
  codec ??= createRequire(__filename)('tar') as TarCodec;
  return codec;
}
