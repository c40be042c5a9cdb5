import { parseLineList } from '@dockyard/files';
import type { Finding } from './finding';

/** Sealos `images/shim/*` files: one image per line. */
export function imagesInShimList(file: string, text: string): Finding[] {
  return parseLineList(text).map(({ value, line }) => ({ text: value, source: { file, line } }));
}
