import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { openBaseRepository } from './base-repository';

let root: string;
afterAll(() => rm(root, { recursive: true, force: true }));

describe('a base.repo that is a folder', () => {
  it('reads files, sizes, listings and ranges relative to the project folder', async () => {
    root = await mkdtemp(join(tmpdir(), 'c11-repo-'));
    await mkdir(join(root, 'mirror/openEuler-24.03-LTS/docker_img/update/2024-06-30'), { recursive: true });
    await writeFile(join(root, 'mirror/openEuler-24.03-LTS/docker_img/a.txt'), 'hello world');
    const repository = openBaseRepository('mirror', root);
    expect(repository.where('x')).toBe(join(root, 'mirror', 'x'));
    expect(await repository.text('openEuler-24.03-LTS/docker_img/a.txt')).toBe('hello world');
    expect(await repository.size('openEuler-24.03-LTS/docker_img/a.txt')).toBe(11);
    expect(await repository.listing('openEuler-24.03-LTS/docker_img/update/')).toEqual(['2024-06-30']);
    const { body, offset } = await repository.open('openEuler-24.03-LTS/docker_img/a.txt', 6);
    expect([await text(body), offset]).toEqual(['world', 6]);
  });

  it('names the missing file and what to check', async () => {
    const repository = openBaseRepository(root, '/elsewhere');
    const error = await repository.text('openEuler-9.9/docker_img/x.sha256sum').catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'BASE_REPOSITORY' });
    expect((error as Error).message).toBe(
      `${join(root, 'openEuler-9.9/docker_img/x.sha256sum')}: no such file (check base.repo, the version and base.index)`,
    );
  });

  it('takes an http(s) URL as a web server, naming the URL when it cannot be reached', async () => {
    const repository = openBaseRepository('http://127.0.0.1:9/repo', root);
    expect(repository.where('openEuler-24.03-LTS/')).toBe('http://127.0.0.1:9/repo/openEuler-24.03-LTS/');
    await expect(repository.text('a')).rejects.toThrow(/^http:\/\/127.0.0.1:9\/repo\/a: /);
  });
});
