import { posix } from 'node:path';
import { addFiles } from './add-files';
import { copyFromTree, type CopyOptions } from './copy-files';
import { DockerfileError, type DockerInstruction } from './dockerfile';
import { heredocFiles } from './heredoc-files';
import type { LayerFile } from './layer-builder';
import { processWords, type Variables } from './shell-words';
import type { StageEnvironment, StageResult } from './stage-environment';
import { fromTree } from './stage-tree';

/** Where in the stage a COPY/ADD runs: its variables, WORKDIR and the stages before it. */
export interface CopyScope {
  vars: Variables;
  workdir: string;
  earlier: readonly StageResult[];
}

const KNOWN_FLAGS: Record<string, string[]> = {
  COPY: ['chown', 'chmod', 'link', 'from'],
  ADD: ['chown', 'chmod', 'link', 'checksum'],
};

export function parseOwner(value: string, file: string, at: DockerInstruction): { uid: number; gid: number } {
  const [user, group] = value.split(':');
  const id = (part: string | undefined, fallback: number) => {
    if (part === undefined || part === '') return fallback;
    if (part === 'root') return 0;
    if (!/^\d+$/.test(part))
      throw new DockerfileError(
        file,
        at.line,
        `--chown=${value}: a daemonless build has no /etc/passwd to look "${part}" up in; give numeric ids (--chown=1000:1000)`,
      );
    return Number(part);
  };
  const uid = id(user, 0);
  return { uid, gid: id(group, uid) };
}

/** The destination in the image, relative to WORKDIR; a folder (trailing '/') when Docker would treat it as one. */
export function destination(workdir: string, dest: string): string {
  const absolute = posix.resolve(workdir || '/', dest);
  return dest.endsWith('/') || dest === '.' || absolute === '/' ? `${absolute.replace(/\/$/, '')}/` : absolute;
}

function copyOptions(at: DockerInstruction, dest: string, env: StageEnvironment): CopyOptions {
  const chown = at.flags.get('chown');
  const chmod = at.flags.get('chmod');
  if (chmod !== undefined && !/^[0-7]{3,4}$/.test(chmod))
    throw new DockerfileError(env.file, at.line, `--chmod=${chmod} is not an octal mode (write e.g. --chmod=0755)`);
  const known = KNOWN_FLAGS[at.keyword]!;
  for (const flag of at.flags.keys()) {
    if (!known.includes(flag))
      throw new DockerfileError(
        env.file,
        at.line,
        `${at.keyword} --${flag} is not supported (${at.keyword} takes ${known.map((k) => `--${k}`).join(', ')})`,
      );
  }
  return {
    dest,
    mtime: env.epoch,
    mode: chmod === undefined ? undefined : parseInt(chmod, 8),
    ...(chown === undefined ? {} : parseOwner(chown, env.file, at)),
  };
}

/** The files one COPY or ADD puts in its layer: heredoc bodies, ADD's downloads and archives, or a tree's files. */
export async function copiedFiles(
  at: DockerInstruction,
  env: StageEnvironment,
  scope: CopyScope,
): Promise<LayerFile[]> {
  const words = at.json ?? processWords(at.args, scope.vars, env.escape);
  if (words.length < 2)
    throw new DockerfileError(env.file, at.line, `${at.keyword} needs at least one source and a destination`);
  const options = copyOptions(at, destination(scope.workdir, words.at(-1)!), env);
  const sources = words.slice(0, -1);
  if (sources.some((s) => s.startsWith('<<')))
    return heredocFiles(env.file, at, sources, options, scope.vars, env.escape);
  if (at.keyword === 'ADD') return addFiles(env, at, sources, options);
  const from = at.flags.get('from');
  const tree = from
    ? await fromTree(processWords(from, scope.vars, env.escape)[0] ?? from, scope.earlier, env)
    : env.context;
  return copyFromTree(tree, sources, options);
}
