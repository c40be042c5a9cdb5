import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBusyboxImage, startDockerEngine, type RunningDocker } from '../harness/docker';
import { runContainer } from '../harness/run-container';

describe('startDockerEngine', () => {
  let engine: RunningDocker;
  beforeAll(async () => {
    engine = await startDockerEngine();
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('answers ping on its private socket', async () => {
    expect(engine.host).toBe(`unix://${engine.socket}`);
    expect((await engine.docker.ping()).toString()).toBe('OK');
    const info = await engine.docker.info();
    expect(info.Driver).toBe('vfs');
    expect(info.Images).toBe(0);
  });

  it('runs `echo hello` in a container of the busybox image the test built', async () => {
    await importBusyboxImage(engine, 'dockyard-smoke/busybox:test');
    const image = await engine.docker.getImage('dockyard-smoke/busybox:test').inspect();
    expect(image.Config.Cmd).toEqual(['sh']);

    const result = await runContainer(engine, 'dockyard-smoke/busybox:test', ['echo', 'hello']);
    expect(result).toEqual({ exitCode: 0, stdout: 'hello\n', stderr: '' });

    const failing = await runContainer(engine, 'dockyard-smoke/busybox:test', ['sh', '-c', 'echo oops >&2; exit 3']);
    expect(failing).toEqual({ exitCode: 3, stdout: '', stderr: 'oops\n' });
  });
});
