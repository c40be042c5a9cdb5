import { describe, expect, it } from 'vitest';
import { isReservedHost } from './reserved-host';

describe('isReservedHost', () => {
  it('knows the documentation and test names, with or without a port, and nothing else', () => {
    for (const host of ['example.com', 'reg.example.org:5000', 'harbor.test', 'x.invalid', 'EXAMPLE.NET'])
      expect(isReservedHost(host), host).toBe(true);
    for (const host of ['docker.io', 'example.com.cn', 'myexample.com', '127.0.0.1:5000', 'testing.io'])
      expect(isReservedHost(host), host).toBe(false);
  });
});
