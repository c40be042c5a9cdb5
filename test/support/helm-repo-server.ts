import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface HelmRepoServer {
  url: string;
  /** Replaces the bytes served for one archive without touching index.yaml (a re-published chart). */
  replaceArchive(file: string, content: Buffer): void;
  stop(): Promise<void>;
}

/** Packages `name-version.tgz` charts with `tar` and serves them plus index.yaml over loopback HTTP. */
export async function startHelmRepo(
  workDir: string,
  charts: { name: string; version: string; image: string }[],
): Promise<HelmRepoServer> {
  const files = new Map<string, Buffer>();
  const entries: Record<string, unknown[]> = {};
  for (const chart of charts) {
    const dir = join(workDir, `${chart.name}-${chart.version}`, chart.name);
    await mkdir(join(dir, 'templates'), { recursive: true });
    await writeFile(
      join(dir, 'Chart.yaml'),
      `apiVersion: v2\nname: ${chart.name}\nversion: ${chart.version}\nappVersion: "${chart.version}"\n`,
    );
    await writeFile(join(dir, 'values.yaml'), `image:\n  repository: ${chart.image}\n  tag: ""\n`);
    // The tag comes from the template, as in `helm create` charts: discovery must evaluate it, not guess.
    await writeFile(
      join(dir, 'templates/deployment.yaml'),
      'kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"\n',
    );
    const archive = join(workDir, `${chart.name}-${chart.version}.tgz`);
    await execa('tar', ['-C', join(dir, '..'), '-czf', archive, chart.name]);
    const content = await readFile(archive);
    files.set(`/charts/${chart.name}-${chart.version}.tgz`, content);
    (entries[chart.name] ??= []).push({
      apiVersion: 'v2',
      name: chart.name,
      version: chart.version,
      urls: [`${chart.name}-${chart.version}.tgz`],
      digest: createHash('sha256').update(content).digest('hex'),
    });
  }
  files.set('/charts/index.yaml', Buffer.from(stringify({ apiVersion: 'v1', entries })));
  const server: Server = createServer((req, res) => {
    const body = files.get(req.url ?? '');
    res.writeHead(body ? 200 : 404).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/charts`,
    replaceArchive: (file, content) => files.set(`/charts/${file}`, content),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
