import { readFile } from 'node:fs/promises';

export interface ImageListEntry {
  /** `project/name:tag` as written (registry host optional). */
  image: string;
  file: string;
  line: number;
}

/** Parses an `images_platform.list`-style file: one image per line, `#` comments and blank lines skipped. */
export function parseImageList(text: string, file: string): ImageListEntry[] {
  const entries: ImageListEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const image = raw.replace(/\s+#.*$/, '').trim();
    if (image === '' || image.startsWith('#')) return;
    entries.push({ image, file, line: index + 1 });
  });
  return entries;
}

export async function readImageLists(files: string[]): Promise<ImageListEntry[]> {
  const all: ImageListEntry[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read image list ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    all.push(...parseImageList(text, file));
  }
  return all;
}
