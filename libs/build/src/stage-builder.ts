import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { archiveMembers, tarOf } from './archive';
import { applyConfigInstruction, keyValues, type InstructionScope } from './config-instructions';
import { copyFromTree, withParents, type CopyOptions } from './copy-files';
import { DockerfileError, parseDockerfile, type DockerInstruction, type Stage } from './dockerfile';
import type { LayerBuilder, LayerFile } from './layer-builder';
import { imageFrom, platformString, scratchImage, type ContentStore, type HistoryEntry, type Image, type ImageConfig, type Layer, type Platform } from './oci';
import { expandVariables, processWords, type Variables } from './shell-words';
import { epochIso } from './source-date-epoch';
import { mapTree, type SourceNode, type SourceTree } from './source-tree';

/** What every stage of one platform's build shares. */
export interface StageEnvironment {
  file: string;
  escape: string;
  context: SourceTree;
  store: ContentStore;
  layers: LayerBuilder;
  epoch: number;
  scratchDir: string;
  platform: Platform;
  buildPlatform: Platform;
  buildArgs: ReadonlyMap<string, string>;
  /** Build args some ARG declared (the rest are reported unused). */
  usedArgs: Set<string>;
  /** Global ARGs (before the first FROM) with their values. */
  globalArgs: ReadonlyMap<string, string>;
  /** A base image (`FROM x`, `COPY --from=x`) for one platform. */
  openImage(reference: string, platform: Platform): Promise<Image>;
  /** An `ADD URL` download, verified against `checksum` when given, in the content store. */
  download(url: string, checksum: string | undefined): Promise<{ digest: string; size: number; path: string }>;
  stats: { layersBuilt: number; layersCached: number };
  /** Unpacked images for `COPY --from=<image>`, by reference. */
  imageTrees: Map<string, Promise<SourceTree>>;
  imageFiles(image: Image): Promise<Map<string, SourceNode>>;
}

export interface StageResult {
  name?: string;
  image: Image;
  /** The stage's filesystem, for a later `COPY --from`. */
  tree(): Promise<SourceTree>;
}

/** TARGETPLATFORM, TARGETOS, ... as BuildKit defines them. */
export function automaticArgs(platform: Platform, buildPlatform: Platform): Map<string, string> {
  return new Map([
    ['TARGETPLATFORM', platformString(platform)],
    ['TARGETOS', platform.os],
    ['TARGETARCH', platform.architecture],
    ['TARGETVARIANT', platform.variant ?? ''],
    ['BUILDPLATFORM', platformString(buildPlatform)],
    ['BUILDOS', buildPlatform.os],
    ['BUILDARCH', buildPlatform.architecture],
    ['BUILDVARIANT', buildPlatform.variant ?? ''],
  ]);
}

function parseOwner(value: string, file: string, at: DockerInstruction): { uid: number; gid: number } {
  const [user, group] = value.split(':');
  const id = (part: string | undefined, fallback: number) => {
    if (part === undefined || part === '') return fallback;
    if (part === 'root') return 0;
    if (!/^\d+$/.test(part)) throw new DockerfileError(file, at.line, `--chown=${value}: a daemonless build has no /etc/passwd to look "${part}" up in; give numeric ids (--chown=1000:1000)`);
    return Number(part);
  };
  const uid = id(user, 0);
  return { uid, gid: id(group, uid) };
}

function nodeOfFile(file: LayerFile): SourceNode {
  const { entry } = file;
  const content = entry.content;
  return {
    path: entry.path,
    type: entry.type,
    mode: entry.mode ?? 0o644,
    size: entry.size ?? (Buffer.isBuffer(content) ? content.length : 0),
    linkpath: entry.linkpath,
    contentId: async () => file.contentId,
    open: content === undefined ? undefined : Buffer.isBuffer(content) ? () => Readable.from([content]) : content,
  };
}

class StageRun {
  private readonly config: ImageConfig;
  private readonly layerList: Layer[];
  private readonly history: HistoryEntry[];
  private readonly args = new Map<string, string>();
  private readonly own = new Map<string, SourceNode>();
  private readonly commandState = { cmdSetInStage: false };

