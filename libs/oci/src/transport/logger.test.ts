import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { logger } from './logger';
import type { Transport } from './types';

describe('logger', () => {
  it('logs method, origin and path with the status or the failure, never the query string', async () => {
    const lines: string[] = [];
    const ok: Transport = async (request) => ({ status: 202, headers: {}, url: request.url, body: Readable.from([]) });
    const failing: Transport = async () => {
      throw new Error('ECONNRESET');
    };
    await logger((line) => lines.push(line))(ok)({
      method: 'PUT',
      url: new URL('https://reg.example.com/v2/a?token=secret'),
    });
    await expect(
      logger((line) => lines.push(line))(failing)({ method: 'GET', url: new URL('https://reg.example.com/v2/b?x=1') }),
    ).rejects.toThrow('ECONNRESET');
    expect(lines[0]).toMatch(/^PUT https:\/\/reg\.example\.com\/v2\/a → 202 \(\d+ ms\)$/);
    expect(lines[1]).toBe('GET https://reg.example.com/v2/b → ECONNRESET');
    expect(lines.join('\n')).not.toContain('secret');
    expect(logger(undefined)(ok)).toBe(ok);
  });
});
