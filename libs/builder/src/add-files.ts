import { posix } from 'node:path';
import { archiveMembers, tarOf } from './archive';
import { copyFromTree, type CopyOptions } from './copy-files';
import { DockerfileError, type DockerInstruction } from './dockerfile';
import type { LayerFile } from './layer-builder';
import type { StageEnvironment } from './stage-environment';

type AddEnvironment = Pick<StageEnvironment, 'file' | 'context' | 'store' | 'scratchDir' | 'download'>;

/** One `ADD URL`, downloaded (and checked) into the store: 0600 like Docker, named after the URL's last segment. */
async function urlFile(
  env: AddEnvironment,
  url: string,
  checksum: string | undefined,
  options: CopyOptions,
  destIsDir: boolean,
): Promise<LayerFile> {
  const fetched = await env.download(url, checksum);
  const name = posix.basename(new URL(url).pathname) || 'download';
  const path = (destIsDir ? posix.join(options.dest, name) : options.dest).replace(/^\/+/, '');
  const blob = env.store.blob({ mediaType: 'application/octet-stream', digest: fetched.digest, size: fetched.size });
  return {
    entry: {
      path,
      type: 'file',
      mode: options.mode ?? 0o600,
      uid: options.uid,
      gid: options.gid,
      mtime: options.mtime,
      size: fetched.size,
      content: () => blob.open(),
    },
    contentId: fetched.digest,
  };
}

/** A local source of ADD: an archive (tar, any compression) is unpacked into the destination; anything else is copied as COPY does. */
async function localFiles(
  env: AddEnvironment,
  source: string,
  options: CopyOptions,
  index: number,
): Promise<LayerFile[]> {
  const files: LayerFile[] = [];
  for (const path of await env.context.resolve(source)) {
    const [node] = await env.context.walk(path);
    const tar =
      node?.type === 'file' && node.localPath
        ? await tarOf(node.localPath, env.scratchDir, `add-${index + files.length}-${posix.basename(path)}`)
        : undefined;
    if (!node || !tar) {
      files.push(...(await copyFromTree(env.context, [path], options)));
      continue;
    }
    const archiveId = node.digest ? await node.digest() : await node.contentId();
    const dest = options.dest.replace(/^\/+/, '').replace(/\/+$/, '');
    for (const member of await archiveMembers(tar, path)) {
      files.push({
        entry: {
          path: posix.join(dest, member.name),
          type: member.type,
          mode: options.mode ?? member.mode,
          uid: options.uid,
          gid: options.gid,
          mtime: options.mtime,
          ...(member.type === 'file' ? { size: member.size, content: member.open } : {}),
          ...(member.type === 'hardlink'
            ? { linkpath: posix.join(dest, member.linkpath ?? '') }
            : member.linkpath
              ? { linkpath: member.linkpath }
              : {}),
        },
        contentId: member.type === 'file' ? `${archiveId}!${member.name}` : undefined,
      });
    }
  }
  return files;
}

/** The files of one ADD: URLs downloaded, local archives unpacked, other local sources copied. */
export async function addFiles(
  env: AddEnvironment,
  at: DockerInstruction,
  sources: string[],
  options: CopyOptions,
): Promise<LayerFile[]> {
  const checksum = at.flags.get('checksum');
  const urls = sources.filter((s) => /^https?:\/\//i.test(s));
  if (checksum !== undefined && (urls.length !== 1 || sources.length !== 1))
    throw new DockerfileError(env.file, at.line, 'ADD --checksum needs exactly one URL source');
  if (checksum !== undefined && !/^sha256:[a-f0-9]{64}$/.test(checksum))
    throw new DockerfileError(env.file, at.line, `--checksum=${checksum} must be sha256:<64 hex digits>`);
  const files: LayerFile[] = [];
  const destIsDir = options.dest.endsWith('/') || sources.length > 1;
  for (const source of sources) {
    if (urls.includes(source)) files.push(await urlFile(env, source, checksum, options, destIsDir));
    else files.push(...(await localFiles(env, source, options, files.length)));
  }
  return files;
}
