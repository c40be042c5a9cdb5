import { createHash } from 'node:crypto';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@dockyard/files';
import { DockyardError } from '@dockyard/errors';

/**
 * A bundle file named by URL is downloaded once into the content store under its sha256 and
 * checked before it is kept: a changed upstream file fails the bundle instead of changing it.
 */
export async function fetchFileToStore(url: string, sha256: string, storeDir: string, where: string): Promise<string> {
  const path = join(storeDir, 'blobs', 'sha256', sha256);
  if (
    await access(path).then(
      () => true,
      () => false,
    )
  )
    return path;
  const shown = url.replace(/\/\/[^/@]*@/, '//').replace(/[?#].*$/, '');
  const response = await fetch(url).catch((err: Error) => {
    throw new DockyardError(`${where}: cannot download ${shown}: ${err.message}`, {
      code: 'DOWNLOAD_FAILED',
      cause: err,
    });
  });
  if (!response.ok)
    throw new DockyardError(`${where}: downloading ${shown} answered HTTP ${response.status}`, {
      code: 'DOWNLOAD_FAILED',
    });
  const bytes = Buffer.from(await response.arrayBuffer());
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256)
    throw new DockyardError(
      `${where}: ${shown} has sha256 ${actual}, not the ${sha256} project.yaml pins; check the URL or update the pin`,
      { code: 'DOWNLOAD_CHECKSUM_MISMATCH' },
    );
  await writeFileAtomic(path, bytes);
  return path;
}
