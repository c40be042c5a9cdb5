import type { RunningDocker } from './docker';

export interface ContainerResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Splits docker's multiplexed log stream (8-byte frame headers: stream id, size) into stdout and stderr. */
function demultiplex(raw: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  for (let offset = 0; offset + 8 <= raw.length;) {
    const size = raw.readUInt32BE(offset + 4);
    const frame = raw.subarray(offset + 8, offset + 8 + size);
    (raw[offset] === 2 ? err : out).push(frame);
    offset += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** Runs `cmd` in a new container of `image` without network, waits for it, returns its output, removes it. */
export async function runContainer(engine: RunningDocker, image: string, cmd: string[]): Promise<ContainerResult> {
  const container = await engine.docker.createContainer({
    Image: image,
    Cmd: cmd,
    Tty: false,
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    return { exitCode: StatusCode, ...demultiplex(logs) };
  } finally {
    await container.remove({ force: true });
  }
}
