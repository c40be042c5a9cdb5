import { posix } from 'node:path';
import type { CopyOptions } from './copy-files';
import { DockerfileError, type DockerInstruction } from './dockerfile';
import type { LayerFile } from './layer-builder';
import { expandVariables, type Variables } from './shell-words';

/** `COPY <<EOF dest`: each `<<NAME` source becomes a file holding its body, variables expanded unless the name was quoted. */
export function heredocFiles(
  file: string,
  at: DockerInstruction,
  sources: string[],
  options: CopyOptions,
  vars: Variables,
  escape: string,
): LayerFile[] {
  const destIsDir = options.dest.endsWith('/') || sources.length > 1;
  return sources.map((source) => {
    const name = source.replace(/^<<-?["']?/, '').replace(/["']$/, '');
    const heredoc = at.heredocs.find((h) => h.name === name);
    if (!heredoc) throw new DockerfileError(file, at.line, `no heredoc body named ${name}`);
    const content = Buffer.from(heredoc.quoted ? heredoc.content : expandVariables(heredoc.content, vars, escape));
    const path = (destIsDir ? posix.join(options.dest, name) : options.dest).replace(/^\/+/, '');
    return {
      entry: {
        path,
        type: 'file',
        mode: options.mode ?? 0o644,
        uid: options.uid,
        gid: options.gid,
        mtime: options.mtime,
        size: content.length,
        content,
      },
      contentId: `heredoc:${content.toString('base64')}`,
    } satisfies LayerFile;
  });
}
