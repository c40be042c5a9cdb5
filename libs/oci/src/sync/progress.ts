import type { TransferStats } from '../copy/scheduler';

export interface ProgressSnapshot {
  imagesDone: number;
  imagesTotal: number;
  stats: TransferStats;
  elapsedMs: number;
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatProgress(p: ProgressSnapshot): string {
  const rate = p.elapsedMs > 0 ? (p.stats.bytes * 1000) / p.elapsedMs : 0;
  return `${p.imagesDone}/${p.imagesTotal} images, ${formatBytes(p.stats.bytes)} copied (${formatBytes(rate)}/s), ${p.stats.blobsSkipped} blobs present, ${p.stats.blobsMounted} mounted`;
}

/**
 * Prints progress every `intervalMs`: one rewritten line on a terminal, plain lines otherwise
 * (CI logs, Nx output).
 */
export function startProgress(stream: NodeJS.WriteStream, snapshot: () => ProgressSnapshot, intervalMs = 2000): () => void {
  const tty = Boolean(stream.isTTY);
  const print = (final: boolean) => {
    const line = formatProgress(snapshot());
    if (tty) stream.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else stream.write(`${line}\n`);
  };
  const timer = setInterval(() => print(false), intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    print(true);
  };
}
