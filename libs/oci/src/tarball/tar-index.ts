import { open } from 'node:fs/promises';
import { BLOCK, entrySpan, parseTarHeader, type TarEntryInfo } from './tar-header';

/** Entry names → data offsets of a tar file, read header by header without reading the data. */
export async function indexTar(path: string): Promise<Map<string, TarEntryInfo>> {
  const handle = await open(path, 'r');
  const entries = new Map<string, TarEntryInfo>();
  try {
    const block = Buffer.alloc(BLOCK);
    let longName: string | undefined;
    for (let offset = 0; ; ) {
      const { bytesRead } = await handle.read(block, 0, BLOCK, offset);
      if (bytesRead < BLOCK) break;
      const entry = parseTarHeader(block, offset);
      if (!entry) break;
      if (entry.type === 'L') {
        const name = Buffer.alloc(entry.size);
        await handle.read(name, 0, entry.size, entry.offset);
        longName = name.toString('utf8').replace(/\0+$/, '');
      } else if (entry.type !== 'x' && entry.type !== 'g') {
        const name = (longName ?? entry.name).replace(/^\.\//, '');
        entries.set(name, { ...entry, name });
        longName = undefined;
      }
      offset += entrySpan(entry.size);
    }
  } finally {
    await handle.close();
  }
  return entries;
}
