import { execa } from 'execa';
import { copyFile, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { removeTempDir, tempDir } from './tmp';

/** The repository this suite runs from: its node_modules, tools and libs back every temp workspace. */
export const REPO_ROOT = resolve(__dirname, '..', '..');

const LINKED = ['node_modules', 'tools', 'libs'];
const COPIED = ['nx.json', 'tsconfig.json', '.env', 'package.json', 'package-lock.json'];
const NX_BIN = join(REPO_ROOT, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
/** Nx on two cores with the daemon off: a cold graph plus a few tasks takes seconds, never minutes. */
const NX_TIMEOUT_MS = 240_000;

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as printed. */
  all: string;
}

/**
 * A throwaway Nx workspace in a real git repository: the repo's Nx plugin, CLI and libraries (symlinked),
 * its nx.json, tsconfig.json, .env, package.json and package-lock.json (copied; Nx reads external dependencies from the lock), and the project files a test writes.
 */
export class NxWorkspace {
  private constructor(readonly root: string) {}

  static async create(prefix: string, files: Record<string, string> = {}): Promise<NxWorkspace> {
    const workspace = new NxWorkspace(await tempDir(prefix));
    for (const name of LINKED) await symlink(join(REPO_ROOT, name), join(workspace.root, name));
    for (const name of COPIED) await copyFile(join(REPO_ROOT, name), join(workspace.root, name));
    await workspace.write('.gitignore', 'node_modules\n.nx\ndist\ntmp\n');
    for (const [file, text] of Object.entries(files)) await workspace.write(file, text);
    await workspace.git('init', '--quiet', '--initial-branch=main');
    await workspace.git('config', 'user.email', 'test@dockyard.invalid');
    await workspace.git('config', 'user.name', 'Dockyard test');
    await workspace.git('config', 'commit.gpgsign', 'false');
    await workspace.commit('initial workspace');
    return workspace;
  }

  path(file: string): string {
    return join(this.root, file);
  }

  async write(file: string, text: string): Promise<void> {
    await mkdir(dirname(this.path(file)), { recursive: true });
    await writeFile(this.path(file), text);
  }

  async remove(file: string): Promise<void> {
    await rm(this.path(file), { recursive: true, force: true });
  }

  async git(...args: string[]): Promise<string> {
    const result = await execa('git', args, { cwd: this.root, stripFinalNewline: true });
    return result.stdout;
  }

  /** Commits everything in the work tree; returns the new commit's sha. */
  async commit(message: string): Promise<string> {
    await this.git('add', '--all');
    await this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** Runs the real `nx` here with the daemon off and no colours; never throws on a non-zero exit. */
  async nx(args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
    const result = await execa(process.execPath, [NX_BIN, ...args], {
      cwd: this.root,
      reject: false,
      all: true,
      timeout: NX_TIMEOUT_MS,
      extendEnv: false,
      env: { ...baseEnv(), ...env },
    });
    if (result.timedOut)
      throw new Error(`nx ${args.join(' ')} timed out after ${NX_TIMEOUT_MS} ms in ${this.root}\n${result.all}`);
    return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr, all: result.all ?? '' };
  }

  async dispose(): Promise<void> {
    await removeTempDir(this.root);
  }
}

/** The caller's environment minus anything that would change what Nx or `validate` do in the temp workspace. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      value === undefined ||
      key.startsWith('NX_') ||
      key.startsWith('DOCKYARD_') ||
      key.startsWith('VITEST') ||
      key === 'CI' ||
      key === 'FORCE_COLOR'
    )
      continue;
    env[key] = value;
  }
  return { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
}
