/** Tar streams are 512-byte blocks: headers, data padded to a block, and two zero blocks at the end. */
export const BLOCK = 512;

export function paddingFor(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}
