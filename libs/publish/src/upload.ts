import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { DockyardError } from '@dockyard/errors';

const SHA256_METADATA = 'sha256';

export interface UploadOptions {
  /** Bytes per part; files up to this size go in one PUT. */
  partSize?: number;
  /** Parts in flight at once. */
  parallel?: number;
  /** Uploads of one part before giving up. */
  attempts?: number;
  /** Told the size of each part (or the one PUT) the server has accepted; nothing for an unchanged object. */
  onBytes?: (count: number) => void;
}

export interface UploadResult {
  status: 'uploaded' | 'unchanged';
  key: string;
  size: number;
  sha256: string;
  parts: number;
  /** Parts sent again because what the server stored did not match what was sent. */
  partRetries: number;
}

function uploadError(message: string, cause?: unknown): DockyardError {
  return new DockyardError(message, { code: 'UPLOAD_FAILED', cause });
}

function digests(bytes: Buffer): { md5: Buffer; sha256: Buffer } {
  return { md5: createHash('md5').update(bytes).digest(), sha256: createHash('sha256').update(bytes).digest() };
}

/**
 * The ETag of a non-KMS part is the MD5 of the bytes the server stored. Servers that verify
 * Content-MD5 / x-amz-checksum-sha256 refuse a corrupted part themselves; for one that does not
 * (s3rver, some gateways) this comparison catches it.
 */
function checkEtag(etag: string | undefined, md5: Buffer, what: string): void {
  const stored = etag?.replace(/"/g, '');
  if (stored !== md5.toString('hex'))
    throw uploadError(`${what}: the server stored different bytes (ETag ${stored}, sent MD5 ${md5.toString('hex')})`);
}

async function readRange(file: string, start: number, length: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, start);
    return buffer;
  } finally {
    await handle.close();
  }
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  try {
    for await (const chunk of handle.createReadStream()) hash.update(chunk as Buffer);
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

async function retrying<T>(attempts: number, job: () => Promise<T>, onRetry: () => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await job();
    } catch (err) {
      if (attempt >= attempts) throw err;
      onRetry();
    }
  }
}

/**
 * Uploads `file` to `bucket/key` with its sha256 in the object metadata. An object of the same
 * size and sha256 is left alone. Large files go as a multipart upload with parts in parallel,
 * each sent with Content-MD5 and x-amz-checksum-sha256 and checked against the ETag the server
 * returns (a mismatching part is sent again); the object appears only when every part is in
 * (CompleteMultipartUpload), and any failure aborts the upload, so no partial object is ever visible.
 */
export async function uploadFile(
  client: S3Client,
  bucket: string,
  key: string,
  file: string,
  options: UploadOptions = {},
): Promise<UploadResult> {
  const size = (await stat(file)).size;
  const sha256 = await sha256OfFile(file);
  const existing = await client
    .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
    .catch((err: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
      if (err.name === 'NotFound' || err.$metadata?.httpStatusCode === 404) return undefined;
      throw err;
    });
  if (existing && existing.ContentLength === size && existing.Metadata?.[SHA256_METADATA] === sha256)
    return { status: 'unchanged', key, size, sha256, parts: 0, partRetries: 0 };

  const partSize = Math.max(options.partSize ?? 16 << 20, 5 << 20);
  const attempts = options.attempts ?? 3;
  const metadata = { [SHA256_METADATA]: sha256 };
  let partRetries = 0;
  if (size <= partSize) {
    const bytes = await readRange(file, 0, size);
    const sums = digests(bytes);
    await retrying(
      attempts,
      async () => {
        const put = await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: bytes,
            ContentLength: size,
            ContentMD5: sums.md5.toString('base64'),
            ChecksumSHA256: sums.sha256.toString('base64'),
            Metadata: metadata,
          }),
        );
        checkEtag(put.ETag, sums.md5, `s3://${bucket}/${key}`);
      },
      () => partRetries++,
    );
    options.onBytes?.(size);
    return { status: 'uploaded', key, size, sha256, parts: 1, partRetries };
  }

  const created = await client.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, Metadata: metadata, ChecksumAlgorithm: 'SHA256' }),
  );
  const uploadId = created.UploadId!;
  const count = Math.ceil(size / partSize);
  const parts: { PartNumber: number; ETag: string; ChecksumSHA256: string }[] = new Array(count);
  try {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const index = next++;
        const start = index * partSize;
        const bytes = await readRange(file, start, Math.min(partSize, size - start));
        const sums = digests(bytes);
        const what = `s3://${bucket}/${key} part ${index + 1}/${count}`;
        const etag = await retrying(
          attempts,
          async () => {
            const answer = await client.send(
              new UploadPartCommand({
                Bucket: bucket,
                Key: key,
                UploadId: uploadId,
                PartNumber: index + 1,
                Body: bytes,
                ContentLength: bytes.length,
                ContentMD5: sums.md5.toString('base64'),
                ChecksumSHA256: sums.sha256.toString('base64'),
              }),
            );
            checkEtag(answer.ETag, sums.md5, what);
            return answer.ETag!;
          },
          () => partRetries++,
        );
        options.onBytes?.(bytes.length);
        parts[index] = { PartNumber: index + 1, ETag: etag, ChecksumSHA256: sums.sha256.toString('base64') };
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.parallel ?? 4, count) }, worker));
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
  } catch (err) {
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
      .catch(() => undefined);
    throw uploadError(
      `upload of ${file} to s3://${bucket}/${key} was aborted, nothing was published: ${(err as Error).message}`,
      err,
    );
  }
  return { status: 'uploaded', key, size, sha256, parts: count, partRetries };
}
