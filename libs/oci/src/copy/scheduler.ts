import { setTimeout as sleep } from 'node:timers/promises';
import { DockyardError, systemErrorCode } from '@dockyard/errors';
import { VerifyingStream } from '../digest';
import type { Descriptor } from '../manifest';
import type { Blob } from '../image/model';
import type { ImageName, ImageTarget } from '../location/types';
import { AttemptBudget, DEFAULT_RETRY, isTemporary, type RetryPolicy } from '../transport/retry';
import { EndpointLimits } from './limiter';
import { resumableBlob, SourceReadError } from './resumable-blob';

export interface SchedulerOptions {
  /** Concurrent transfers per registry host or directory (default 16: loopback and LAN registries are latency-bound, not bandwidth-bound). */
  concurrency?: number;
  retry?: RetryPolicy;
}

export interface TransferStats {
  bytes: number;
  blobsCopied: number;
  blobsSkipped: number;
  blobsMounted: number;
}

/** Which side of a copy failed: reading the source or writing the target. */
export class CopyFailure extends DockyardError {
  constructor(
    readonly side: 'source' | 'target',
    message: string,
    cause?: unknown,
  ) {
    super(message, { code: side === 'source' ? 'COPY_SOURCE_FAILED' : 'COPY_TARGET_FAILED', cause });
  }
}

export function sideOf(err: unknown): 'source' | 'target' {
  return err instanceof CopyFailure ? err.side : err instanceof SourceReadError ? 'source' : 'target';
}

/**
 * Whether a whole transfer is worth starting again. A source that gave up (SourceReadError) already
 * spent the blob's attempts or failed for good; anything else goes by the one temporary-failure rule.
 */
function retryable(err: unknown): boolean {
  return !(err instanceof SourceReadError) && isTemporary(err);
}

/**
 * One scheduler per run, shared by every image: each blob is transferred once per target store
 * (other repositories of that store mount it), and transfers respect per-endpoint limits.
 */
export class CopyScheduler {
  readonly stats: TransferStats = { bytes: 0, blobsCopied: 0, blobsSkipped: 0, blobsMounted: 0 };
  readonly limits: EndpointLimits;
  private readonly placed = new Map<string, Promise<ImageName>>();
  private readonly retryPolicy: RetryPolicy;

  constructor(options: SchedulerOptions = {}) {
    this.limits = new EndpointLimits(options.concurrency ?? 16);
    this.retryPolicy = options.retry ?? DEFAULT_RETRY;
  }

  /** Runs a short request (manifest HEAD/GET/PUT) under the endpoints' limits. */
  request<T>(keys: string[], job: () => Promise<T>): Promise<T> {
    return this.limits.run(keys, job);
  }

  /** Makes `blob` present at the target: skip, link, mount, or transfer exactly once per store. */
  async ensureBlob(blob: Blob, target: ImageTarget): Promise<void> {
    const { store, at } = target;
    const desc = blob.descriptor;
    const key = `${store.key}\n${desc.digest}`;
    const earlier = this.placed.get(key);
    if (earlier) {
      const placedAt = await earlier.catch(() => undefined);
      if (placedAt) {
        if (placedAt.repository === at.repository) return;
        if (await this.request([store.key], () => store.hasBlob(at, desc))) return this.count('blobsSkipped');
        if (await this.link(target, desc)) return this.count('blobsMounted');
        if (
          placedAt.repository &&
          store.mountBlob &&
          (await this.request([store.key], () => store.mountBlob!(at, desc, placedAt.repository!)))
        )
          return this.count('blobsMounted');
        return this.transfer(blob, target);
      }
    }
    const placing = this.place(blob, target).then(() => at);
    this.placed.set(key, placing);
    await placing;
  }

  private link(target: ImageTarget, desc: Descriptor): Promise<boolean> {
    const { store, at } = target;
    return store.linkBlob ? this.request([store.key], () => store.linkBlob!(at, desc)) : Promise.resolve(false);
  }

