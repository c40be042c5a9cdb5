import { basename } from 'node:path';
import { objectKey, s3Client, uploadFile, type ResolvedObjectStore, type UploadResult } from '@dockyard/publish';
import { importAmi, type AmiResult } from './aws/ami';
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
  /** The bucket the raw image is uploaded to for the import. */
  bucket: string;
  credentials: AwsCredentials;
  /** Another EC2 or S3 endpoint (an AWS-compatible cloud, or a test's); S3 is then addressed path-style. */
  ec2Endpoint?: string;
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
}

/** Uploads the raw image to S3, imports it as a snapshot and registers the AMI; an AMI of the same name is reused. */
export async function publishToAws(
  project: string,
  build: VmImageBuild,
  target: AwsTarget,
  onStatus?: (status: string) => void,
): Promise<AwsPublishResult> {
  const ec2 = new Ec2Client({ region: target.region, endpoint: target.ec2Endpoint, credentials: target.credentials });
  const name = amiName(project, build);
  const key = `${project}/${build.version}/${build.arch}/${basename(build.files.raw)}`;
  const store: ResolvedObjectStore = {
    location: { scheme: 's3', bucket: target.bucket, prefix: '' },
    url: `s3://${target.bucket}`,
    endpoint: target.s3Endpoint,
    region: target.region,
    pathStyle: target.s3Endpoint !== undefined,
    credentials: target.credentials,
  };
  let upload: UploadResult | undefined;
  const result = await importAmi({
    ec2,
    name,
    description: `${project} openEuler ${build.version} ${build.arch}`,
    arch: build.arch,
    bucket: target.bucket,
    key,
    pollMs: target.pollMs,
    onStatus,
    beforeImport: async () => {
      upload = await uploadFile(s3Client(store), target.bucket, key, build.files.raw);
    },
  });
  return { ...result, name, upload };
}
