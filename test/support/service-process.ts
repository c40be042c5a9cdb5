import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { onProcessExit } from './exit-cleanup';

/** A long-running program started by the harness, its output kept in a log file. */
export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process has exited (also when it was already gone). */
  readonly exited: Promise<void>;
  hasExited(): boolean;
  /** The last lines of the log, for error messages. */
  logTail(lines?: number): string;
  /** Sends stopSignal, waits, then SIGKILL; resolves once the process is gone. */
  stop(): Promise<void>;
}

export interface ServiceSpawnOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  /** Signal asking the program to shut down cleanly (dockerd unmounts and stops containerd on TERM). */
  stopSignal?: NodeJS.Signals;
  /** How long stop() waits for stopSignal to work before SIGKILL. */
  stopTimeoutMs?: number;
}

/**
 * Starts a service. It is wrapped in `setpriv --pdeathsig` so the kernel signals it when
 * this Node process dies for any reason (crash, SIGKILL from vitest), and it is also
 * signalled when this process exits; a crashed test never leaves a server behind.
 */
export function spawnService(options: ServiceSpawnOptions): ServiceProcess {
  const stopSignal = options.stopSignal ?? 'SIGTERM';
  const stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
  // setpriv (util-linux, on every Debian) sets the death signal, then execs the service in place.
  const args = ['--pdeathsig', stopSignal.replace(/^SIG/, ''), '--', options.command, ...options.args];
  const logFd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn('setpriv', args, { stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd);
  }
  if (child.pid === undefined) {
    child.once('error', () => undefined);
    throw new Error(`${options.name}: could not run setpriv (package util-linux) to start \`${options.command}\``);
  }
  const pid = child.pid;
  const forgetExitKill = onProcessExit(() => child.kill(stopSignal));

  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    const onGone = (): void => {
      exited = true;
      forgetExitKill();
      resolve();
    };
    child.once('exit', onGone);
    child.once('error', onGone);
  });

  const logTail = (lines = 30): string => {
    try {
      return readFileSync(options.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  };

  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill(stopSignal);
    const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
    await exitedPromise;
    clearTimeout(timer);
  };

  return {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited: exitedPromise,
    hasExited: () => exited,
    logTail,
    stop,
  };
}

/**
 * Polls `isReady` until it returns true. Fails at once, with the service's log, if the
 * service exits; fails after `timeoutMs` with the log and what was last seen.
 */
export async function waitUntilReady(
  service: ServiceProcess,
  isReady: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'not ready yet';
  for (;;) {
    if (service.hasExited()) {
      throw new Error(`${service.name} exited while starting. Its log (${service.logFile}):\n${service.logTail()}`);
    }
    try {
      if (await isReady()) return;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      await service.stop();
      throw new Error(
        `${service.name} was not ready after ${timeoutMs} ms (last: ${lastProblem}). Its log (${service.logFile}):\n${service.logTail()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
