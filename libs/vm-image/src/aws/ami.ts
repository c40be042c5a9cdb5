import { DockyardError } from '@dockyard/errors';
import type { VmArch } from '../arch';
import { Ec2Client, xmlValue, xmlValues } from './ec2-client';

export interface AmiRequest {
  ec2: Ec2Client;
  /** The AMI's name: the same image gives the same name, so a second publish finds it instead of registering twice. */
  name: string;
  description: string;
  arch: VmArch;
  /** Where the raw image was uploaded. */
  bucket: string;
  key: string;
  /** Between two DescribeImportSnapshotTasks; AWS's imports take minutes. */
  pollMs?: number;
  /** Runs when no AMI of the name exists, before the import (the upload of the raw image). */
  beforeImport?: () => Promise<void>;
  /** Told each status the import reports. */
  onStatus?: (status: string) => void;
}

export interface AmiResult {
  imageId: string;
  snapshotId?: string;
  /** True when an AMI of that name existed and nothing was imported or registered. */
  reused: boolean;
}

/** The request parameters of RegisterImage for an imported snapshot: HVM, ENA, gp3 root deleted with the instance. */
export function registerImageParams(
  name: string,
  description: string,
  arch: VmArch,
  snapshotId: string,
): Record<string, string> {
  return {
    Name: name,
    Description: description,
    Architecture: arch === 'amd64' ? 'x86_64' : 'arm64',
    VirtualizationType: 'hvm',
    EnaSupport: 'true',
    // arm64 instances boot UEFI only; x86_64 ones boot the image's BIOS bootloader.
    BootMode: arch === 'arm64' ? 'uefi' : 'legacy-bios',
    ImdsSupport: 'v2.0',
    RootDeviceName: '/dev/xvda',
    'BlockDeviceMapping.1.DeviceName': '/dev/xvda',
    'BlockDeviceMapping.1.Ebs.SnapshotId': snapshotId,
    'BlockDeviceMapping.1.Ebs.VolumeType': 'gp3',
    'BlockDeviceMapping.1.Ebs.DeleteOnTermination': 'true',
  };
}

/** The AMI of this name the account owns, if any. */
export async function findAmi(ec2: Ec2Client, name: string): Promise<string | undefined> {
  const xml = await ec2.call('DescribeImages', {
    'Owner.1': 'self',
    'Filter.1.Name': 'name',
    'Filter.1.Value.1': name,
  });
  return xmlValue(xml, 'imageId');
}

/** RegisterImage with the snapshot as the root device; returns the AMI id. */
export async function registerAmi(
  ec2: Ec2Client,
  name: string,
  description: string,
  arch: VmArch,
  snapshotId: string,
): Promise<string> {
  const registered = await ec2.call('RegisterImage', registerImageParams(name, description, arch, snapshotId));
  const imageId = xmlValue(registered, 'imageId');
  if (!imageId) throw new DockyardError('EC2 RegisterImage answered without an imageId', { code: 'EC2_ANSWER' });
  return imageId;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** DescribeSnapshots until the snapshot is `completed` (EBS direct snapshots turn so after CompleteSnapshot). */
export async function waitForSnapshot(ec2: Ec2Client, snapshotId: string, pollMs = 5_000): Promise<void> {
  for (;;) {
    const xml = await ec2.call('DescribeSnapshots', { 'SnapshotId.1': snapshotId });
    const status = xmlValue(xml, 'status');
    if (status === 'completed') return;
    if (status === 'error')
      throw new DockyardError(`snapshot ${snapshotId} failed: ${xmlValue(xml, 'statusMessage') ?? 'error'}`, {
        code: 'EBS_SNAPSHOT_FAILED',
      });
    await sleep(pollMs);
  }
}

/**
 * Makes an AMI of a raw image already in S3, the classic way: ImportSnapshot (the VM Import service reads the
 * object; the account needs its `vmimport` role), DescribeImportSnapshotTasks until it completes, RegisterImage.
 * An AMI of the same name is found first and reused.
 */
export async function importAmi(request: AmiRequest): Promise<AmiResult> {
  const { ec2 } = request;
  const found = await findAmi(ec2, request.name);
  if (found) return { imageId: found, reused: true };
  await request.beforeImport?.();
  const started = await ec2.call('ImportSnapshot', {
    Description: request.description,
    'DiskContainer.Description': request.description,
    'DiskContainer.Format': 'RAW',
    'DiskContainer.UserBucket.S3Bucket': request.bucket,
    'DiskContainer.UserBucket.S3Key': request.key,
  });
  const taskId = xmlValue(started, 'importTaskId');
  if (!taskId) throw new DockyardError('EC2 ImportSnapshot answered without an importTaskId', { code: 'EC2_ANSWER' });
  let snapshotId: string | undefined;
  for (;;) {
    const xml = await ec2.call('DescribeImportSnapshotTasks', { 'ImportTaskId.1': taskId });
    const status = xmlValues(xml, 'status').at(-1) ?? 'unknown';
    request.onStatus?.(status);
    if (status === 'completed') {
      snapshotId = xmlValue(xml, 'snapshotId');
      break;
    }
    if (status === 'deleted' || status === 'deleting')
      throw new DockyardError(
        `importing s3://${request.bucket}/${request.key} as a snapshot failed (${taskId}): ${xmlValue(xml, 'statusMessage') ?? status}`,
        {
          code: 'EC2_IMPORT_FAILED',
          hint: 'the account needs the vmimport service role with read access to the bucket',
        },
      );
    await sleep(request.pollMs ?? 15_000);
  }
  if (!snapshotId)
    throw new DockyardError(`import task ${taskId} completed without a snapshotId`, { code: 'EC2_ANSWER' });
  const imageId = await registerAmi(ec2, request.name, request.description, request.arch, snapshotId);
  return { imageId, snapshotId, reused: false };
}