  constructor(private readonly env: StageEnvironment, base: Image, baseConfig: ImageConfig, private readonly baseTree: () => Promise<SourceTree>, private readonly earlier: readonly StageResult[]) {
    this.config = structuredClone(baseConfig);
    this.layerList = [...base.layers];
    this.history = [...(baseConfig.history ?? [])];
    this.config.created = epochIso(env.epoch);
  }

  private vars(): Variables {
    const vars = new Map(this.args);
    for (const entry of this.config.config?.Env ?? []) {
      const eq = entry.indexOf('=');
      if (eq > 0) vars.set(entry.slice(0, eq), entry.slice(eq + 1));
    }
    return vars;
  }

  private scope(): InstructionScope {
    return { file: this.env.file, vars: this.vars(), shell: this.config.config?.Shell ?? ['/bin/sh', '-c'], escape: this.env.escape };
  }

  private record(at: DockerInstruction, emptyLayer: boolean): void {
    this.history.push({ created: epochIso(this.env.epoch), created_by: at.text, comment: 'dockyard.dockerfile.v0', ...(emptyLayer ? { empty_layer: true } : {}) });
  }

  async run(instructions: readonly DockerInstruction[]): Promise<void> {
    for (const at of instructions) await this.step(at);
  }

  private async step(at: DockerInstruction): Promise<void> {
    const { file } = this.env;
    try {
      if (at.keyword === 'RUN') {
        throw new DockerfileError(file, at.line, 'RUN needs a container engine, and this build is daemonless (COPY/ADD only): do the work in init.sh or beforehand and COPY its result, or build the image as a ContainerImage project, whose builds run RUN in Docker');
      }
      if (at.keyword === 'ARG') return this.declareArgs(at);
      if (at.keyword === 'COPY' || at.keyword === 'ADD') return await this.copy(at);
      if (!applyConfigInstruction(this.config, at, this.scope(), this.commandState)) {
        throw new DockerfileError(file, at.line, `unknown instruction ${at.keyword}`);
      }
      this.record(at, true);
    } catch (err) {
      if (err instanceof DockerfileError) throw err;
      throw new DockerfileError(file, at.line, `${at.keyword}: ${(err as Error).message}`);
    }
  }

  private declareArgs(at: DockerInstruction): void {
    const automatic = automaticArgs(this.env.platform, this.env.buildPlatform);
    for (const [name, fallback] of keyValues(at, this.scope())) {
      const hasDefault = at.args.includes('=');
      this.env.usedArgs.add(name);
      const value = this.env.buildArgs.get(name) ?? (hasDefault ? fallback : (this.env.globalArgs.get(name) ?? automatic.get(name)));
      if (value !== undefined) this.args.set(name, value);
    }
  }

  private async fromTree(reference: string): Promise<SourceTree> {
    const stage = this.earlier.find((s) => s.name === reference.toLowerCase()) ?? (/^\d+$/.test(reference) ? this.earlier[Number(reference)] : undefined);
    if (stage) return stage.tree();
    let tree = this.env.imageTrees.get(reference);
    if (!tree) {
      tree = this.env.openImage(reference, this.env.platform).then(async (image) => mapTree(`image ${reference}`, await this.env.imageFiles(image)));
      this.env.imageTrees.set(reference, tree);
    }
    return tree;
  }

  private destination(dest: string): string {
    const workdir = this.config.config?.WorkingDir || '/';
    const absolute = posix.resolve(workdir, dest);
    return dest.endsWith('/') || dest === '.' || absolute === '/' ? `${absolute.replace(/\/$/, '')}/` : absolute;
  }

