import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The sha256 of a file's bytes (hex), streamed: bundles are larger than memory. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** `sha256:HEX` or `HEX` → `HEX`. */
export function sha256Hex(digest: string): string {
  return digest.startsWith('sha256:') ? digest.slice(7) : digest;
}
