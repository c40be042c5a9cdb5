import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startRegistry, type RunningRegistry } from '../../test/harness/registry';
import { removeTempDir, tempDir } from '../../test/harness/tmp';
import { pushImageSet } from './image-set';

const root = join(__dirname, '..', '..');
const dockyardBin = join(root, 'tools', 'cli', 'bin', 'dockyard.cjs');

interface Measured {
  seconds: number;
  peakRssMb: number;
  command: string;
}

/** Runs a command under GNU time: wall seconds and peak resident memory of the whole process. */
function measure(command: string, args: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/time', ['-f', '%e %M', command, ...args], { maxBuffer: 64 * 1024 * 1024 }, (err, _stdout, stderr) => {
      const last = stderr.trim().split('\n').pop() ?? '';
      const match = /^([\d.]+) (\d+)$/.exec(last);
      if (err || !match) return reject(new Error(`${command} ${args.join(' ')} failed: ${err?.message ?? ''}\n${stderr.slice(-2000)}`));
      resolve({ seconds: Number(match[1]), peakRssMb: Number(match[2]) / 1024, command: `${command} ${args.join(' ')}` });
    });
  });
}

function skopeoYaml(source: RunningRegistry, lines: string[]): string {
  const images = lines.map((l) => `    ${l.split(':')[0]}: [${l.split(':')[1]}]`).join('\n');
  return `${source.host}:\n  tls-verify: false\n  images:\n${images}\n`;
}

interface Row {
  scenario: string;
  dockyard: Measured;
  skopeo: Measured;
}

export async function main(): Promise<number> {
  const work = await tempDir('bench-sync');
  const registries: RunningRegistry[] = [];
  const start = async () => {
    const registry = await startRegistry();
    registries.push(registry);
    return registry;
  };
  try {
    const [source, forDockyard, forSkopeo] = await Promise.all([start(), start(), start()]);
    console.error('pushing the synthetic image set…');
    const set = await pushImageSet(source.url);
    const list = join(work, 'images.list');
    await writeFile(list, set.lines.join('\n') + '\n');
    const yaml = join(work, 'skopeo.yaml');
    await writeFile(yaml, skopeoYaml(source, set.lines));
    console.error(`${set.lines.length} images (${set.multiArch} multi-arch), ${(set.uniqueBytes / 1024 / 1024).toFixed(0)} MB of unique blobs`);

    const dockyardSync = (to: string) => measure('node', [dockyardBin, 'sync', list, '--from', source.host, '--to', to, '--report', join(work, 'report')]);
    const skopeoSync = (to: string) => measure('skopeo', ['sync', '--all', '--src', 'yaml', '--dest', 'docker', '--dest-tls-verify=false', yaml, to]);

    const rows: Row[] = [];
    rows.push({ scenario: 'first copy, registry → empty registry', dockyard: await dockyardSync(forDockyard.host), skopeo: await skopeoSync(forSkopeo.host) });
    rows.push({ scenario: 'no-op re-sync (everything present)', dockyard: await dockyardSync(forDockyard.host), skopeo: await skopeoSync(forSkopeo.host) });
    rows.push({ scenario: 'new repositories in the same registry (mounts)', dockyard: await dockyardSync(`${source.host}/copy-dockyard`), skopeo: await skopeoSync(`${source.host}/copy-skopeo`) });
    const image = `${source.host}/${set.largestSingle}`;
    rows.push({
      scenario: `registry → docker-archive (${set.largestSingle})`,
      dockyard: await measure('node', [dockyardBin, 'copy', `docker://${image}`, `docker-archive:${join(work, 'dockyard.tar')}:${set.largestSingle}`]),
      skopeo: await measure('skopeo', ['copy', '--src-tls-verify=false', `docker://${image}`, `docker-archive:${join(work, 'skopeo.tar')}:${set.largestSingle}`]),
    });

    console.log(`| scenario | dockyard s | skopeo s | speed-up | dockyard peak RSS MB | skopeo peak RSS MB |`);
    console.log(`| --- | ---: | ---: | ---: | ---: | ---: |`);
    for (const row of rows) {
      console.log(`| ${row.scenario} | ${row.dockyard.seconds.toFixed(2)} | ${row.skopeo.seconds.toFixed(2)} | ${(row.skopeo.seconds / row.dockyard.seconds).toFixed(1)}x | ${row.dockyard.peakRssMb.toFixed(0)} | ${row.skopeo.peakRssMb.toFixed(0)} |`);
    }
    await mkdir(join(root, 'tmp'), { recursive: true });
    await writeFile(join(root, 'tmp', 'bench-sync.json'), JSON.stringify({ set: { images: set.lines.length, multiArch: set.multiArch, uniqueBytes: set.uniqueBytes }, rows }, null, 2));
    return 0;
  } finally {
    await Promise.all(registries.map((r) => r.stop()));
    await removeTempDir(work);
  }
}
