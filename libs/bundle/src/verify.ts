import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { forEachBundleEntry, forEachNestedEntry, type ArchiveEntry } from './bundle-reader';
import { dockerArchiveMembers, ociBlobPath, RegistryStorage, type ArchiveLayout } from '@dockyard/oci';
import { INVENTORY_FILE, type Inventory } from './inventory';
import { SHA256SUMS_FILE } from './write-bundle';
import { DockyardError } from '@dockyard/errors';

export interface BlobProblem {
  digest: string;
  payload: string;
  /** Images that cannot be installed without it. */
  images: string[];
  /** For a corrupt blob: what its content hashes to. */
  actual?: string;
}

export interface VerifyReport {
  inventory?: Inventory;
  filesChecked: number;
  blobsChecked: number;
  corruptFiles: { path: string; expected: string; actual: string }[];
  missingFiles: string[];
  /** Files in the bundle that sha256sums.txt does not list. */
  unlistedFiles: string[];
  corruptBlobs: BlobProblem[];
  missingBlobs: BlobProblem[];
  ok: boolean;
}

async function sha256Hex(body: NodeJS.ReadableStream): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of body) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function parseSums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([a-f0-9]{64}) [ *](.+)$/.exec(line);
    if (match) sums.set(match[2]!, match[1]!);
  }
  return sums;
}

function imagesNeeding(inventory: Inventory, payload: string, digest: string): string[] {
  return inventory.images
    .filter((i) => i.payload === payload && [...i.blobs, ...i.manifests].some((b) => b.digest === digest))
    .map((i) => i.name);
}

/** Blobs a payload must hold: configs and layers, plus manifests where the layout stores them as blobs. */
function expectedBlobs(inventory: Inventory, payload: string, format: ArchiveLayout): Set<string> {
  const omitted = new Set((inventory.omittedBlobs ?? []).map((o) => o.digest));
  const expected = new Set<string>();
  for (const image of inventory.images.filter((i) => i.payload === payload)) {
    for (const blob of image.blobs) if (!omitted.has(blob.digest)) expected.add(blob.digest);
    if (format !== 'docker-archive') for (const m of image.manifests) expected.add(m.digest);
  }
  return expected;
}

const registryPaths = new RegistryStorage('').paths;

/** Member path → the digest its bytes must hash to, spelled by the layouts' own name rules (the writer's). */
function blobPaths(inventory: Inventory, payload: string, format: ArchiveLayout): Map<string, string> {
  const paths = new Map<string, string>();
  if (format === 'docker-archive') {
    const images = inventory.images
      .filter((i) => i.payload === payload)
      .map((i) => ({ config: i.blobs[0]!, layers: i.blobs.slice(1), repoTags: [] }));
    for (const member of dockerArchiveMembers(images)) if (member.digest) paths.set(member.entry.path, member.digest);
    return paths;
  }
  for (const digest of expectedBlobs(inventory, payload, format))
    paths.set(format === 'oci' ? ociBlobPath(digest) : registryPaths.blobData(digest), digest);
  return paths;
}

/**
 * Re-hashes every file of a bundle against sha256sums.txt and every blob of every payload
 * against its digest, reading the archive once in place. Names what is corrupt or missing and
 * which images that breaks.
 */
export async function verifyBundle(file: string): Promise<VerifyReport> {
  let top: string | undefined;
  let inventory: Inventory | undefined;
  let sums: Map<string, string> | undefined;
  const fileHashes = new Map<string, string>();
  const seenBlobs = new Map<string, Set<string>>();
  const report: VerifyReport = {
    filesChecked: 0,
    blobsChecked: 0,
    corruptFiles: [],
    missingFiles: [],
    unlistedFiles: [],
    corruptBlobs: [],
    missingBlobs: [],
    ok: false,
  };

  await forEachBundleEntry(file, async (entry: ArchiveEntry) => {
    if (top === undefined) top = entry.type === 'directory' ? entry.path.replace(/\/$/, '') : '';
    if (entry.type !== 'file') return entry.body.resume() && undefined;
    const path = top && entry.path.startsWith(`${top}/`) ? entry.path.slice(top.length + 1) : entry.path;
    if (path === INVENTORY_FILE) {
      const bytes = await buffer(entry.body);
      fileHashes.set(path, createHash('sha256').update(bytes).digest('hex'));
      inventory = JSON.parse(bytes.toString('utf8')) as Inventory;
      return;
    }
    if (path === SHA256SUMS_FILE) {
      sums = parseSums((await buffer(entry.body)).toString('utf8'));
      return;
    }
    const payload = inventory?.payloads.find((p) => p.file === path);
    if (!payload) {
      fileHashes.set(path, await sha256Hex(entry.body));
      return;
    }
    const hash = createHash('sha256');
    const tap = new Transform({ transform: (chunk: Buffer, _e, cb) => cb(null, hash.update(chunk) && chunk) });
    const seen = new Set<string>();
    seenBlobs.set(path, seen);
    const digests = blobPaths(inventory!, path, payload.format);
    entry.body.on('error', (err) => tap.destroy(err));
    await forEachNestedEntry({ ...entry, path, body: entry.body.pipe(tap) }, file, async (inner) => {
      const digest = inner.type === 'file' ? digests.get(inner.path) : undefined;
      if (!digest) return inner.body.resume() && undefined;
      const actual = `sha256:${await sha256Hex(inner.body)}`;
      report.blobsChecked++;
      if (actual === digest) seen.add(digest);
      else report.corruptBlobs.push({ digest, payload: path, images: imagesNeeding(inventory!, path, digest), actual });
    });
    fileHashes.set(path, hash.digest('hex'));
  });

  report.inventory = inventory;
  if (!inventory)
    throw new DockyardError(
      `${file}: no ${INVENTORY_FILE} at the start of the bundle; it was not written by dockyard bundle`,
      { code: 'BUNDLE_INVENTORY_MISSING' },
    );
  if (!sums) report.missingFiles.push(SHA256SUMS_FILE);
  for (const [path, expected] of sums ?? []) {
    const actual = fileHashes.get(path);
    if (actual === undefined) report.missingFiles.push(path);
    else if (actual !== expected) report.corruptFiles.push({ path, expected, actual });
  }
  for (const path of fileHashes.keys()) if (sums && !sums.has(path)) report.unlistedFiles.push(path);
  report.filesChecked = fileHashes.size;
  const corrupt = new Set(report.corruptBlobs.map((b) => b.digest));
  for (const payload of inventory.payloads) {
    const seen = seenBlobs.get(payload.file) ?? new Set<string>();
    for (const digest of expectedBlobs(inventory, payload.file, payload.format)) {
      if (!seen.has(digest) && !corrupt.has(digest))
        report.missingBlobs.push({
          digest,
          payload: payload.file,
          images: imagesNeeding(inventory, payload.file, digest),
        });
    }
  }
  report.ok =
    !report.corruptFiles.length &&
    !report.missingFiles.length &&
    !report.unlistedFiles.length &&
    !report.corruptBlobs.length &&
    !report.missingBlobs.length;
  return report;
}
