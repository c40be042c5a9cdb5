// CPU accounting for the first copy: where the machine's two cores go when `dockyard sync` and
// `skopeo sync` fill an empty registry. Usage: node -r @swc-node/register bench/sync/cpu.ts [ROUNDS]
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startRegistry } from '../../test/support/registry';
import { removeTempDir, tempDir } from '../../test/support/tmp';
import { pushImageSet, writeSyncInputs } from './image-set';

/** Seconds of CPU used so far by every docker-registry process (the source and the target). */
function registriesCpu(): number {
  const script =
    "for p in $(pgrep -x docker-registry); do awk '{print $14+$15}' /proc/$p/stat; done | awk '{s+=$1} END {print s/100}'";
  return Number(execFileSync('bash', ['-c', script], { encoding: 'utf8' }).trim());
}

/** Wall, user and system seconds of one command, from GNU time. */
function timed(command: string, args: string[]): { wall: number; cpu: number } {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S', command, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (result.status !== 0) throw new Error(`${command} failed:\n${result.stderr}`);
  return parse(result.stderr);
}

function parse(stderr: string): { wall: number; cpu: number } {
  const [wall, user, sys] = stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall: wall!, cpu: user! + sys! };
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  const work = await tempDir('bench-cpu');
  const source = await startRegistry();
  try {
    const set = await pushImageSet(source.url);
    const { list, yaml } = await writeSyncInputs(work, source.host, set);
    const tools: Record<string, (to: string) => [string, string[]]> = {
      dockyard: (to) => [
        'node',
        [
          'tools/cli/bin/dockyard.cjs',
          'sync',
          list,
          '--from',
          source.host,
          '--to',
          to,
          '--report',
          join(work, 'report'),
        ],
      ],
      skopeo: (to) => [
        'skopeo',
        ['sync', '--all', '--src', 'yaml', '--dest', 'docker', '--dest-tls-verify=false', yaml, to],
      ],
    };
    console.log('| tool | wall s | tool CPU s | registries CPU s | total CPU s | total / 2 cores s |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (let round = 0; round < rounds; round++) {
      for (const [name, command] of Object.entries(tools)) {
        const target = await startRegistry();
        const before = registriesCpu();
        const [bin, args] = command(target.host);
        const { wall, cpu } = timed(bin, args);
        const registries = registriesCpu() - before;
        await target.stop();
        const total = cpu + registries;
        console.log(
          `| ${name} | ${wall.toFixed(2)} | ${cpu.toFixed(2)} | ${registries.toFixed(2)} | ${total.toFixed(2)} | ${(total / 2).toFixed(2)} |`,
        );
      }
    }
  } finally {
    await source.stop();
    await removeTempDir(work);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
