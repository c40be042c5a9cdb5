import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processIsAlive } from './process-alive';

describe('processIsAlive', () => {
  it('is true for this process and for one of another user (EPERM), false for one that exited', () => {
    expect(processIsAlive(process.pid)).toBe(true);
    // pid 1 belongs to root: an unprivileged kill(1, 0) fails with EPERM, yet the process runs.
    expect(processIsAlive(1)).toBe(true);
    const exited = spawnSync(process.execPath, ['-e', '']).pid;
    expect(processIsAlive(exited)).toBe(false);
  });
});