  private async place(blob: Blob, target: ImageTarget): Promise<void> {
    const { store, at } = target;
    const desc = blob.descriptor;
    const exists = await this.request([store.key], () => store.hasBlob(at, desc)).catch((err: unknown) => {
      throw new CopyFailure('target', (err as Error).message, err);
    });
    if (exists) return this.count('blobsSkipped');
    if (await this.link(target, desc)) return this.count('blobsMounted');
    const from = blob.origin;
    if (from.repository && store.mountBlob && from.key === store.key && from.repository !== at.repository) {
      if (await this.request([store.key], () => store.mountBlob!(at, desc, from.repository!)).catch(() => false))
        return this.count('blobsMounted');
    }
    await this.transfer(blob, target);
  }

  private count(field: 'blobsSkipped' | 'blobsMounted' | 'blobsCopied'): void {
    this.stats[field]++;
  }

  /**
   * Reads, verifies and writes one blob. One AttemptBudget covers the whole blob: each read (first
   * or resumed) takes an attempt, and a failed write or a corrupt read starts over only while attempts
   * remain, so `attempts: N` means at most N reads of the blob whichever layer fails.
   */
  private async transfer(blob: Blob, target: ImageTarget): Promise<void> {
    const desc = blob.descriptor;
    const what = `blob ${desc.digest} from ${blob.origin.key}`;
    const budget = new AttemptBudget(this.retryPolicy);
    const attempt = target.store.fetchBlob
      ? () => this.fetchOnce(blob, target, budget)
      : () => this.writeOnce(blob, target, what, budget);
    await this.limits.run([blob.origin.key, target.store.key], async () => {
      for (;;) {
        const failure = await attempt();
        if (!failure) return this.count('blobsCopied');
        if (budget.exhausted || !retryable(failure.cause)) throw failure.error;
        await sleep(budget.backoff());
      }
    });
  }

  /** One read of the blob through the target store's own fetch (it resumes what an earlier attempt or run left). */
  private async fetchOnce(blob: Blob, target: ImageTarget, budget: AttemptBudget): Promise<Failure | undefined> {
    budget.take();
    try {
      await target.store.fetchBlob!(target.at, blob, (count) => (this.stats.bytes += count));
      return undefined;
    } catch (err) {
      // A system error (ENOSPC, EACCES) that trying again cannot mend is the target's disk; anything else the source.
      const side = systemErrorCode(err) !== undefined && !isTemporary(err) ? 'target' : 'source';
      return {
        cause: err,
        error: new CopyFailure(
          side,
          `${side === 'target' ? `${target.name}: ` : ''}blob ${blob.descriptor.digest} from ${blob.origin.key}: ${(err as Error).message}`,
          err,
        ),
      };
    }
  }

  private async writeOnce(
    blob: Blob,
    target: ImageTarget,
    what: string,
    budget: AttemptBudget,
  ): Promise<Failure | undefined> {
    const desc = blob.descriptor;
    let sourceFailure: unknown;
    const body = resumableBlob((offset) => blob.open(offset), desc.size, what, budget);
    const verifier = new VerifyingStream(desc, what);
    body.on('error', (err) => {
      sourceFailure = err;
      verifier.destroy(err);
    });
    verifier.on('error', (err) => {
      sourceFailure ??= err;
    });
    body.on('data', (chunk: Buffer) => {
      this.stats.bytes += chunk.length;
    });
    body.pipe(verifier);
    try {
      await target.store.writeBlob!(target.at, desc, verifier);
      return undefined;
    } catch (err) {
      body.destroy();
      if (sourceFailure)
        return {
          cause: sourceFailure,
          error: new CopyFailure('source', (sourceFailure as Error).message, sourceFailure),
        };
      return {
        cause: err,
        error: new CopyFailure(
          'target',
          `${target.name}: writing ${desc.digest} failed: ${(err as Error).message}`,
          err,
        ),
      };
    }
  }
}

interface Failure {
  cause: unknown;
  error: CopyFailure;
}
