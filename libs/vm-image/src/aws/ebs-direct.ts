import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { DockyardError } from '@dockyard/errors';
import { signV4, type AwsCredentials } from './sigv4';

/** EBS direct APIs write snapshots in blocks of 512 KiB. */
export const EBS_BLOCK_SIZE = 512 * 1024;

export interface EbsEndpoint {
  region: string;
  /** Default `https://ebs.<region>.amazonaws.com`. */
  endpoint?: string;
  credentials: AwsCredentials;
}

export interface SnapshotUpload {
  snapshotId: string;
  /** Blocks sent: the non-zero ones. */
  blocks: number;
  /** Blocks of the image in all. */
  totalBlocks: number;
}

const isZero = (block: Buffer) => block.every((byte) => byte === 0);

async function ebsCall(
  ebs: EbsEndpoint,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | string,
): Promise<unknown> {
  const url = new URL(path, ebs.endpoint ?? `https://ebs.${ebs.region}.amazonaws.com/`);
  const signed = signV4({
    method,
    url,
    headers,
    body,
    region: ebs.region,
    service: 'ebs',
    credentials: ebs.credentials,
    date: new Date(),
  });
  let response: Response;
  try {
    response = await fetch(url, { method, headers: signed, body: method === 'GET' ? undefined : body });
  } catch (err) {
    throw new DockyardError(`EBS ${method} ${url.pathname} could not be sent`, { code: 'EBS_UNREACHABLE', cause: err });
  }
  const text = await response.text();
  if (!response.ok) {
    const message = (() => {
      try {
        return (JSON.parse(text) as { Message?: string; message?: string }).Message ?? text;
      } catch {
        return text;
      }
    })();
    throw new DockyardError(`EBS ${method} ${url.pathname}: HTTP ${response.status}: ${message.slice(0, 300)}`, {
      code: 'EBS_REFUSED',
    });
  }
  return text ? JSON.parse(text) : {};
}

/**
 * Writes a raw disk image as an EBS snapshot through the EBS direct APIs, as coldsnap does: StartSnapshot (the volume
 * size in GiB, rounded up), PutSnapshotBlock for every non-zero 512 KiB block with its sha256, CompleteSnapshot with
 * the number of blocks and the sha256 of their sha256s in index order. No S3 bucket, no vmimport role, no import.
 */
export async function uploadSnapshot(
  ebs: EbsEndpoint,
  raw: string,
  description: string,
  clientToken: string,
): Promise<SnapshotUpload> {
  const file = await open(raw, 'r');
  try {
    const size = (await file.stat()).size;
    const totalBlocks = Math.ceil(size / EBS_BLOCK_SIZE);
    const started = (await ebsCall(
      ebs,
      'POST',
      '/snapshots',
      { 'content-type': 'application/json' },
      JSON.stringify({
        VolumeSize: Math.ceil(size / 2 ** 30),
        Description: description,
        ClientToken: clientToken,
        Timeout: 60,
      }),
    )) as { SnapshotId?: string };
    const snapshotId = started.SnapshotId;
    if (!snapshotId) throw new DockyardError('EBS StartSnapshot answered without a SnapshotId', { code: 'EBS_ANSWER' });
    const digests: Buffer[] = [];
    const block = Buffer.alloc(EBS_BLOCK_SIZE);
    for (let index = 0; index < totalBlocks; index++) {
      block.fill(0);
      await file.read(block, 0, EBS_BLOCK_SIZE, index * EBS_BLOCK_SIZE);
      if (isZero(block)) continue;
      const digest = createHash('sha256').update(block).digest();
      digests.push(digest);
      await ebsCall(
        ebs,
        'PUT',
        `/snapshots/${snapshotId}/blocks/${index}`,
        {
          'content-type': 'application/octet-stream',
          'x-amz-data-length': String(EBS_BLOCK_SIZE),
          'x-amz-checksum': digest.toString('base64'),
          'x-amz-checksum-algorithm': 'SHA256',
        },
        Buffer.from(block),
      );
    }
    await ebsCall(
      ebs,
      'POST',
      `/snapshots/completion/${snapshotId}`,
      {
        'x-amz-changedblockscount': String(digests.length),
        'x-amz-checksum': createHash('sha256').update(Buffer.concat(digests)).digest('base64'),
        'x-amz-checksum-algorithm': 'SHA256',
        'x-amz-checksum-aggregation-method': 'LINEAR',
      },
      '',
    );
    return { snapshotId, blocks: digests.length, totalBlocks };
  } finally {
    await file.close();
  }
}
