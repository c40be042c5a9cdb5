import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentStore } from '@dockyard/oci';
import { resolveObjectStore } from '@dockyard/publish';
import {
  amiName,
  buildVmImage,
  Ec2Client,
  importAmi,
  prepareBaseImages,
  publishToAws,
  publishToObjectStore,
  type VmImageBuild,
} from '@dockyard/vm-image';
import { CLOUD_VERSION, everythingPath, serveCloudMirror } from '../support/cloud-mirror';
import { startFakeEc2, type FakeEc2 } from '../support/fake-ec2';
import { startS3Server, type RunningS3Server } from '../support/s3-server';
import type { StaticServer } from '../support/static-http-server';
import { tempDirFor } from '../support/tmp';

const REGION = 'eu-west-1';
let work = '';
let mirror: StaticServer;
let s3: RunningS3Server;
let ec2: FakeEc2;
let build: VmImageBuild;

beforeAll(async () => {
  work = await tempDirFor(afterAll, 'cloud-publish');
  mirror = await serveCloudMirror(join(work, 'mirror'));
  s3 = await startS3Server(['cloud-images', 'ami-imports']);
  ec2 = await startFakeEc2({
    region: REGION,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    s3Endpoint: s3.endpoint,
  });
  const store = new ContentStore(join(work, 'store'));
  const [base] = await prepareBaseImages({
    repo: mirror.url,
    versions: [CLOUD_VERSION],
    arches: ['amd64'],
    projectDir: work,
    store,
  });
  build = await buildVmImage({
    name: 'openeuler-cloud',
    base: base!,
    store,
    repositories: [{ url: `${mirror.url}${everythingPath('x86_64')}` }],
    packages: ['oe-hello'],
    epoch: 1700000000,
    outDir: join(work, 'dist/openeuler-cloud/22.03-LTS-SP1/amd64'),
  });
});
afterAll(async () => {
  await mirror?.stop();
  await s3?.stop();
  await ec2?.stop();
});

const aws = (secretAccessKey = s3.secretAccessKey, method: 'import' | 'ebs-direct' = 'import') => ({
  region: REGION,
  method,
  bucket: 'ami-imports',
  ebsEndpoint: ec2.endpoint,
  credentials: { accessKeyId: s3.accessKeyId, secretAccessKey },
  ec2Endpoint: ec2.endpoint,
  s3Endpoint: s3.endpoint,
  pollMs: 1,
});

describe('publish', () => {
  it('uploads the qcow2, rpms.txt and sha256sums.txt to a generic target, once', async () => {
    const store = resolveObjectStore(
      {
        url: 's3://cloud-images/openeuler',
        endpoint: s3.endpoint,
        pathStyle: true,
        credentials: { accessKeyIdEnv: 'K', secretAccessKeyEnv: 'S' },
      },
      { K: s3.accessKeyId, S: s3.secretAccessKey },
      'project.yaml',
    );
    const first = await publishToObjectStore(build, store);
    expect(first.map((r) => [r.key, r.status])).toEqual([
      ['openeuler/22.03-LTS-SP1/amd64/openeuler-cloud-22.03-LTS-SP1-amd64.qcow2', 'uploaded'],
      ['openeuler/22.03-LTS-SP1/amd64/rpms.txt', 'uploaded'],
      ['openeuler/22.03-LTS-SP1/amd64/sha256sums.txt', 'uploaded'],
    ]);
    expect((await publishToObjectStore(build, store)).map((r) => r.status)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
  });

  it('makes an AMI through S3, ImportSnapshot and RegisterImage, and finds it instead of registering twice', async () => {
    const statuses: string[] = [];
    const made = await publishToAws('openeuler-cloud', build, aws(), (s) => statuses.push(s));
    expect(made).toMatchObject({
      name: amiName('openeuler-cloud', build),
      reused: false,
      upload: { status: 'uploaded' },
    });
    expect(made.name).toMatch(/^openeuler-cloud-22\.03-LTS-SP1-amd64-[0-9a-f]{16}$/);
    expect(statuses).toEqual(['active', 'completed']);
    expect(ec2.calls.map((c) => c.action)).toEqual([
      'DescribeImages',
      'ImportSnapshot',
      'DescribeImportSnapshotTasks',
      'DescribeImportSnapshotTasks',
      'RegisterImage',
    ]);
    expect(ec2.calls[1]!.params).toMatchObject({
      'DiskContainer.Format': 'RAW',
      'DiskContainer.UserBucket.S3Bucket': 'ami-imports',
      'DiskContainer.UserBucket.S3Key': 'openeuler-cloud/22.03-LTS-SP1/amd64/openeuler-cloud-22.03-LTS-SP1-amd64.raw',
    });
    expect(ec2.images).toHaveLength(1);
    expect(ec2.images[0]!.params).toMatchObject({
      Architecture: 'x86_64',
      EnaSupport: 'true',
      VirtualizationType: 'hvm',
    });

    ec2.calls.length = 0;
    const again = await publishToAws('openeuler-cloud', build, aws());
    expect(again).toMatchObject({ imageId: made.imageId, reused: true, upload: undefined });
    expect(ec2.calls.map((c) => c.action)).toEqual(['DescribeImages']);
    expect(ec2.images).toHaveLength(1);
  });

  it('makes an AMI through the EBS direct APIs, sending only the non-zero blocks, and registers it once', async () => {
    const raw = await readFile(build.files.raw);
    const block = 512 * 1024;
    const nonZero = [...Array(Math.ceil(raw.length / block)).keys()].filter((i) =>
      raw.subarray(i * block, (i + 1) * block).some((byte) => byte !== 0),
    );
    ec2.calls.length = 0;
    const project = 'ebs-direct';
    const made = await publishToAws(project, build, aws(undefined, 'ebs-direct'));
    expect(made).toMatchObject({
      reused: false,
      snapshot: { blocks: nonZero.length, totalBlocks: raw.length / block },
    });
    expect(nonZero.length).toBeLessThan(raw.length / block);
    expect(ec2.ebsBlocks.get(made.snapshotId!)).toEqual(nonZero);
    expect(ec2.calls.map((c) => c.action)).toEqual(['DescribeImages', 'DescribeSnapshots', 'RegisterImage']);
    expect(ec2.images.find((i) => i.imageId === made.imageId)!.params).toMatchObject({
      'BlockDeviceMapping.1.Ebs.SnapshotId': made.snapshotId,
      Architecture: 'x86_64',
      EnaSupport: 'true',
    });

    ec2.calls.length = 0;
    const again = await publishToAws(project, build, aws(undefined, 'ebs-direct'));
    expect(again).toMatchObject({ imageId: made.imageId, reused: true });
    expect(ec2.calls.map((c) => c.action)).toEqual(['DescribeImages']);
  });

  it('is refused by EC2 with a wrong secret key, and an import of an object not in S3 fails with the reason', async () => {
    await expect(publishToAws('other', build, aws('not-the-secret'))).rejects.toThrow(
      /EC2 DescribeImages at 127\.0\.0\.1:\d+: AuthFailure: The request signature we calculated does not match/,
    );
    const client = new Ec2Client({ region: REGION, endpoint: ec2.endpoint, credentials: aws().credentials });
    await expect(
      importAmi({
        ec2: client,
        name: 'never-uploaded',
        description: 'd',
        arch: 'amd64',
        bucket: 'ami-imports',
        key: 'nothing/here.raw',
        pollMs: 1,
      }),
    ).rejects.toThrow(
      /importing s3:\/\/ami-imports\/nothing\/here.raw as a snapshot failed .*Unable to access the object/,
    );
  });
});
