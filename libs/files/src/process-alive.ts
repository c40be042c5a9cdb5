/**
 * Whether process `pid` runs on this machine: the owner test for `.tmp-<pid>-…`, `.partial.<pid>` and
 * `.work-<pid>` leftovers. EPERM means it runs under another user, so its files are not ours to remove.
 */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
