import { describe, expect, it } from 'vitest';
import { applyConfigInstruction, type InstructionScope } from './config-instructions';
import { parseDockerfile } from './dockerfile';
import type { ImageConfig } from './oci';

function apply(lines: string, start: Partial<ImageConfig['config']> = {}): ImageConfig {
  const config: ImageConfig = {
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [] },
    config: { ...start },
  };
  const scope: InstructionScope = {
    file: 'Dockerfile',
    vars: new Map([['PORT', '8080']]),
    shell: ['/bin/sh', '-c'],
    escape: '\\',
  };
  const state = { cmdSetInStage: false };
  for (const at of parseDockerfile('Dockerfile', `FROM scratch\n${lines}\n`).stages[0]!.instructions)
    applyConfigInstruction(config, at, { ...scope, shell: config.config?.Shell ?? scope.shell }, state);
  return config;
}

describe('config instructions', () => {
  it('sets ENV in both forms, LABEL, EXPOSE with the default protocol, USER, WORKDIR relative to the last', () => {
    const config = apply(
      'ENV A=1 B="two words"\nENV LEGACY some value\nLABEL k=v\nEXPOSE $PORT 53/udp\nUSER 1000:1000\nWORKDIR /srv\nWORKDIR app',
    );
    expect(config.config).toMatchObject({
      Env: ['A=1', 'B=two words', 'LEGACY=some value'],
      Labels: { k: 'v' },
      ExposedPorts: { '8080/tcp': {}, '53/udp': {} },
      User: '1000:1000',
      WorkingDir: '/srv/app',
    });
  });

  it('wraps the shell form in SHELL, and an ENTRYPOINT clears an inherited CMD but not one set after it', () => {
    expect(apply('ENTRYPOINT ["/app"]', { Cmd: ['inherited'] }).config).toMatchObject({
      Entrypoint: ['/app'],
      Cmd: null,
    });
    expect(apply('SHELL ["/bin/bash", "-c"]\nENTRYPOINT run it\nCMD ["--flag"]').config).toMatchObject({
      Entrypoint: ['/bin/bash', '-c', 'run it'],
      Cmd: ['--flag'],
    });
  });

  it('reads HEALTHCHECK flags as durations in nanoseconds, and NONE', () => {
    expect(
      apply('HEALTHCHECK --interval=1m30s --timeout=5s --retries=3 CMD curl -f http://localhost/').config?.Healthcheck,
    ).toEqual({
      Test: ['CMD-SHELL', 'curl -f http://localhost/'],
      Interval: 90e9,
      Timeout: 5e9,
      Retries: 3,
    });
    expect(apply('HEALTHCHECK NONE').config?.Healthcheck).toEqual({ Test: ['NONE'] });
  });

  it('records ONBUILD triggers, VOLUME and STOPSIGNAL, and positions a bad EXPOSE', () => {
    expect(apply('ONBUILD COPY . /app\nVOLUME ["/data", "/logs"]\nSTOPSIGNAL SIGTERM').config).toMatchObject({
      OnBuild: ['COPY . /app'],
      Volumes: { '/data': {}, '/logs': {} },
      StopSignal: 'SIGTERM',
    });
    expect(() => apply('EXPOSE eighty')).toThrow('Dockerfile:2: EXPOSE eighty is not a port');
  });
});