  private async copy(at: DockerInstruction): Promise<void> {
    const scope = this.scope();
    const words = at.json ?? processWords(at.args, scope.vars, scope.escape);
    if (words.length < 2) throw new DockerfileError(this.env.file, at.line, `${at.keyword} needs at least one source and a destination`);
    const chown = at.flags.get('chown');
    const chmod = at.flags.get('chmod');
    if (chmod !== undefined && !/^[0-7]{3,4}$/.test(chmod)) throw new DockerfileError(this.env.file, at.line, `--chmod=${chmod} is not an octal mode (write e.g. --chmod=0755)`);
    for (const flag of at.flags.keys()) {
      const known = at.keyword === 'COPY' ? ['chown', 'chmod', 'link', 'from'] : ['chown', 'chmod', 'link', 'checksum'];
      if (!known.includes(flag)) throw new DockerfileError(this.env.file, at.line, `${at.keyword} --${flag} is not supported (${at.keyword} takes ${known.map((k) => `--${k}`).join(', ')})`);
    }
    const options: CopyOptions = {
      dest: this.destination(words.at(-1)!),
      mtime: this.env.epoch,
      mode: chmod === undefined ? undefined : parseInt(chmod, 8),
      ...(chown === undefined ? {} : parseOwner(chown, this.env.file, at)),
    };
    const sources = words.slice(0, -1);
    const heredocSources = sources.filter((s) => s.startsWith('<<'));
    let files: LayerFile[];
    if (heredocSources.length) {
      files = this.heredocFiles(at, sources, options, scope);
    } else if (at.keyword === 'ADD') {
      files = await this.addFiles(at, sources, options);
    } else {
      const from = at.flags.get('from');
      const tree = from ? await this.fromTree(processWords(from, scope.vars, scope.escape)[0] ?? from) : this.env.context;
      files = await copyFromTree(tree, sources, options);
    }
    await this.addLayer(at, files);
  }

