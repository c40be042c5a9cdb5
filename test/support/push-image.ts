import { createHash } from 'node:crypto';

/** Pushes a tiny single-layer image through the distribution API and returns its manifest digest. */
export async function pushImage(
  registryUrl: string,
  repository: string,
  tag: string,
  auth?: { username: string; password: string },
): Promise<string> {
  const headers: Record<string, string> = auth
    ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` }
    : {};
  const upload = async (content: Buffer): Promise<string> => {
    const digest = `sha256:${createHash('sha256').update(content).digest('hex')}`;
    const start = await fetch(`${registryUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers });
    if (start.status !== 202) throw new Error(`blob upload start: ${start.status}`);
    const location = new URL(start.headers.get('location')!, registryUrl);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      body: content,
    });
    if (put.status !== 201) throw new Error(`blob upload: ${put.status}`);
    return digest;
  };
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] },
      config: { Labels: { tag } },
    }),
  );
  const layer = Buffer.from(`layer of ${repository}:${tag}`);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: await upload(config),
        size: config.length,
      },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: await upload(layer), size: layer.length },
      ],
    }),
  );
  const put = await fetch(`${registryUrl}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
  if (put.status !== 201) throw new Error(`manifest put: ${put.status} ${await put.text()}`);
  return `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
}
