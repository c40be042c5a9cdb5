import { rename, rm } from 'node:fs/promises';
import { runTool } from './tools';

/**
 * The GNU tar arguments of a reproducible root filesystem archive: entries sorted by name, numeric owners, times
 * clamped to the epoch, PAX headers without access and change times or the process id, extended attributes kept.
 */
export function wslTarArguments(tree: string, out: string, epoch: number): string[] {
  return [
    '--create',
    `--file=${out}`,
    `--directory=${tree}`,
    '--sort=name',
    '--numeric-owner',
    `--mtime=@${epoch}`,
    '--clamp-mtime',
    '--format=posix',
    '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
    '--xattrs',
    '--xattrs-include=*',
    '.',
  ];
}

/**
 * The image's root filesystem as one `.tar.gz`, what `wsl --import` takes (EulerPublisher's WSL section is still "to
 * be added"), reproducible: the same tree and epoch give the same bytes (`gzip -n` stores no name or time).
 */
export async function writeWslRootfs(tree: string, out: string, epoch: number): Promise<void> {
  const tar = out.replace(/\.gz$/, '');
  await rm(tar, { force: true });
  await runTool('tar', wslTarArguments(tree, tar, epoch), { env: { ...process.env, LC_ALL: 'C' } });
  await runTool('gzip', ['-n', '-6', '--force', tar]);
  if (`${tar}.gz` !== out) await rename(`${tar}.gz`, out);
}
