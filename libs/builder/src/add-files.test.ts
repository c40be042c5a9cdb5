import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { create } from 'tar';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDirFor } from '../../../test/support/tmp';
import { addFiles } from './add-files';
import { parseDockerfile } from './dockerfile';
import type { StageEnvironment } from './stage-environment';
import { mapTree, type SourceNode } from './source-tree';

const instruction = (text: string) =>
  parseDockerfile('Dockerfile', `FROM scratch\n${text}\n`).stages[0]!.instructions[0]!;
const DIGEST = `sha256:${'a'.repeat(64)}`;

async function environment(): Promise<{ env: StageEnvironment; downloads: [string, string | undefined][] }> {
  const dir = await tempDirFor(onTestFinished, 'add-files');
  await writeFile(join(dir, 'hello.txt'), 'hello\n');
  await create({ cwd: dir, file: join(dir, 'site.tar'), portable: true }, ['hello.txt']);
  const local = (path: string): SourceNode => ({
    path,
    type: 'file',
    mode: 0o644,
    size: 1,
    localPath: join(dir, path),
    contentId: async () => `id:${path}`,
    digest: async () => `digest:${path}`,
  });
  const downloads: [string, string | undefined][] = [];
  const env = {
    file: 'Dockerfile',
    scratchDir: dir,
    context: mapTree(
      'the build context',
      new Map([
        ['site.tar', local('site.tar')],
        ['hello.txt', local('hello.txt')],
      ]),
    ),
    store: { blob: () => ({ open: () => Readable.from([Buffer.from('downloaded')]) }) },
    download: async (url: string, checksum: string | undefined) => (
      downloads.push([url, checksum]),
      { digest: DIGEST, size: 10, path: '' }
    ),
  } as unknown as StageEnvironment;
  return { env, downloads };
}

describe('ADD', () => {
  it('unpacks a local archive into the destination, each member identified by the archive and its name', async () => {
    const { env } = await environment();
    const files = await addFiles(env, instruction('ADD site.tar /srv/'), ['site.tar'], { dest: '/srv/', mtime: 3 });
    expect(files.map((f) => [f.entry.path, f.entry.type, f.contentId])).toEqual([
      ['srv/hello.txt', 'file', 'digest:site.tar!hello.txt'],
    ]);
  });

  it('copies a local file that is no archive as COPY does', async () => {
    const { env } = await environment();
    const files = await addFiles(env, instruction('ADD hello.txt /srv/'), ['hello.txt'], { dest: '/srv/', mtime: 3 });
    expect(files.map((f) => [f.entry.path, f.contentId])).toEqual([['srv/hello.txt', 'id:hello.txt']]);
  });

  it('downloads a URL with its --checksum, mode 0600, named after the URL into a folder destination', async () => {
    const { env, downloads } = await environment();
    const at = instruction(`ADD --checksum=${DIGEST} https://files.example.com/dl/tool.tgz /opt/`);
    const [file] = await addFiles(env, at, ['https://files.example.com/dl/tool.tgz'], { dest: '/opt/', mtime: 3 });
    expect(downloads).toEqual([['https://files.example.com/dl/tool.tgz', DIGEST]]);
    expect(file!.entry).toMatchObject({ path: 'opt/tool.tgz', mode: 0o600, size: 10 });
    expect(file!.contentId).toBe(DIGEST);
  });

  it('takes --checksum only with one URL, and only as sha256', async () => {
    const { env } = await environment();
    await expect(
      addFiles(env, instruction(`ADD --checksum=${DIGEST} hello.txt /srv/`), ['hello.txt'], {
        dest: '/srv/',
        mtime: 0,
      }),
    ).rejects.toThrow('ADD --checksum needs exactly one URL source');
    await expect(
      addFiles(env, instruction('ADD --checksum=md5:00 https://h.example.com/f /f'), ['https://h.example.com/f'], {
        dest: '/f',
        mtime: 0,
      }),
    ).rejects.toThrow('--checksum=md5:00 must be sha256:<64 hex digits>');
  });
});
