import { spawn } from 'node:child_process';
import { Duplex, PassThrough, type Readable, type Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DockyardError } from '@dockyard/errors';
import { deterministicGzip } from './deterministic-gzip';

export type Compression = 'none' | 'gzip' | 'zstd';

/** A bundle name with no known compression ending, or the zstd program missing or failing. */
export class CompressionError extends DockyardError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'COMPRESSION', cause });
  }
}

/** Compression follows the file name, as tar's own `-a` does. */
export function compressionOf(file: string): Compression {
  if (file.endsWith('.tar')) return 'none';
  if (file.endsWith('.tar.gz') || file.endsWith('.tgz')) return 'gzip';
  if (file.endsWith('.tar.zst') || file.endsWith('.tar.zstd')) return 'zstd';
  throw new CompressionError(
    `${file}: a bundle file name ends in .tar, .tar.gz or .tar.zst (it chooses the compression)`,
  );
}

/**
 * Debian's `zstd` binary (1.5.4 here) rather than an npm binding: it is packaged, its output for a
 * given version and level is the same with any thread count (checked: -T1 and -T2 give identical
 * bytes), and it compresses on its own threads, leaving the event loop free.
 */
function zstdProcess(args: string[]): Duplex {
  const child = spawn('zstd', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const duplex = Duplex.from({ writable: child.stdin, readable: child.stdout });
  child.on('error', (err: NodeJS.ErrnoException) => {
    duplex.destroy(
      new CompressionError(
        err.code === 'ENOENT'
          ? 'zstd is not installed (apt-get install zstd) and a .tar.zst bundle needs it'
          : `zstd: ${err.message}`,
        err,
      ),
    );
  });
  child.on('exit', (code) => {
    if (code) duplex.destroy(new CompressionError(`zstd exited with ${code}: ${stderr.trim()}`));
  });
  duplex.on('close', () => child.kill());
  return duplex;
}

export function compressor(kind: Compression): Transform | Duplex {
  if (kind === 'gzip') return deterministicGzip();
  if (kind === 'zstd') return zstdProcess(['-q', '-3', '-T2', '-c', '-']);
  return new PassThrough();
}

function decompressor(kind: Compression): Transform | Duplex {
  if (kind === 'gzip') return createGunzip();
  if (kind === 'zstd') return zstdProcess(['-q', '-d', '-c', '-']);
  return new PassThrough();
}

/** Pipes `input` through the decompressor for `kind`. */
export function decompressed(input: Readable, kind: Compression): Readable {
  const stream = decompressor(kind);
  input.on('error', (err) => stream.destroy(err));
  return input.pipe(stream);
}
