import { PassThrough, type Readable } from 'node:stream';
import { DockyardError, systemErrorCode } from '@dockyard/errors';
import { InterruptedBodyError } from '../transport/errors';
import { isTemporary, type AttemptBudget } from '../transport/retry';

/** A blob read that failed for good or ran out of attempts: the copy's source side failed, not the target. */
export class SourceReadError extends DockyardError {
  constructor(message: string, cause: unknown) {
    super(message, { code: 'SOURCE_READ', cause });
  }
}

/**
 * A blob body that survives broken connections: when the stream fails or ends early it is
 * reopened with a Range from the last byte received. Every open takes one attempt from `budget`
 * (shared with the caller's own retries of the same blob); a failure that is not temporary
 * (404, 401, 403, a missing file) ends it at once. Bodies are piped, not async-iterated: a
 * promise per chunk cost a third of a copy's CPU (bench/sync).
 */
export function resumableBlob(
  open: (offset: number) => Promise<Readable>,
  size: number,
  what: string,
  budget: AttemptBudget,
): Readable {
  const out = new PassThrough();
  let offset = 0;
  let current: Readable | undefined;
  out.once('close', () => current?.destroy());

  const fail = (err: unknown) => {
    if (!isTemporary(err)) return void out.destroy(new SourceReadError(`${what}: ${(err as Error).message}`, err));
    if (budget.exhausted)
      return void out.destroy(
        new SourceReadError(`${what}: ${(err as Error).message} (gave up after ${budget.spent} attempts)`, err),
      );
    setTimeout(attempt, budget.backoff());
  };

  function attempt(): void {
    if (out.destroyed) return;
    budget.take();
    open(offset).then((body) => {
      if (out.destroyed) return void body.destroy();
      current = body;
      let settled = false;
      const interrupted = () => new InterruptedBodyError(`connection closed after ${offset} of ${size} bytes`);
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        body.unpipe(out);
        // A stream error without a system code (a premature close, a parser's complaint) is an interruption too.
        if (err)
          return fail(
            isTemporary(err) || systemErrorCode(err) === undefined ? new InterruptedBodyError(err.message, err) : err,
          );
        if (offset >= size) return void out.end();
        fail(interrupted());
      };
      body.on('data', (chunk: Buffer) => {
        offset += chunk.length;
      });
      body.once('error', settle);
      body.once('end', () => settle());
      body.once('close', () => settle(body.readableEnded ? undefined : interrupted()));
      body.pipe(out, { end: false });
    }, fail);
  }

  attempt();
  return out;
}
