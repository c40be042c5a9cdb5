import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostArch } from './arch';
import { assertCanRun } from './engine-build';

let dir: string;
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('assertCanRun', () => {
  it('needs nothing for the host arch, an enabled qemu handler for another, and names the fix when it is missing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'c11-binfmt-'));
    const foreign = hostArch() === 'amd64' ? 'arm64' : 'amd64';
    const machine = foreign === 'arm64' ? 'aarch64' : 'x86_64';
    await expect(assertCanRun(hostArch(), dir)).resolves.toBeUndefined();
    const error = await assertCanRun(foreign, dir).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'ENGINE_BUILD' });
    expect((error as Error).message).toContain(`no enabled binfmt_misc handler qemu-${machine}`);
    expect((error as Error).message).toContain(`update-binfmts --enable qemu-${machine}`);
    await writeFile(join(dir, `qemu-${machine}`), 'disabled\ninterpreter /usr/libexec/qemu-binfmt/x\n');
    await expect(assertCanRun(foreign, dir)).rejects.toMatchObject({ code: 'ENGINE_BUILD' });
    await writeFile(join(dir, `qemu-${machine}`), 'enabled\ninterpreter /usr/libexec/qemu-binfmt/x\nflags: PF\n');
    await expect(assertCanRun(foreign, dir)).resolves.toBeUndefined();
  });
});
