import { spawn } from 'node:child_process';

// Waits (at most 60 s) until the process is gone or a zombie — nobody may reap it once its
// parent has exited — then unmounts what it left under the dir and removes the dir.
const script = `
pid="$1"; dir="$2"
if [ -n "$pid" ]; then
  for _ in $(seq 600); do
    [ -r "/proc/$pid/stat" ] || break
    read -r _ _ state _ < "/proc/$pid/stat" || break
    [ "$state" = Z ] && break
    sleep 0.1
  done
fi
awk -v dir="$dir" '$5 == dir || index($5, dir "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r point; do umount -l "$point"; done
rm -rf "$dir"
`;

/**
 * From a process 'exit' hook: leaves behind a detached shell that removes `dir` once
 * process `pid` has exited, so an engine's temp dir does not outlive a test run.
 */
export function removeWhenGone(pid: number | undefined, dir: string): void {
  spawn('sh', ['-c', script, 'remove-when-gone', pid === undefined ? '' : String(pid), dir], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}
