import { readFile } from 'node:fs/promises';
import { parseLineList } from '@dockyard/files';
import { DockyardError } from '@dockyard/errors';

export interface ImageListEntry {
  /** `project/name:tag` as written (registry host optional). */
  image: string;
  file: string;
  line: number;
}

/** Parses an `images_platform.list`-style file: one image per line, `#` comments and blank lines skipped. */
export function parseImageList(text: string, file: string): ImageListEntry[] {
  return parseLineList(text).map(({ value, line }) => ({ image: value, file, line }));
}

export async function readImageLists(files: string[]): Promise<ImageListEntry[]> {
  const all: ImageListEntry[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new DockyardError(
        `cannot read image list ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        { code: 'IMAGE_LIST_UNREADABLE', cause: err },
      );
    }
    all.push(...parseImageList(text, file));
  }
  return all;
}
