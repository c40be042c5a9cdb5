import { basename } from 'node:path';
import { DockyardError } from '@dockyard/errors';
import { objectKey, s3Client, uploadFile, type ResolvedObjectStore, type UploadResult } from '@dockyard/publish';
import { findAmi, importAmi, registerAmi, waitForSnapshot, type AmiResult } from './aws/ami';
import { uploadSnapshot, type SnapshotUpload } from './aws/ebs-direct';
import { Ec2Client } from './aws/ec2-client';
import type { AwsCredentials } from './aws/sigv4';
import type { VmImageBuild } from './build-image';

/** The files a generic target gets: what any cloud's import takes, the package list and the checksums. */
export function genericFiles(build: VmImageBuild): string[] {
  return [build.files.qcow2, build.files.rpms, build.files.sha256sums];
}

/** Uploads one built image to an object store, below `<prefix>/<version>/<arch>/` (checked, idempotent). */
export async function publishToObjectStore(build: VmImageBuild, store: ResolvedObjectStore): Promise<UploadResult[]> {
  const client = s3Client(store);
  const results: UploadResult[] = [];
  for (const file of genericFiles(build))
    results.push(
      await uploadFile(
        client,
        store.location.bucket,
        objectKey(store.location, build.version, build.arch, basename(file)),
        file,
      ),
    );
  return results;
}

export interface AwsTarget {
  region: string;
  /**
   * `ebs-direct` (default): the snapshot written block by block through the EBS direct APIs, no bucket, no role;
   * `import`: the raw image to S3 and ImportSnapshot (needs `bucket` and the vmimport role).
   */
  method?: 'ebs-direct' | 'import';
  /** The bucket the raw image is uploaded to for an import. */
  bucket?: string;
  credentials: AwsCredentials;
  /** Another EC2 or S3 endpoint (an AWS-compatible cloud, or a test's); S3 is then addressed path-style. */
  ec2Endpoint?: string;
  ebsEndpoint?: string;
  s3Endpoint?: string;
  pollMs?: number;
}

/**
 * The AMI name of a build: project, version, arch and the first 16 hex digits of the raw image's sha256 — no
 * time, so the same image always has the same name and a second publish finds the AMI instead of making another.
 */
export function amiName(project: string, build: VmImageBuild): string {
  const raw = build.sha256[basename(build.files.raw)] ?? '';
  return `${project}-${build.version}-${build.arch}-${raw.slice(0, 16)}`;
}

export interface AwsPublishResult extends AmiResult {
  name: string;
  upload?: UploadResult;
  snapshot?: SnapshotUpload;
}

/**
 * Makes the AMI of a build: found by name and reused when it exists; else the snapshot written through the EBS
 * direct APIs (or, with `method: import`, the raw image uploaded to S3 and imported), then RegisterImage.
 */
export async function publishToAws(
  project: string,
  build: VmImageBuild,
  target: AwsTarget,
  onStatus?: (status: string) => void,
): Promise<AwsPublishResult> {
  const ec2 = new Ec2Client({ region: target.region, endpoint: target.ec2Endpoint, credentials: target.credentials });
  const name = amiName(project, build);
  const description = `${project} openEuler ${build.version} ${build.arch}`;
  if ((target.method ?? 'ebs-direct') === 'ebs-direct') {
    const found = await findAmi(ec2, name);
    if (found) return { imageId: found, reused: true, name };
    const ebs = { region: target.region, endpoint: target.ebsEndpoint, credentials: target.credentials };
    // The AMI name as the idempotency token: a retried StartSnapshot of the same image is the same snapshot.
    const snapshot = await uploadSnapshot(ebs, build.files.raw, description, name);
    onStatus?.(`${snapshot.blocks} of ${snapshot.totalBlocks} blocks written`);
    await waitForSnapshot(ec2, snapshot.snapshotId, target.pollMs);
    const imageId = await registerAmi(ec2, name, description, build.arch, snapshot.snapshotId);
    return { imageId, snapshotId: snapshot.snapshotId, reused: false, name, snapshot };
  }
  if (!target.bucket)
    throw new DockyardError('an AWS import needs a bucket to upload the raw image to', { code: 'TARGET_INCOMPLETE' });
  const bucket = target.bucket;
  const key = `${project}/${build.version}/${build.arch}/${basename(build.files.raw)}`;
  const store: ResolvedObjectStore = {
    location: { scheme: 's3', bucket, prefix: '' },
    url: `s3://${bucket}`,
    endpoint: target.s3Endpoint,
    region: target.region,
    pathStyle: target.s3Endpoint !== undefined,
    credentials: target.credentials,
  };
  let upload: UploadResult | undefined;
  const result = await importAmi({
    ec2,
    name,
    description,
    arch: build.arch,
    bucket,
    key,
    pollMs: target.pollMs,
    onStatus,
    beforeImport: async () => {
      upload = await uploadFile(s3Client(store), bucket, key, build.files.raw);
    },
  });
  return { ...result, name, upload };
}
