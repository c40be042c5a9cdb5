import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_TOKEN, startCacheServer, WRITE_TOKEN } from '../support/nx-cache-server';
import { NxWorkspace } from '../support/nx-workspace';
import { everyKind, pluginYaml } from '../support/projects';
import { s3Client, startS3Server, type RunningS3Server } from '../support/s3-server';

/**
 * `dockyard ci cache-server` in front of S3 (s3rver), used by Nx 24 itself through NX_SELF_HOSTED_REMOTE_CACHE_SERVER:
 * main's token writes, a second clone reads remote hits with the pull-request token, and that token cannot write.
 */
describe('the Nx remote cache service', () => {
  let s3: RunningS3Server;
  let server: ResultPromise;
  let url: string;
  const log: string[] = [];
  const workspaces: NxWorkspace[] = [];
  let client: S3Client;

  const entries = async () =>
    (await client.send(new ListObjectsV2Command({ Bucket: 'nx-cache', Prefix: 'dockyard/' }))).Contents?.length ?? 0;
  const validateAll = async (workspace: NxWorkspace, token: string, cache = url) => {
    const run = await workspace.nx(['run-many', '-t', 'validate', '--output-style=static'], {
      NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache,
      NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token,
    });
    expect(run.exitCode, run.all).toBe(0);
    return run.all;
  };
  const workspace = async (name: string, files: Record<string, string>) => {
    const created = await NxWorkspace.create(name, files);
    workspaces.push(created);
    return created;
  };

  beforeAll(async () => {
    s3 = await startS3Server(['nx-cache']);
    client = s3Client(s3);
    ({ server, url } = await startCacheServer(s3.endpoint, log));
  });
  afterAll(async () => {
    server?.kill('SIGTERM');
    await server;
    for (const w of workspaces) await w.dispose();
    await s3?.stop();
  });

  it("main's token fills it; a second clone with the pull-request token gets remote hits", async () => {
    const main = await workspace('cache-main', everyKind());
    await validateAll(main, WRITE_TOKEN);
    const stored = await entries();
    expect(stored).toBe(5);
    expect(log.filter((l) => /^PUT \S+ 200$/.test(l))).toHaveLength(5);

    const clone = await workspace('cache-clone', everyKind());
    const output = await validateAll(clone, READ_TOKEN);
    expect(output.match(/\[remote cache\]/g)).toHaveLength(5);
    expect(log.filter((l) => /^GET \S+ 200$/.test(l))).toHaveLength(5);
  });

  it('the pull-request token cannot write: a changed project runs, its PUT is refused, nothing is stored', async () => {
    const before = await entries();
    const changed = await workspace('cache-pr', {
      ...everyKind(),
      'plugins/alerts/project.yaml': pluginYaml({
        name: 'alerts',
        port: 8081,
        slot: 'sidebar.alerts',
        description: 'pr',
      }),
    });
    await validateAll(changed, READ_TOKEN);
    expect(log.filter((l) => /^PUT \S+ 403$/.test(l)).length).toBeGreaterThan(0);
    expect(await entries()).toBe(before);
    const unknown = await fetch(`${url}/v1/cache/abc`, { headers: { authorization: 'Bearer guess' } });
    expect(unknown.status).toBe(401);
    expect(log.join('\n')).not.toContain(READ_TOKEN);
    expect(log.join('\n')).not.toContain(WRITE_TOKEN);
  });

  it('storage that cannot be reached is a miss, not a failed task', async () => {
    const offlineLog: string[] = [];
    const offline = await startCacheServer('http://127.0.0.1:9', offlineLog);
    try {
      const fresh = await workspace('cache-offline', everyKind());
      await validateAll(fresh, WRITE_TOKEN, offline.url);
      expect(offlineLog.filter((l) => /^GET \S+ 404 \(/.test(l))).toHaveLength(5);
      expect(offlineLog.filter((l) => /^PUT \S+ 403 \(/.test(l))).toHaveLength(5);
    } finally {
      offline.server.kill('SIGTERM');
      await offline.server;
    }
  });
});
