import { describe, expect, it } from 'vitest';
import { copiedFiles, destination, parseOwner } from './copy-instruction';
import { parseDockerfile, type DockerInstruction } from './dockerfile';
import type { StageEnvironment, StageResult } from './stage-environment';
import { mapTree, type SourceNode } from './source-tree';

const node = (path: string, type: SourceNode['type'] = 'file'): SourceNode => ({
  path,
  type,
  mode: type === 'file' ? 0o644 : 0o755,
  size: 1,
  contentId: async () => `id:${path}`,
});
const context = mapTree('the build context', new Map([['app.conf', node('app.conf')]]));
const env = { file: 'Dockerfile', escape: '\\', epoch: 5, context } as unknown as StageEnvironment;
const instruction = (line: string): DockerInstruction =>
  parseDockerfile('Dockerfile', `FROM scratch\n${line}\n`).stages[0]!.instructions[0]!;
const copy = (line: string, earlier: StageResult[] = [], workdir = '') =>
  copiedFiles(instruction(line), env, { vars: new Map([['NAME', 'web']]), workdir, earlier });

describe('COPY and ADD instructions', () => {
  it('places the destination relative to WORKDIR, a folder when it ends in / or is the root', () => {
    expect(destination('/srv', 'app')).toBe('/srv/app');
    expect(destination('/srv', 'conf/')).toBe('/srv/conf/');
    expect(destination('', '.')).toBe('/');
    expect(destination('/srv', '/')).toBe('/');
  });

  it('reads --chown as numeric ids, the group defaulting to the user, and refuses names it cannot look up', () => {
    const at = instruction('COPY --chown=1000 a b');
    expect(parseOwner('1000', 'Dockerfile', at)).toEqual({ uid: 1000, gid: 1000 });
    expect(parseOwner('root:7', 'Dockerfile', at)).toEqual({ uid: 0, gid: 7 });
    expect(() => parseOwner('nginx', 'Dockerfile', at)).toThrow(
      'Dockerfile:2: --chown=nginx: a daemonless build has no /etc/passwd to look "nginx" up in',
    );
  });

  it('copies from the context with variables, --chmod and --chown applied, under WORKDIR', async () => {
    const [file] = await copy('COPY --chmod=0755 --chown=1:2 app.conf $NAME.conf', [], '/etc');
    expect(file!.entry).toMatchObject({ path: 'etc/web.conf', mode: 0o755, uid: 1, gid: 2, mtime: 5 });
  });

  it('reads --from an earlier stage by name or index', async () => {
    const stage: StageResult = {
      name: 'assets',
      image: undefined as never,
      tree: async () => mapTree('stage assets', new Map([['dist', node('dist')]])),
    };
    expect((await copy('COPY --from=assets dist /srv/dist', [stage]))[0]!.entry.path).toBe('srv/dist');
    expect((await copy('COPY --from=0 dist /srv/dist', [stage]))[0]!.entry.path).toBe('srv/dist');
  });

  it('refuses a flag the instruction does not take, a bad --chmod and a missing destination', async () => {
    await expect(copy('COPY --checksum=sha256:00 app.conf /etc/')).rejects.toThrow(
      'COPY --checksum is not supported (COPY takes --chown, --chmod, --link, --from)',
    );
    await expect(copy('ADD --from=x app.conf /etc/')).rejects.toThrow('ADD --from is not supported');
    await expect(copy('COPY --chmod=rwx app.conf /etc/')).rejects.toThrow('--chmod=rwx is not an octal mode');
    await expect(copy('COPY app.conf')).rejects.toThrow('COPY needs at least one source and a destination');
  });

  it('writes a heredoc source as a file', async () => {
    const [file] = await copy('COPY <<EOF /etc/motd\nhello $NAME\nEOF');
    expect(file!.entry).toMatchObject({ path: 'etc/motd', mode: 0o644, content: Buffer.from('hello web\n') });
  });
});
