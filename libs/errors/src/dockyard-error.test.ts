import { describe, expect, it } from 'vitest';
import { DockyardError, errorChain, hasCode } from './dockyard-error';

describe('DockyardError', () => {
  it('keeps code, hint and the wrapped cause with its type', () => {
    const cause = new RangeError('out of range');
    const err = new DockyardError('reading app.tar failed', { code: 'ARCHIVE_READ', hint: 'download it again', cause });
    expect(err).toMatchObject({ name: 'DockyardError', code: 'ARCHIVE_READ', hint: 'download it again' });
    expect(err.cause).toBe(cause);
    expect(errorChain(err)).toEqual([err, cause]);
  });

  it('finds a code anywhere in the chain, and names subclasses after themselves', () => {
    class PushRefused extends DockyardError {}
    const inner = new PushRefused('refused', { code: 'PUSH_REFUSED' });
    const outer = new DockyardError('bundle push failed', { code: 'BUNDLE_PUSH', cause: inner });
    expect(inner.name).toBe('PushRefused');
    expect(hasCode(outer, 'PUSH_REFUSED')).toBe(true);
    expect(hasCode(outer, 'OTHER')).toBe(false);
    expect(hasCode(new Error('plain'), 'PUSH_REFUSED')).toBe(false);
  });

  it('stops at a cycle of causes', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(errorChain(b)).toEqual([b, a]);
  });
});
