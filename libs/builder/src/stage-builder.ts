import { applyConfigInstruction, keyValues, type InstructionScope } from './config-instructions';
import { withParents } from './copy-files';
import { copiedFiles } from './copy-instruction';
import { DockerfileError, parseDockerfile, type DockerInstruction, type Stage } from './dockerfile';
import type { LayerFile } from './layer-builder';
import {
  imageFrom,
  scratchImage,
  type HistoryEntry,
  type Image,
  type ImageConfig,
  type Layer,
  type Platform,
} from './oci';
import { processWords, type Variables } from './shell-words';
import { epochIso } from '@dockyard/files';
import { automaticArgs, type StageEnvironment, type StageResult } from './stage-environment';
import { emptyTree, nodeOfFile, stageTree } from './stage-tree';
import { mapTree, type SourceNode, type SourceTree } from './source-tree';

/** One stage being evaluated: instructions in order, each changing the config or adding a layer. */
class StageRun {
  private readonly config: ImageConfig;
  private readonly layerList: Layer[];
  private readonly history: HistoryEntry[];
  private readonly args = new Map<string, string>();
  private readonly own = new Map<string, SourceNode>();
  private readonly commandState = { cmdSetInStage: false };

  constructor(
    private readonly env: StageEnvironment,
    base: Image,
    baseConfig: ImageConfig,
    private readonly baseTree: () => Promise<SourceTree>,
    private readonly earlier: readonly StageResult[],
  ) {
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
    return {
      file: this.env.file,
      vars: this.vars(),
      shell: this.config.config?.Shell ?? ['/bin/sh', '-c'],
      escape: this.env.escape,
    };
  }

  private record(at: DockerInstruction, emptyLayer: boolean): void {
    this.history.push({
      created: epochIso(this.env.epoch),
      created_by: at.text,
      comment: 'dockyard.dockerfile.v0',
      ...(emptyLayer ? { empty_layer: true } : {}),
    });
  }

  async run(instructions: readonly DockerInstruction[]): Promise<void> {
    for (const at of instructions) await this.step(at);
  }

  private async step(at: DockerInstruction): Promise<void> {
    const { file } = this.env;
    try {
      if (at.keyword === 'RUN') {
        throw new DockerfileError(
          file,
          at.line,
          'RUN needs a container engine, and this build is daemonless (COPY/ADD only): do the work in init.sh or beforehand and COPY its result, or build the image as a ContainerImage project, whose builds run RUN in Docker',
        );
      }
      if (at.keyword === 'ARG') return this.declareArgs(at);
      if (at.keyword === 'COPY' || at.keyword === 'ADD') {
        const files = await copiedFiles(at, this.env, {
          vars: this.vars(),
          workdir: this.config.config?.WorkingDir ?? '',
          earlier: this.earlier,
        });
        return await this.addLayer(at, files);
      }
      if (!applyConfigInstruction(this.config, at, this.scope(), this.commandState)) {
        throw new DockerfileError(file, at.line, `unknown instruction ${at.keyword}`);
      }
      this.record(at, true);
    } catch (err) {
      if (err instanceof DockerfileError) throw err;
      throw new DockerfileError(file, at.line, `${at.keyword}: ${(err as Error).message}`, err);
    }
  }

  private declareArgs(at: DockerInstruction): void {
    const automatic = automaticArgs(this.env.platform, this.env.buildPlatform);
    for (const [name, fallback] of keyValues(at, this.scope())) {
      const hasDefault = at.args.includes('=');
      this.env.usedArgs.add(name);
      const value =
        this.env.buildArgs.get(name) ??
        (hasDefault ? fallback : (this.env.globalArgs.get(name) ?? automatic.get(name)));
      if (value !== undefined) this.args.set(name, value);
    }
  }

  private async addLayer(at: DockerInstruction, copied: LayerFile[]): Promise<void> {
    // Parent folders take the layer's time: the newest of its entries (one time for a COPY from the context).
    const files = withParents(
      copied,
      copied.reduce((newest, file) => Math.max(newest, file.entry.mtime ?? 0), 0),
    );
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
    const parsed = parseDockerfile(
      `${this.env.file} (ONBUILD of the base image)`,
      `FROM scratch\n${triggers.join('\n')}\n`,
    );
    await this.run(parsed.stages[0]!.instructions);
  }

  result(name: string | undefined): StageResult {
    const config: ImageConfig = { ...this.config, history: this.history };
    return { name, image: imageFrom(config, this.layerList), tree: stageTree(name, this.baseTree, new Map(this.own)) };
  }
}

/** Builds one stage for the environment's platform: FROM, then each instruction in order. */
export async function buildStage(
  stage: Stage,
  env: StageEnvironment,
  earlier: readonly StageResult[],
): Promise<StageResult> {
  const globalVars = new Map([...automaticArgs(env.platform, env.buildPlatform), ...env.globalArgs]);
  const words = processWords(stage.from.args, globalVars, env.escape);
  const reference = words[0];
  if (!reference)
    throw new DockerfileError(
      env.file,
      stage.from.line,
      'FROM needs an image (FROM scratch, FROM <image> or FROM <earlier stage>)',
    );
  const platformFlag = stage.from.flags.get('platform');
  const basePlatform = platformFlag
    ? parsePlatformArg(processWords(platformFlag, globalVars, env.escape)[0] ?? '', env, stage.from)
    : env.platform;
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
      throw new DockerfileError(env.file, stage.from.line, `FROM ${reference}: ${(err as Error).message}`, err);
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
