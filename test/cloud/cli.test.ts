import { readFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { dockyard } from '../support/cli';
import { CLOUD_VERSION, serveCloudMirror } from '../support/cloud-mirror';
import { startFakeEc2, type FakeEc2 } from '../support/fake-ec2';
import { startS3Server, type RunningS3Server } from '../support/s3-server';
import type { StaticServer } from '../support/static-http-server';
import { tempDirFor } from '../support/tmp';

let root = '';
let mirror: StaticServer;
let s3: RunningS3Server;
let ec2: FakeEc2;
let env: Record<string, string>;

/** A workspace with a CloudImage as the example writes it, its repository and clouds replaced by the test's. */
async function cloudProject(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const dir = join(root, 'releases', 'cloud', name);
  await mkdir(dir, { recursive: true });
  const spec = {
    kind: 'CloudImage',
    name,
    versions: [CLOUD_VERSION],
    arches: ['x86_64'],
    source: { repo: mirror.url },
    rpms: ['oe-tools'],
    targets: [
      {
        type: 'generic',
        upload: {
          url: 's3://cloud-images/openeuler',
          endpoint: s3.endpoint,
          pathStyle: true,
          credentials: { accessKeyIdEnv: 'S3_KEY', secretAccessKeyEnv: 'S3_SECRET' },
        },
      },
      {
        type: 'aws',
        region: 'eu-west-1',
        size: '96M',
        credentials: { accessKeyIdEnv: 'AWS_KEY', secretAccessKeyEnv: 'AWS_SECRET' },
        endpoints: { ec2: ec2.endpoint, ebs: ec2.endpoint },
      },
    ],
    ...extra,
  };
  await writeFile(join(dir, 'project.yaml'), stringify(spec));
  return dir;
}

beforeAll(async () => {
  root = await tempDirFor(afterAll, 'cloud-cli');
  await writeFile(join(root, 'nx.json'), '{}\n');
  mirror = await serveCloudMirror(join(root, 'mirror'));
  s3 = await startS3Server(['cloud-images', 'ami-imports']);
  ec2 = await startFakeEc2({
    region: 'eu-west-1',
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    s3Endpoint: s3.endpoint,
  });
  env = {
    DOCKYARD_STORE: join(root, 'store'),
    SOURCE_DATE_EPOCH: '1700000000',
    S3_KEY: s3.accessKeyId,
    S3_SECRET: s3.secretAccessKey,
    AWS_KEY: s3.accessKeyId,
    AWS_SECRET: s3.secretAccessKey,
  };
});
afterAll(async () => {
  await mirror?.stop();
  await s3?.stop();
  await ec2?.stop();
});

describe('dockyard prepare, build, check, publish on a CloudImage', () => {
  it('runs the four steps, x86_64 read as amd64, and a second publish registers nothing', async () => {
    const project = await cloudProject('openeuler-cloud');
    const prepared = await dockyard(['prepare', project], env);
    expect(prepared.stderr).toBe('');
    expect(prepared.stdout).toMatch(/^fetched 22\.03-LTS-SP1 amd64 sha256:[0-9a-f]{64} http/m);

    const built = await dockyard(['build', project], env);
    expect(built.exitCode, built.stderr).toBe(0);
    const out = join(root, 'dist', 'openeuler-cloud', CLOUD_VERSION, 'amd64');
    // The aws target's size: the 64 MiB base disk grown to it (and the check below boots it).
    expect((await stat(join(out, `openeuler-cloud-${CLOUD_VERSION}-amd64.raw`))).size).toBe(96 << 20);
    expect(await readFile(join(out, 'rpms.txt'), 'utf8')).toBe(
      [
        'cloud-init-21.4-1.oe2203.noarch',
        'cloud-utils-growpart-0.31-1.oe2203.noarch',
        'oe-hello-1.0-1.oe2203.noarch',
        'oe-tools-2.1-1.oe2203.noarch',
        '',
      ].join('\n'),
    );

    const checked = await dockyard(['check', project], env);
    expect(checked.exitCode, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/^11 passed, 0 failed; report .*dist\/openeuler-cloud\/check\/junit\.xml$/m);

    const plan = await dockyard(['publish', project, '--dry-run'], env);
    expect(plan.stdout).toMatch(
      /^would upload openeuler-cloud-22\.03-LTS-SP1-amd64\.qcow2, rpms\.txt, sha256sums\.txt to s3:\/\/cloud-images\/openeuler\/22\.03-LTS-SP1\/amd64\/$/m,
    );
    expect(plan.stdout).toMatch(
      /^would make AMI openeuler-cloud-22\.03-LTS-SP1-amd64-[0-9a-f]{16} in eu-west-1 through the EBS direct APIs \(non-zero blocks only\), unless it exists$/m,
    );
    expect(ec2.calls).toEqual([]);

    const published = await dockyard(['publish', project], env);
    expect(published.exitCode, published.stderr).toBe(0);
    expect(published.stdout).toMatch(
      /^uploaded {2}s3:\/\/cloud-images\/openeuler\/22\.03-LTS-SP1\/amd64\/openeuler-cloud-22\.03-LTS-SP1-amd64\.qcow2$/m,
    );
    expect(published.stdout).toMatch(
      /^registered ami-\d+ openeuler-cloud-22\.03-LTS-SP1-amd64-[0-9a-f]{16} in eu-west-1$/m,
    );
    const again = await dockyard(['publish', project], env);
    expect(again.stdout).toMatch(/^unchanged s3:/m);
    expect(again.stdout).toMatch(/^found ami-\d+ /m);
    expect(ec2.images).toHaveLength(1);
  });

  it("check fails, naming it, when the project's cloud-init file configures no datasource", async () => {
    const project = await cloudProject('broken-cloud-init', { cloudConfig: 'cloud.cfg', targets: [] });
    await writeFile(join(project, 'cloud.cfg'), 'system_info: {}\n');
    expect((await dockyard(['build', project], env)).exitCode).toBe(0);
    const checked = await dockyard(['check', project], env);
    expect(checked.exitCode).toBe(1);
    expect(checked.stdout).toMatch(
      /^FAIL broken-cloud-init 22\.03-LTS-SP1 amd64 cloud-init is configured: \/etc\/cloud\/cloud\.cfg\.d\/90-dockyard\.cfg is missing or names no datasource_list$/m,
    );
    expect(checked.stdout).toMatch(
      /^FAIL broken-cloud-init 22\.03-LTS-SP1 amd64 boots, and cloud-init runs the NoCloud user-data: the guest stopped without running the user-data/m,
    );
    expect(checked.stdout).toMatch(/^7 passed, 4 failed/m);
  });

  it('says which AWS credential variable is not set, before anything is uploaded', async () => {
    const project = join(root, 'releases', 'cloud', 'openeuler-cloud');
    const { AWS_SECRET: _unset, ...partial } = env;
    const result = await dockyard(['publish', project], { ...partial, AWS_SECRET: '' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/targets\[1\]: environment variable AWS_SECRET not set \(AWS credentials\)/);
  });
});
