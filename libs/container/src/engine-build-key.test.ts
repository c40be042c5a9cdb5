import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { TarEntry } from '@dockyard/oci';
import { engineBuildKey, type EngineBuildInputs } from './engine-build-key';

const file = (path: string, text: string, mode = 0o644): TarEntry => ({
  path,
  type: 'file',
  mode,
  size: text.length,
  content: () => Readable.from([Buffer.from(text)]),
});
const inputs = (over: Partial<EngineBuildInputs> = {}): EngineBuildInputs => ({
  dockerfile: 'FROM scratch\nRUN echo hi\n',
  arch: 'arm64',
  context: [file('a.sh', 'echo a'), { path: 'etc', type: 'directory', mode: 0o755 }],
  ...over,
});

describe('engineBuildKey', () => {
  it('is the same for the same Dockerfile, arch and context, whatever order the context is listed in', async () => {
    const key = await engineBuildKey(inputs());
    expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await engineBuildKey(inputs({ context: [...inputs().context].reverse() }))).toBe(key);
  });

  it('changes with the Dockerfile, the arch, a file content, a mode or a new file', async () => {
    const key = await engineBuildKey(inputs());
    const others = await Promise.all([
      engineBuildKey(inputs({ dockerfile: 'FROM scratch\nRUN echo ho\n' })),
      engineBuildKey(inputs({ arch: 'amd64' })),
      engineBuildKey(inputs({ context: [file('a.sh', 'echo b'), inputs().context[1]!] })),
      engineBuildKey(inputs({ context: [file('a.sh', 'echo a', 0o755), inputs().context[1]!] })),
      engineBuildKey(inputs({ context: [...inputs().context, file('b.sh', '')] })),
    ]);
    for (const other of others) expect(other).not.toBe(key);
    expect(new Set(others).size).toBe(others.length);
  });

  it('takes a known digest instead of reading the file (a rootfs from the content store)', async () => {
    const unread: TarEntry = {
      path: 'rootfs.tar',
      type: 'file',
      size: 1,
      content: () => {
        throw new Error('read');
      },
    };
    const known = (digest: string) =>
      engineBuildKey(inputs({ context: [unread], knownDigests: new Map([['rootfs.tar', digest]]) }));
    expect(await known('sha256:aa')).toBe(await known('sha256:aa'));
    expect(await known('sha256:aa')).not.toBe(await known('sha256:bb'));
  });
});
