import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * An in-process stand-in for the EC2 query API and the EBS direct APIs, for the calls making an AMI takes. AWS cannot
 * be reached from the tests, so this checks what AWS checks before it acts: a SigV4 signature (recomputed here with
 * the AWS SDK's own signer, not the client's code, from the secret key) for the right service, the API version, the
 * required parameters, that the S3 object to import exists (asked of the real S3-protocol server the test runs),
 * each EBS block's size, index and sha256, the block count and the LINEAR checksum of the snapshot, that a
 * registered snapshot is complete and a registered name unused.
 */
export interface FakeEc2 {
  endpoint: string;
  calls: { action: string; params: Record<string, string> }[];
  /** EBS direct snapshots: the block indexes received, in order. */
  ebsBlocks: Map<string, number[]>;
  images: { imageId: string; name: string; params: Record<string, string> }[];
  stop(): Promise<void>;
}

class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', Buffer.from(secret as string));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data as Uint8Array));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

const xmlError = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>fake</RequestID></Response>`;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const EBS_BLOCK = 512 * 1024;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

export async function startFakeEc2(options: {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The S3-protocol server holding the objects ImportSnapshot reads (path-style). */
  s3Endpoint: string;
}): Promise<FakeEc2> {
  const calls: FakeEc2['calls'] = [];
  const images: FakeEc2['images'] = [];
  const tasks = new Map<string, { polls: number; snapshotId?: string; failure?: string }>();
  const snapshots = new Set<string>();
  const ebsBlocks = new Map<string, number[]>();
  const ebsSnapshots = new Map<
    string,
    { token: string; volumeSize: number; digests: Map<number, Buffer>; done: boolean }
  >();
  const signers = Object.fromEntries(
    ['ec2', 'ebs'].map((service) => [
      service,
      new SignatureV4({
        credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
        region: options.region,
        service,
        sha256: NodeSha256,
        applyChecksum: false,
      }),
    ]),
  );

  async function signatureProblem(req: IncomingMessage, body: Buffer, service: string): Promise<string | undefined> {
    const signer = signers[service]!;
    const auth = req.headers.authorization ?? '';
    const match = new RegExp(
      `^AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/${service}/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$`,
    ).exec(auth);
    if (!match) return `the request is not signed with AWS Signature Version 4 for ${service}`;
    const [, keyId, , region, signedHeaders, signature] = match;
    if (keyId !== options.accessKeyId) return `AWS was not able to validate the provided access credentials (${keyId})`;
    if (region !== options.region)
      return `the credential scope names region ${region}, this endpoint is ${options.region}`;
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const when = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!when) return 'x-amz-date is missing';
    const headers = Object.fromEntries(
      signedHeaders!.split(';').map((name) => [name, String(req.headers[name] ?? '')]),
    );
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const signed = await signer.sign(
      {
        method: req.method!,
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        headers,
        body,
        query: {},
      },
      { signingDate: new Date(`${when[1]}-${when[2]}-${when[3]}T${when[4]}:${when[5]}:${when[6]}Z`) },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization ?? '')?.[1];
    return expected === signature
      ? undefined
      : 'The request signature we calculated does not match the signature you provided';
  }

  async function objectExists(bucket: string, key: string): Promise<boolean> {
    const response = await fetch(
      `${options.s3Endpoint}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
      { method: 'HEAD' },
    );
    return response.ok;
  }

  async function act(action: string, p: Record<string, string>): Promise<[number, string]> {
    const ok = (inner: string): [number, string] => [
      200,
      `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake</requestId>${inner}</${action}Response>`,
    ];
    switch (action) {
      case 'DescribeImages': {
        const name = p['Filter.1.Name'] === 'name' ? p['Filter.1.Value.1'] : undefined;
        const found = images.filter((i) => name === undefined || i.name === name);
        return ok(
          `<imagesSet>${found.map((i) => `<item><imageId>${i.imageId}</imageId><name>${i.name}</name></item>`).join('')}</imagesSet>`,
        );
      }
      case 'ImportSnapshot': {
        const bucket = p['DiskContainer.UserBucket.S3Bucket'];
        const key = p['DiskContainer.UserBucket.S3Key'];
        if (!['RAW', 'VHD', 'VMDK'].includes(p['DiskContainer.Format'] ?? ''))
          return [
            400,
            xmlError('InvalidParameter', `DiskContainer.Format ${p['DiskContainer.Format']} is not RAW, VHD or VMDK`),
          ];
        if (!bucket || !key)
          return [400, xmlError('MissingParameter', 'DiskContainer.UserBucket.S3Bucket and S3Key are required')];
        const id = `import-snap-${String(tasks.size + 1).padStart(8, '0')}`;
        const exists = await objectExists(bucket, key);
        tasks.set(
          id,
          exists
            ? { polls: 0, snapshotId: `snap-${String(tasks.size + 1).padStart(17, '0')}` }
            : { polls: 0, failure: `ClientError: Unable to access the object s3://${bucket}/${key}` },
        );
        return ok(`<importTaskId>${id}</importTaskId>`);
      }
      case 'DescribeImportSnapshotTasks': {
        const id = p['ImportTaskId.1'] ?? '';
        const task = tasks.get(id);
        if (!task) return [400, xmlError('InvalidConversionTaskId.Malformed', `${id} does not exist`)];
        task.polls++;
        // Like EC2: active while it converts (one poll here), then completed or deleted with the reason.
        const status = task.polls < 2 ? 'active' : task.failure ? 'deleted' : 'completed';
        if (status === 'completed') snapshots.add(task.snapshotId!);
        const detail =
          status === 'completed'
            ? `<snapshotId>${task.snapshotId}</snapshotId>`
            : status === 'deleted'
              ? `<statusMessage>${task.failure}</statusMessage>`
              : '';
        return ok(
          `<importSnapshotTaskSet><item><importTaskId>${id}</importTaskId><snapshotTaskDetail>${detail}<status>${status}</status></snapshotTaskDetail></item></importSnapshotTaskSet>`,
        );
      }
      case 'DescribeSnapshots': {
        const id = p['SnapshotId.1'] ?? '';
        if (!snapshots.has(id) && !ebsSnapshots.has(id))
          return [400, xmlError('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`)];
        const status = snapshots.has(id) ? 'completed' : 'pending';
        return ok(`<snapshotSet><item><snapshotId>${id}</snapshotId><status>${status}</status></item></snapshotSet>`);
      }
      case 'RegisterImage': {
        const name = p.Name ?? '';
        if (!/^[A-Za-z0-9().\-/_ ]{3,128}$/.test(name))
          return [400, xmlError('InvalidAMIName.Malformed', `AMI name ${name} is invalid`)];
        if (images.some((i) => i.name === name))
          return [400, xmlError('InvalidAMIName.Duplicate', `AMI name ${name} is already in use`)];
        if (!['x86_64', 'arm64', 'i386'].includes(p.Architecture ?? ''))
          return [400, xmlError('InvalidParameterValue', `Architecture ${p.Architecture}`)];
        if (!p.RootDeviceName || p['BlockDeviceMapping.1.DeviceName'] !== p.RootDeviceName)
          return [400, xmlError('InvalidBlockDeviceMapping', 'the root device has no mapping')];
        if (!snapshots.has(p['BlockDeviceMapping.1.Ebs.SnapshotId'] ?? ''))
          return [
            400,
            xmlError('InvalidSnapshot.NotFound', `snapshot ${p['BlockDeviceMapping.1.Ebs.SnapshotId']} does not exist`),
          ];
        const imageId = `ami-${String(images.length + 1).padStart(17, '0')}`;
        images.push({ imageId, name, params: p });
        return ok(`<imageId>${imageId}</imageId>`);
      }
      default:
        return [400, xmlError('InvalidAction', `${action} is not known here`)];
    }
  }

  /** The EBS direct APIs: [status, JSON answer]. */
  function ebs(req: IncomingMessage, path: string, body: Buffer): [number, object] {
    const refuse = (message: string): [number, object] => [400, { Message: message, Reason: 'INVALID_PARAMETER' }];
    const header = (name: string) => String(req.headers[name] ?? '');
    if (req.method === 'POST' && path === '/snapshots') {
      const start = JSON.parse(body.toString() || '{}') as { VolumeSize?: number; ClientToken?: string };
      if (!Number.isInteger(start.VolumeSize) || start.VolumeSize! < 1)
        return refuse('VolumeSize must be a whole number of GiB, at least 1');
      const existing = [...ebsSnapshots].find(([, snap]) => start.ClientToken && snap.token === start.ClientToken);
      const id = existing?.[0] ?? `snap-${String(snapshots.size + ebsSnapshots.size + 1).padStart(17, '0')}`;
      if (!existing) {
        ebsSnapshots.set(id, {
          token: start.ClientToken ?? '',
          volumeSize: start.VolumeSize!,
          digests: new Map(),
          done: false,
        });
        ebsBlocks.set(id, []);
      }
      return [201, { SnapshotId: id, Status: 'pending', BlockSize: EBS_BLOCK, VolumeSize: start.VolumeSize }];
    }
    const put = /^\/snapshots\/([^/]+)\/blocks\/(\d+)$/.exec(path);
    if (req.method === 'PUT' && put) {
      const snap = ebsSnapshots.get(put[1]!);
      const index = Number(put[2]);
      if (!snap || snap.done) return [404, { Message: `snapshot ${put[1]} is not pending` }];
      if (index >= (snap.volumeSize * 2 ** 30) / EBS_BLOCK) return refuse(`block index ${index} is beyond the volume`);
      if (Number(header('x-amz-data-length')) !== EBS_BLOCK || body.length !== EBS_BLOCK)
        return refuse(
          `a block is ${EBS_BLOCK} bytes; x-amz-Data-Length ${header('x-amz-data-length')}, body ${body.length}`,
        );
      if (header('x-amz-checksum-algorithm') !== 'SHA256') return refuse('x-amz-Checksum-Algorithm must be SHA256');
      const digest = sha256(body);
      if (header('x-amz-checksum') !== digest.toString('base64'))
        return refuse(`block ${index}: the checksum does not match the data`);
      snap.digests.set(index, digest);
      ebsBlocks.get(put[1]!)!.push(index);
      return [201, { Checksum: digest.toString('base64'), ChecksumAlgorithm: 'SHA256' }];
    }
    const complete = /^\/snapshots\/completion\/([^/]+)$/.exec(path);
    if (req.method === 'POST' && complete) {
      const snap = ebsSnapshots.get(complete[1]!);
      if (!snap) return [404, { Message: `snapshot ${complete[1]} does not exist` }];
      if (Number(header('x-amz-changedblockscount')) !== snap.digests.size)
        return refuse(
          `ChangedBlocksCount ${header('x-amz-changedblockscount')}, but ${snap.digests.size} blocks were written`,
        );
      const linear = sha256(Buffer.concat([...snap.digests].sort(([a], [b]) => a - b).map(([, d]) => d)));
      if (
        header('x-amz-checksum-aggregation-method') !== 'LINEAR' ||
        header('x-amz-checksum') !== linear.toString('base64')
      )
        return refuse('the snapshot checksum does not match its blocks');
      snap.done = true;
      snapshots.add(complete[1]!);
      return [202, { Status: 'completed' }];
    }
    return [404, { Message: `no EBS API at ${req.method} ${path}` }];
  }

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/snapshots')) {
      const problem = await signatureProblem(req, body, 'ebs');
      const [status, answer] = problem ? [403, { Message: problem }] : ebs(req, path, body);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      return;
    }
    const params = Object.fromEntries(new URLSearchParams(body.toString()));
    const problem = await signatureProblem(req, body, 'ec2');
    if (problem) {
      res.writeHead(401, { 'content-type': 'text/xml' }).end(xmlError('AuthFailure', problem));
      return;
    }
    const { Action: action = '', Version: version, ...rest } = params;
    if (version !== '2016-11-15') {
      res.writeHead(400).end(xmlError('InvalidParameterValue', `Version ${version}`));
      return;
    }
    calls.push({ action, params: rest });
    const [status, xml] = await act(action, rest);
    res.writeHead(status, { 'content-type': 'text/xml' }).end(xml);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('startFakeEc2: no TCP address');
  return {
    endpoint: `http://127.0.0.1:${address.port}/`,
    calls,
    images,
    ebsBlocks,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
