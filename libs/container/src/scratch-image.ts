import type Dockerode from 'dockerode';
import { DockerfileParser } from 'dockerfile-ast';
import { sha256Digest, tarStream } from '@dockyard/oci';

/** The engine-local name of the empty image standing in for `scratch` on one platform. */
export function scratchName(arch: string): string {
  return `dockyard/scratch:linux-${arch}`;
}

/**
 * Docker 20.10's legacy builder gives the images it commits on top of `scratch` the host's platform, so the next
 * step of a foreign-arch build fails ("does not match the specified platform"), and `docker import --platform`
 * records amd64 regardless. An empty image whose config says the wanted platform, loaded as a docker-archive,
 * is a `scratch` the builder keeps the platform of.
 */
export async function loadScratchImage(docker: Dockerode, arch: string): Promise<string> {
  const name = scratchName(arch);
  const config = Buffer.from(
    JSON.stringify({ architecture: arch, os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [] } }),
  );
  const configName = `${sha256Digest(config).slice('sha256:'.length)}.json`;
  const manifest = Buffer.from(JSON.stringify([{ Config: configName, RepoTags: [name], Layers: [] }]));
  const archive = tarStream([
    { path: configName, type: 'file', content: config },
    { path: 'manifest.json', type: 'file', content: manifest },
  ]);
  const progress = await docker.loadImage(archive as unknown as NodeJS.ReadableStream, { quiet: true });
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(progress, (err: Error | null, out: { error?: string }[]) =>
      err ? reject(err) : out.find((e) => e.error) ? reject(new Error(out.find((e) => e.error)!.error)) : resolve(),
    ),
  );
  return name;
}

/** The Dockerfile with each `FROM scratch` replaced by `FROM <image>`, everything else as written. */
export function replaceScratch(text: string, image: string): string {
  const lines = text.split('\n');
  for (const from of DockerfileParser.parse(text).getFROMs()) {
    if (from.getImageName()?.toLowerCase() !== 'scratch') continue;
    const range = from.getImageNameRange()!;
    const line = lines[range.start.line]!;
    lines[range.start.line] = `${line.slice(0, range.start.character)}${image}${line.slice(range.end.character)}`;
  }
  return lines.join('\n');
}
