import { describe, expect, it } from 'vitest';
import { DockyardError, errorChain, hasCode, systemErrorCode } from './dockyard-error';

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

  it('reads system codes, never a DockyardError code', () => {
    const enoent = Object.assign(new Error('no such file'), { code: 'ENOENT' });
    expect(systemErrorCode(enoent)).toBe('ENOENT');
    expect(systemErrorCode(new DockyardError('x', { code: 'ENOENT', cause: enoent }))).toBeUndefined();
    expect(systemErrorCode(new Error('plain'))).toBeUndefined();
    expect(systemErrorCode({ code: 'ENOENT' })).toBeUndefined();
  });

  it('stops at a cycle of causes', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(errorChain(b)).toEqual([b, a]);
  });
});
