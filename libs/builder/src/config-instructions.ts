import { posix } from 'node:path';
import { DockerfileError, type DockerInstruction } from './dockerfile';
import type { ContainerConfig, ImageConfig } from './oci';
import { processWord, processWords, type Variables } from './shell-words';

/** What a config-only instruction reads besides the config: variables, the SHELL, the escape character. */
export interface InstructionScope {
  file: string;
  vars: Variables;
  shell: string[];
  escape: string;
}

const NANOS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

function duration(value: string, flag: string, at: DockerInstruction, file: string): number {
  let total = 0;
  let rest = value;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m) throw new DockerfileError(file, at.line, `--${flag}=${value} is not a duration (write e.g. 30s, 1m30s)`);
    total += Number(m[1]) * NANOS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return Math.round(total);
}

/** The exec form, or the shell form wrapped in the SHELL. */
function commandOf(at: DockerInstruction, scope: InstructionScope): string[] {
  return at.json ?? [...scope.shell, at.args];
}

/** `key=value` pairs (ENV, LABEL, ARG), or ENV's old `key value` form. */
export function keyValues(at: DockerInstruction, scope: InstructionScope): [string, string][] {
  const words = processWords(at.args, scope.vars, scope.escape);
  if (at.keyword === 'ENV' && words.length && !words[0]!.includes('=')) {
    const name = words[0]!;
    return [
      [
        name,
        processWord(
          at.args
            .trim()
            .slice(at.args.trim().indexOf(name) + name.length)
            .trim(),
          scope.vars,
          scope.escape,
        ),
      ],
    ];
  }
  return words.map((word) => {
    const eq = word.indexOf('=');
    if (eq <= 0 && at.keyword !== 'ARG')
      throw new DockerfileError(scope.file, at.line, `${at.keyword} needs key=value, got "${word}"`);
    return eq < 0 ? [word, ''] : [word.slice(0, eq), word.slice(eq + 1)];
  });
}

function setEnv(config: ContainerConfig, name: string, value: string): void {
  const env = (config.Env ?? []).filter((e) => e.split('=')[0] !== name);
  config.Env = [...env, `${name}=${value}`];
}

/**
 * Applies an instruction that changes only the config (ENV, LABEL, CMD, ENTRYPOINT, WORKDIR, USER, EXPOSE,
 * VOLUME, STOPSIGNAL, HEALTHCHECK, SHELL, ONBUILD, MAINTAINER). Returns false for other instructions.
 */
export function applyConfigInstruction(
  image: ImageConfig,
  at: DockerInstruction,
  scope: InstructionScope,
  state: { cmdSetInStage: boolean },
): boolean {
  const config: ContainerConfig = (image.config ??= {});
  const words = () => processWords(at.args, scope.vars, scope.escape);
  switch (at.keyword) {
    case 'ENV':
      for (const [name, value] of keyValues(at, scope)) setEnv(config, name, value);
      return true;
    case 'LABEL':
      config.Labels = { ...config.Labels, ...Object.fromEntries(keyValues(at, scope)) };
      return true;
    case 'CMD':
      config.Cmd = commandOf(at, scope);
      state.cmdSetInStage = true;
      return true;
    case 'ENTRYPOINT':
      config.Entrypoint = commandOf(at, scope);
      if (!state.cmdSetInStage) config.Cmd = null;
      return true;
    case 'WORKDIR': {
      const dir = processWord(at.args.trim(), scope.vars, scope.escape);
      config.WorkingDir = posix.resolve(config.WorkingDir || '/', dir);
      return true;
    }
    case 'USER':
      config.User = processWord(at.args.trim(), scope.vars, scope.escape);
      return true;
    case 'EXPOSE':
      config.ExposedPorts = { ...config.ExposedPorts };
      for (const port of words()) {
        if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/.test(port))
          throw new DockerfileError(scope.file, at.line, `EXPOSE ${port} is not a port (write 80, 80/tcp or 53/udp)`);
        config.ExposedPorts[port.includes('/') ? port : `${port}/tcp`] = {};
      }
      return true;
    case 'VOLUME':
      config.Volumes = { ...config.Volumes };
      for (const volume of at.json ?? words()) config.Volumes[volume] = {};
      return true;
    case 'STOPSIGNAL':
      config.StopSignal = processWord(at.args.trim(), scope.vars, scope.escape);
      return true;
    case 'SHELL':
      if (!at.json?.length)
        throw new DockerfileError(scope.file, at.line, 'SHELL takes the JSON form, e.g. SHELL ["/bin/bash", "-c"]');
      config.Shell = at.json;
      return true;
    case 'HEALTHCHECK': {
      const [first] = at.args.trim().split(/\s+/);
      if (first?.toUpperCase() === 'NONE') {
        config.Healthcheck = { Test: ['NONE'] };
        return true;
      }
      if (first?.toUpperCase() !== 'CMD')
        throw new DockerfileError(scope.file, at.line, 'HEALTHCHECK takes NONE or CMD <command>');
      const body = at.args.trim().slice(first.length).trim();
      const json = body.startsWith('[') ? (JSON.parse(body) as string[]) : undefined;
      const check: NonNullable<ContainerConfig['Healthcheck']> = {
        Test: json ? ['CMD', ...json] : ['CMD-SHELL', body],
      };
      const flags: [string, 'Interval' | 'Timeout' | 'StartPeriod'][] = [
        ['interval', 'Interval'],
        ['timeout', 'Timeout'],
        ['start-period', 'StartPeriod'],
      ];
      for (const [flag, field] of flags) {
        const value = at.flags.get(flag);
        if (value !== undefined) check[field] = duration(value, flag, at, scope.file);
      }
      const retries = at.flags.get('retries');
      if (retries !== undefined) check.Retries = Number(retries);
      config.Healthcheck = check;
      return true;
    }
    case 'ONBUILD':
      if (!at.trigger) throw new DockerfileError(scope.file, at.line, 'ONBUILD needs an instruction to register');
      if (['ONBUILD', 'FROM', 'MAINTAINER'].includes(at.trigger.keyword))
        throw new DockerfileError(scope.file, at.line, `ONBUILD ${at.trigger.keyword} is not allowed`);
      config.OnBuild = [...(config.OnBuild ?? []), at.args.trim()];
      return true;
    case 'MAINTAINER':
      image.author = processWord(at.args.trim(), scope.vars, scope.escape);
      return true;
    default:
      return false;
  }
}
