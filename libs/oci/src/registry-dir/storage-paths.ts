import { join } from 'node:path';
import { digestHex } from '../digest';

/**
 * Paths of the distribution registry's filesystem storage driver (registry/storage/paths.go),
 * so a stock `registry` serves the directory as is.
 */
export class StoragePaths {
  readonly root: string;
  constructor(dir: string) {
    this.root = join(dir, 'docker', 'registry', 'v2');
  }

  blobData(digest: string): string {
    const hex = digestHex(digest);
    return join(this.root, 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
  }

  layerLink(repository: string, digest: string): string {
    return join(this.root, 'repositories', repository, '_layers', 'sha256', digestHex(digest), 'link');
  }

  revisionLink(repository: string, digest: string): string {
    return join(this.root, 'repositories', repository, '_manifests', 'revisions', 'sha256', digestHex(digest), 'link');
  }

  tagCurrentLink(repository: string, tag: string): string {
    return join(this.root, 'repositories', repository, '_manifests', 'tags', tag, 'current', 'link');
  }

  tagIndexLink(repository: string, tag: string, digest: string): string {
    return join(
      this.root,
      'repositories',
      repository,
      '_manifests',
      'tags',
      tag,
      'index',
      'sha256',
      digestHex(digest),
      'link',
    );
  }
}
