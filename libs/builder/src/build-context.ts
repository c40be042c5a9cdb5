import ignore, { type Ignore } from '@balena/dockerignore';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { compileGlob, hasGlob, type SegmentMatcher } from './glob';
import { DockyardError } from '@dockyard/errors';

/** A file, folder or symlink of the build context, by its '/'-separated path relative to the context root. */
export interface ContextEntry {
  path: string;
  abs: string;
  type: 'file' | 'directory' | 'symlink';
  mode: number;
  size: number;
  linkpath?: string;
  /** What decides whether a cached content digest is still good. */
  stamp: string;
}

/** A COPY source the build context cannot give: missing, excluded, or not a file, folder or symlink. */
export function contextError(message: string, cause?: unknown): DockyardError {
  return new DockyardError(message, { code: 'BUILD_CONTEXT', cause });
}

async function readIgnoreFile(path: string): Promise<string[] | undefined> {
  try {
    return (await readFile(path, 'utf8')).split(/\r?\n/);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * The folder a build reads, filtered by `.dockerignore` with Docker's own rules (moby's matcher, via
 * @balena/dockerignore): `**`, `!` re-inclusion (which can re-include below an excluded folder), leading and
 * trailing `/` cleaned away, `#` comments. Like BuildKit, `<Dockerfile>.dockerignore` beside the Dockerfile wins.
 */
export class BuildContext {
  private constructor(
    readonly dir: string,
    private readonly rules: Ignore,
    private readonly reincludes: boolean,
  ) {}

  static async open(dir: string, dockerfile?: string): Promise<BuildContext> {
    const lines =
      (dockerfile
        ? await readIgnoreFile(join(dirname(dockerfile), `${basename(dockerfile)}.dockerignore`))
        : undefined) ??
      (await readIgnoreFile(join(dir, '.dockerignore'))) ??
      [];
    const patterns = lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    return new BuildContext(
      dir,
      ignore().add(patterns),
      patterns.some((p) => p.startsWith('!')),
    );
  }

  ignores(path: string): boolean {
    return path !== '' && this.rules.ignores(path);
  }

  async entry(path: string): Promise<ContextEntry | undefined> {
    const abs = join(this.dir, path);
    const info = await lstat(abs).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
      throw err;
    });
    if (!info) return undefined;
    const type = info.isDirectory()
      ? 'directory'
      : info.isSymbolicLink()
        ? 'symlink'
        : info.isFile()
          ? 'file'
          : undefined;
    if (!type) throw contextError(`${abs}: only files, folders and symlinks can be copied into an image`);
    return {
      path,
      abs,
      type,
      mode: info.mode & 0o7777,
      size: type === 'file' ? info.size : 0,
      linkpath: type === 'symlink' ? await readlink(abs) : undefined,
      stamp: `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`,
    };
  }

  /** `path` and everything below it that .dockerignore keeps, parents before children. */
  async walk(path: string): Promise<ContextEntry[]> {
    const root = await this.entry(path);
    if (!root) return [];
    const out: ContextEntry[] = [];
    const visit = async (entry: ContextEntry): Promise<void> => {
      const ignored = this.ignores(entry.path);
      if (!ignored) out.push(entry);
      if (entry.type !== 'directory' || (ignored && !this.reincludes)) return;
      const names = (await readdir(entry.abs)).sort();
      for (const name of names) {
        const child = await this.entry(entry.path ? `${entry.path}/${name}` : name);
        if (child) await visit(child);
      }
    };
    await visit(root);
    return out;
  }

  /**
   * The context paths a COPY/ADD source names: the path itself, or every match of a pattern. A source outside
   * the context, missing or excluded is an error naming it.
   */
  async resolveSource(source: string): Promise<string[]> {
    const cleaned = posix.normalize(`/${source}`).slice(1).replace(/\/$/, '');
    if (hasGlob(cleaned)) {
      const found = await this.match(compileGlob(cleaned), '');
      const kept = found.filter((p) => !this.ignores(p));
      if (!kept.length)
        throw contextError(
          `no file in the build context matches "${source}"${found.length ? ' (every match is excluded by .dockerignore)' : ''}`,
        );
      return kept;
    }
    const entry = await this.entry(cleaned);
    if (!entry) throw contextError(`"${source}" does not exist in the build context ${this.dir}`);
    if (this.ignores(cleaned) && !(entry.type === 'directory' && this.reincludes))
      throw contextError(`"${source}" is excluded by .dockerignore; remove the pattern or copy something else`);
    return [cleaned];
  }

  private async match(segments: SegmentMatcher[], base: string): Promise<string[]> {
    if (!segments.length) return [base];
    const [first, ...rest] = segments;
    const dir = join(this.dir, base);
    const names = (await readdir(dir, { withFileTypes: true }).catch(() => [])).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    const join2 = (name: string) => (base ? `${base}/${name}` : name);
    const out: string[] = [];
    if (first!.any) {
      out.push(...(await this.match(rest, base)));
      for (const d of names.filter((n) => n.isDirectory())) out.push(...(await this.match(segments, join2(d.name))));
      return [...new Set(out)];
    }
    for (const d of names) {
      if (!first!.test(d.name)) continue;
      if (rest.length && !d.isDirectory()) continue;
      out.push(...(await this.match(rest, join2(d.name))));
    }
    return out;
  }
}