  private heredocFiles(at: DockerInstruction, sources: string[], options: CopyOptions, scope: InstructionScope): LayerFile[] {
    const destIsDir = options.dest.endsWith('/') || sources.length > 1;
    return sources.map((source) => {
      const name = source.replace(/^<<-?["']?/, '').replace(/["']$/, '');
      const heredoc = at.heredocs.find((h) => h.name === name);
      if (!heredoc) throw new DockerfileError(this.env.file, at.line, `no heredoc body named ${name}`);
      const content = Buffer.from(heredoc.quoted ? heredoc.content : expandVariables(heredoc.content, scope.vars, scope.escape));
      const path = (destIsDir ? posix.join(options.dest, name) : options.dest).replace(/^\/+/, '');
      return { entry: { path, type: 'file', mode: options.mode ?? 0o644, uid: options.uid, gid: options.gid, mtime: options.mtime, size: content.length, content }, contentId: `heredoc:${content.toString('base64')}` } satisfies LayerFile;
    });
  }

  private async addFiles(at: DockerInstruction, sources: string[], options: CopyOptions): Promise<LayerFile[]> {
    const checksum = at.flags.get('checksum');
    const urls = sources.filter((s) => /^https?:\/\//i.test(s));
    if (checksum !== undefined && (urls.length !== 1 || sources.length !== 1)) throw new DockerfileError(this.env.file, at.line, 'ADD --checksum needs exactly one URL source');
    if (checksum !== undefined && !/^sha256:[a-f0-9]{64}$/.test(checksum)) throw new DockerfileError(this.env.file, at.line, `--checksum=${checksum} must be sha256:<64 hex digits>`);
    const files: LayerFile[] = [];
    const destIsDir = options.dest.endsWith('/') || sources.length > 1;
    for (const source of sources) {
      if (urls.includes(source)) {
        const fetched = await this.env.download(source, checksum);
        const name = posix.basename(new URL(source).pathname) || 'download';
        const path = (destIsDir ? posix.join(options.dest, name) : options.dest).replace(/^\/+/, '');
        const blob = this.env.store.blob({ mediaType: 'application/octet-stream', digest: fetched.digest, size: fetched.size });
        files.push({ entry: { path, type: 'file', mode: options.mode ?? 0o600, uid: options.uid, gid: options.gid, mtime: options.mtime, size: fetched.size, content: () => blob.open() }, contentId: fetched.digest });
        continue;
      }
      for (const path of await this.env.context.resolve(source)) {
        const [node] = await this.env.context.walk(path);
        const tar = node?.type === 'file' && node.localPath ? await tarOf(node.localPath, this.env.scratchDir, `add-${files.length}-${posix.basename(path)}`) : undefined;
        if (!node || !tar) {
          files.push(...(await copyFromTree(this.env.context, [path], options)));
          continue;
        }
        const archiveId = node.digest ? await node.digest() : await node.contentId();
        const dest = options.dest.replace(/^\/+/, '').replace(/\/+$/, '');
        for (const member of await archiveMembers(tar, path)) {
          files.push({
            entry: {
              path: posix.join(dest, member.name),
              type: member.type,
              mode: options.mode ?? member.mode,
              uid: options.uid,
              gid: options.gid,
              mtime: options.mtime,
              ...(member.type === 'file' ? { size: member.size, content: member.open } : {}),
              ...(member.type === 'hardlink' ? { linkpath: posix.join(dest, member.linkpath ?? '') } : member.linkpath ? { linkpath: member.linkpath } : {}),
            },
            contentId: member.type === 'file' ? `${archiveId}!${member.name}` : undefined,
          });
        }
      }
    }
    return files;
  }

  private async addLayer(at: DockerInstruction, copied: LayerFile[]): Promise<void> {
    const files = withParents(copied, this.env.epoch);
    const { layer, cached } = await this.env.layers.build(files);
    this.env.stats[cached ? 'layersCached' : 'layersBuilt']++;
    this.layerList.push(layer);
    this.config.rootfs = { type: 'layers', diff_ids: [...this.config.rootfs.diff_ids, layer.diffId!] };
    for (const file of files) this.own.set(file.entry.path, nodeOfFile(file));
    this.record(at, false);
  }

  /** Runs the base image's ONBUILD triggers first, as Docker does, and clears them in the new image. */
  async runTriggers(): Promise<void> {
    const triggers = this.config.config?.OnBuild ?? [];
    if (!triggers.length) return;
    if (this.config.config) this.config.config.OnBuild = null;
    const parsed = parseDockerfile(`${this.env.file} (ONBUILD of the base image)`, `FROM scratch\n${triggers.join('\n')}\n`);
    await this.run(parsed.stages[0]!.instructions);
  }

  result(name: string | undefined): StageResult {
    const config: ImageConfig = { ...this.config, history: this.history };
    const image = imageFrom(config, this.layerList);
    const own = new Map(this.own);
    const baseTree = this.baseTree;
    let tree: Promise<SourceTree> | undefined;
    return {
      name,
      image,
      tree: () => {
        tree ??= (async () => {
          const base = await baseTree();
          const merged = new Map<string, SourceNode>();
          for (const node of await base.walk('')) if (node.path) merged.set(node.path, node);
          for (const [path, node] of own) merged.set(path, node);
          return mapTree(name ? `stage ${name}` : 'an earlier stage', merged);
        })();
        return tree;
      },
    };
  }
}

const emptyTree = async (): Promise<SourceTree> => mapTree('scratch', new Map());

/** Builds one stage for the environment's platform: FROM, then each instruction in order. */
export async function buildStage(stage: Stage, env: StageEnvironment, earlier: readonly StageResult[]): Promise<StageResult> {
  const globalVars = new Map([...automaticArgs(env.platform, env.buildPlatform), ...env.globalArgs]);
  const words = processWords(stage.from.args, globalVars, env.escape);
  const reference = words[0];
  if (!reference) throw new DockerfileError(env.file, stage.from.line, 'FROM needs an image (FROM scratch, FROM <image> or FROM <earlier stage>)');
  const platformFlag = stage.from.flags.get('platform');
  const basePlatform = platformFlag ? parsePlatformArg(processWords(platformFlag, globalVars, env.escape)[0] ?? '', env, stage.from) : env.platform;
  let base: Image;
  let baseTree: () => Promise<SourceTree>;
  const earlierStage = earlier.find((s) => s.name === reference.toLowerCase());
  if (reference.toLowerCase() === 'scratch') {
    base = scratchImage(basePlatform);
    baseTree = emptyTree;
  } else if (earlierStage) {
    base = earlierStage.image;
    baseTree = earlierStage.tree;
  } else {
    try {
      base = await env.openImage(reference, basePlatform);
    } catch (err) {
      throw new DockerfileError(env.file, stage.from.line, `FROM ${reference}: ${(err as Error).message}`);
    }
    let tree: Promise<SourceTree> | undefined;
    baseTree = () => (tree ??= env.imageFiles(base).then((files) => mapTree(`image ${reference}`, files)));
  }
  const run = new StageRun(env, base, await base.configJson(), baseTree, earlier);
  await run.runTriggers();
  await run.run(stage.instructions);
  return run.result(stage.name);
}

function parsePlatformArg(text: string, env: StageEnvironment, at: DockerInstruction): Platform {
  const [os, architecture, variant] = text.split('/');
  if (!os || !architecture) throw new DockerfileError(env.file, at.line, `--platform=${text} is not OS/ARCH[/VARIANT]`);
  return { os, architecture, ...(variant ? { variant } : {}) };
}

