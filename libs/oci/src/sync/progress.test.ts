import { describe, expect, it } from 'vitest';
import { formatBytes, formatProgress, formatRate, startProgressLines } from './progress';

describe('progress', () => {
  it('words sizes, rates and an image-copy snapshot', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB');
    expect(formatRate(2 * 1024 * 1024, 2000)).toBe('1.0 MB/s');
    expect(formatRate(100, 0)).toBe('0 B/s');
    expect(
      formatProgress({
        imagesDone: 3,
        imagesTotal: 10,
        elapsedMs: 1000,
        stats: { bytes: 1024 * 1024, blobsCopied: 4, blobsSkipped: 2, blobsMounted: 1 },
      }),
    ).toBe('3/10 images, 1.0 MB copied (1.0 MB/s), 2 blobs present, 1 mounted');
  });

  it('prints plain lines off a terminal and a rewritten line on one, ending with the final line', () => {
    const written: string[] = [];
    const stream = (isTTY: boolean) =>
      ({ isTTY, write: (text: string) => written.push(text) }) as unknown as NodeJS.WriteStream;
    startProgressLines(stream(false), () => 'plain', 60_000)();
    startProgressLines(stream(true), () => 'tty', 60_000)();
    expect(written).toEqual(['plain\n', '\r\x1b[2Ktty\n']);
  });
});
