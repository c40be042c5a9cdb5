import type { TransferStats } from '../copy/scheduler';

export interface ProgressSnapshot {
  imagesDone: number;
  imagesTotal: number;
  stats: TransferStats;
  elapsedMs: number;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** `12.0 MB copied (3.1 MB/s)`-style rate of `bytes` moved in `elapsedMs`. */
export function formatRate(bytes: number, elapsedMs: number): string {
  return `${formatBytes(elapsedMs > 0 ? (bytes * 1000) / elapsedMs : 0)}/s`;
}

export function formatProgress(p: ProgressSnapshot): string {
  return `${p.imagesDone}/${p.imagesTotal} images, ${formatBytes(p.stats.bytes)} copied (${formatRate(p.stats.bytes, p.elapsedMs)}), ${p.stats.blobsSkipped} blobs present, ${p.stats.blobsMounted} mounted`;
}

/**
 * Prints `line()` every `intervalMs`: one rewritten line on a terminal, plain lines otherwise
 * (CI logs, Nx output). The returned function stops it and prints the final line.
 */
export function startProgressLines(stream: NodeJS.WriteStream, line: () => string, intervalMs = 2000): () => void {
  const tty = Boolean(stream.isTTY);
  const print = (final: boolean) => {
    if (tty) stream.write(`\r\x1b[2K${line()}${final ? '\n' : ''}`);
    else stream.write(`${line()}\n`);
  };
  const timer = setInterval(() => print(false), intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    print(true);
  };
}

/** Image-copy progress (`sync`, `bundle`, `bundle push`). */
export function startProgress(
  stream: NodeJS.WriteStream,
  snapshot: () => ProgressSnapshot,
  intervalMs = 2000,
): () => void {
  return startProgressLines(stream, () => formatProgress(snapshot()), intervalMs);
}
