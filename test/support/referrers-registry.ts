import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

export interface ReferrersRegistry {
  host: string;
  url: string;
  /** Every tag a client pushed, by repository: a client using the referrers API must not write `sha256-…` tags. */
  tags: Map<string, Set<string>>;
  /** What the registry refused, and why: the checks below are what OCI distribution-spec 1.1 asks of a referrer. */
  refused: string[];
  stop(): Promise<void>;
}

interface Descriptor {
  mediaType?: string;
  digest?: string;
  size?: number;
}

/** The fields of a pushed manifest the checks read. */
interface PushedManifest {
  mediaType?: string;
  artifactType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  subject?: Descriptor;
}

interface Stored {
  bytes: Buffer;
  mediaType: string;
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A registry with the OCI 1.1 referrers API, in process, for the one path the real `docker-registry` (2.8, no
 * referrers API) cannot exercise. It keeps blobs and manifests in memory, answers a manifest with `subject` with
 * the `OCI-Subject` header, serves `GET /v2/<name>/referrers/<digest>` (honouring `artifactType` and saying so in
 * `OCI-Filters-Applied`), and refuses a referrer the spec would not accept: not an OCI image manifest, a content
 * type that is not its mediaType, no artifactType and no config media type to stand for it, a subject without
 * mediaType/digest/size, an empty config with other bytes than `{}`, or a blob it does not have.
 */
export async function startReferrersRegistry(): Promise<ReferrersRegistry> {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, Stored>();
  const referrers = new Map<string, { mediaType: string; digest: string; size: number; artifactType?: string }[]>();
  const tags = new Map<string, Set<string>>();
  const refused: string[] = [];
  const refuse = (res: ServerResponse, why: string) => {
    refused.push(why);
    res
      .writeHead(400, { 'content-type': 'application/json' })
      .end(JSON.stringify({ errors: [{ code: 'MANIFEST_INVALID', message: why }] }));
  };

  function checkReferrer(manifest: PushedManifest, contentType: string | undefined, raw: Buffer): string | undefined {
    if (manifest.mediaType !== OCI_MANIFEST)
      return `a referrer must be an OCI image manifest, not ${manifest.mediaType}`;
    if (contentType !== manifest.mediaType) return `content type ${contentType} is not the manifest's mediaType`;
    if (!manifest.artifactType && !manifest.config?.mediaType)
      return 'neither artifactType nor config.mediaType is set';
    const subject = manifest.subject;
    if (
      !subject?.mediaType ||
      !/^sha256:[0-9a-f]{64}$/.test(subject?.digest ?? '') ||
      typeof subject?.size !== 'number'
    )
      return 'subject needs mediaType, digest and size';
    if (
      manifest.config?.mediaType === 'application/vnd.oci.empty.v1+json' &&
      blobs.get(manifest.config.digest ?? '')?.toString() !== '{}'
    )
      return 'the empty config must be the two bytes {}';
    for (const d of [manifest.config, ...(manifest.layers ?? [])])
      if (!blobs.has(d?.digest ?? '')) return `blob ${d?.digest} unknown`;
    if (raw.length > 4 * 1024 * 1024) return 'manifest too large';
    return undefined;
  }

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/v2/') return void res.writeHead(200).end('{}');
    const m = /^\/v2\/(.+)\/(blobs\/uploads\/[^/]*|blobs|manifests|referrers)\/?([^/]*)$/.exec(url.pathname);
    if (!m) return void res.writeHead(404).end();
    const [, repository, kind, reference] = m as unknown as [string, string, string, string];
    if (kind.startsWith('blobs/uploads')) {
      if (req.method === 'POST')
        return void res.writeHead(202, { location: `/v2/${repository}/blobs/uploads/${randomUUID()}` }).end();
      const bytes = await body(req);
      const digest = url.searchParams.get('digest');
      if (digest !== sha256(bytes)) return void res.writeHead(400).end();
      blobs.set(digest, bytes);
      return void res.writeHead(201, { 'docker-content-digest': digest }).end();
    }
    if (kind === 'blobs') {
      const blob = blobs.get(reference);
      if (!blob) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': String(blob.length), 'docker-content-digest': reference });
      return void res.end(req.method === 'HEAD' ? undefined : blob);
    }
    if (kind === 'referrers') {
      const type = url.searchParams.get('artifactType');
      const all = referrers.get(reference) ?? [];
      const listed = type ? all.filter((d) => d.artifactType === type) : all;
      res.writeHead(200, { 'content-type': OCI_INDEX, ...(type ? { 'oci-filters-applied': 'artifactType' } : {}) });
      return void res.end(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: listed }));
    }
    const key = `${repository}@${reference}`;
    if (req.method === 'PUT') {
      const raw = await body(req);
      const manifest = JSON.parse(raw.toString()) as PushedManifest;
      const contentType = req.headers['content-type'];
      const digest = sha256(raw);
      const headers: Record<string, string> = { 'docker-content-digest': digest };
      if (manifest.subject) {
        const problem = checkReferrer(manifest, contentType, raw);
        if (problem) return refuse(res, problem);
        // checkReferrer made sure these are set.
        const subject = manifest.subject.digest!;
        const list = referrers.get(subject) ?? [];
        if (!list.some((d) => d.digest === digest))
          list.push({
            mediaType: manifest.mediaType!,
            digest,
            size: raw.length,
            artifactType: manifest.artifactType ?? manifest.config!.mediaType,
          });
        referrers.set(subject, list);
        headers['oci-subject'] = subject;
      }
      const stored = { bytes: raw, mediaType: contentType ?? manifest.mediaType ?? OCI_MANIFEST };
      manifests.set(`${repository}@${digest}`, stored);
      if (!reference.startsWith('sha256:')) {
        manifests.set(key, stored);
        (tags.get(repository) ?? tags.set(repository, new Set()).get(repository)!).add(reference);
      }
      return void res.writeHead(201, headers).end();
    }
    const stored = manifests.get(key);
    if (!stored) return void res.writeHead(404).end();
    res.writeHead(200, {
      'content-type': stored.mediaType,
      'docker-content-digest': sha256(stored.bytes),
      'content-length': String(stored.bytes.length),
    });
    res.end(req.method === 'HEAD' ? undefined : stored.bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    tags,
    refused,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
