import { Transform } from 'node:stream';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort } = require('node:worker_threads');
const hash = require('node:crypto').createHash('sha256');
parentPort.on('message', (message) => {
  if (message === 'digest') parentPort.postMessage({ digest: hash.digest('hex') });
  else { hash.update(message); parentPort.postMessage({ done: message.length }); }
});`;

/** Bytes queued for the worker before writers wait: bounds memory when hashing falls behind. */
const MAX_QUEUED = 8 << 20;

/**
 * sha256 on a worker thread, so hashing a gigabyte runs on the second core beside the tar writer
 * instead of after it on the main thread (every file of a bundle is hashed for sha256sums.txt).
 */
export class OffThreadSha256 {
  private readonly worker = new Worker(WORKER, { eval: true });
  private queued = 0;
  private waiting: (() => void)[] = [];
  private digestResolve: ((hex: string) => void) | undefined;
  private failure: Error | undefined;

  constructor() {
    this.worker.on('message', (message: { done?: number; digest?: string }) => {
      if (message.done !== undefined) {
        this.queued -= message.done;
        if (this.queued < MAX_QUEUED) for (const wake of this.waiting.splice(0)) wake();
      } else if (message.digest !== undefined) {
        this.digestResolve?.(message.digest);
      }
    });
    this.worker.on('error', (err) => {
      this.failure = err;
      for (const wake of this.waiting.splice(0)) wake();
    });
  }

  /** Queues a chunk (copied to the worker); resolves once the queue is short enough to take more. */
  async update(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.queued += chunk.length;
    this.worker.postMessage(chunk);
    if (this.queued >= MAX_QUEUED) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.failure) throw this.failure;
  }

  async digest(): Promise<string> {
    const hex = await new Promise<string>((resolve) => {
      this.digestResolve = resolve;
      this.worker.postMessage('digest');
    });
    await this.dispose();
    return hex;
  }

  /** Stops the worker; the owner calls it when it gives up on the hash (an idle worker keeps the process alive). */
  async dispose(): Promise<void> {
    await this.worker.terminate();
  }

  /** A pass-through that feeds every chunk to the hash. */
  tap(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.update(chunk).then(() => callback(null, chunk), callback);
      },
    });
  }
}
