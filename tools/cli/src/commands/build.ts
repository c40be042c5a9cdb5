import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { baseImageOpener, buildImages, hostPlatform, urlDownloader, writeBuild } from '@dockyard/builder';
import * as appImage from '@dockyard/kinds/app-image';
import * as containerImage from '@dockyard/kinds/container-image';
import * as release from '@dockyard/kinds/release';
import {
  ContentStore,
  CopyScheduler,
  locationContext,
  parsePlatform,
  platformString,
  type Platform,
} from '@dockyard/oci';
import { isKind, type OpenedProject } from '@dockyard/project-spec';
import { UsageError, type Command, type ParsedArgs } from '../command';
import type { Output } from '../output';
import { optionList } from '../help';
import { projectAmong, projectArg } from '../project-arg';
import { buildCloudImage } from './cloud-image';
import { registryHelp, registryOptions, registrySettings } from '../registry-options';
import { shown } from '../words';
import { versionsOption, withVersions } from '../versions-option';

const usage = `Usage: dockyard build [CONTEXT] [-f FILE] [--platform OS/ARCH[,OS/ARCH...]] [--build-arg K=V]... [-t LOCATION]...
       dockyard build PROJECT [--versions V[,V...]] [--list-images | --push [--dry-run] | --dry-run]

Builds a COPY/ADD-only Dockerfile or Kubefile without a container engine: reproducible to the byte
(sorted entries, PAX headers, uid/gid 0, mtime = SOURCE_DATE_EPOCH, else per layer the last commit
time of the files it copies, gzip by a fixed rule: stored blocks for already-compressed files, else level 6), layers
cached in the content store ($DOCKYARD_STORE or ~/.cache/dockyard/store) so a rebuild redoes
only the layers whose files changed. Several platforms give one image each and an index over them.
A RUN is refused at its line.

${optionList([
  ['CONTEXT', 'the build context folder (default: .); a folder holding a project.yaml is a PROJECT unless -f is given'],
  ['-f, --file FILE', 'the Dockerfile or Kubefile (default: CONTEXT/Kubefile, else CONTEXT/Dockerfile)'],
  ['--platform P[,P...]', "platforms to build, e.g. linux/amd64,linux/arm64 (default: this machine's)"],
  ['--build-arg K=V', 'value of an ARG (repeatable); TARGETARCH and friends are set per platform'],
  ['--target STAGE', 'build this stage instead of the last'],
  [
    '-t, --tag LOCATION',
    'where to write the result (repeatable): docker://HOST/REPO:TAG, oci:DIR[:REF], docker-archive:FILE[:REF] (one platform), registry-dir:DIR:REPO:TAG',
  ],
  [
    'PROJECT',
    "build a project instead (its project.yaml, its folder or its name; --project PROJECT is the same): an AppImage (every version and arch into dist/<name>/<version>/, an OCI layout with build.json), a Release's image (its build: section), a ContainerImage, or a CloudImage (every version and arch into dist/<name>/<version>/<arch>/: qcow2, raw, WSL tar, rpms.txt, build.json; needs root)",
  ],
  [
    '--list-images',
    "with an AppImage: run init.sh and list each arch's images in dist/<name>/images/<version>/<arch>/images.list, build nothing",
  ],
  [
    '--versions V[,V...]',
    "with an AppImage, a ContainerImage that lists versions: or a CloudImage: build (list, push) only these of its versions; a Release's image has one version and takes none",
  ],
  ['--push', 'with an AppImage: push what dist/ holds to repository and publish.registries'],
  ['--dry-run', 'with --push: print what would be pushed; with a Release: build, push nothing'],
])}

Registry options (for FROM images and -t docker:// targets):
${optionList(registryHelp(['platform']))}

Example:
  dockyard build releases/apps/nginx/latest --platform linux/amd64,linux/arm64 -t oci:dist/nginx:1.25.3`;

/** A repeatable, comma-separated option's values. */
function listOption(value: unknown): string[] {
  return ((value as string[] | undefined) ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function platformsOf(values: ParsedArgs['values']): Platform[] {
  const given = listOption(values.platform);
  try {
    return given.length ? given.map(parsePlatform) : [hostPlatform()];
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function buildArgsOf(values: ParsedArgs['values']): Record<string, string> {
  const args: Record<string, string> = {};
  for (const pair of (values['build-arg'] as string[] | undefined) ?? []) {
    const eq = pair.indexOf('=');
    if (eq > 0) args[pair.slice(0, eq)] = pair.slice(eq + 1);
    // Docker's `--build-arg NAME` takes the value from the environment.
    else if (process.env[pair] !== undefined) args[pair] = process.env[pair]!;
    else throw new UsageError(`--build-arg ${pair}: write NAME=VALUE, or set ${pair} in the environment`);
  }
  return args;
}

function defaultDockerfile(context: string): string {
  const kubefile = resolve(context, 'Kubefile');
  return existsSync(kubefile) ? kubefile : resolve(context, 'Dockerfile');
}

async function buildAppImage(
  project: appImage.AppImageProject,
  values: ParsedArgs['values'],
  output: Output,
): Promise<number> {
  const settings = registrySettings(values, project);
  const options = {
    pool: settings.pool,
    scheduler: new CopyScheduler({ concurrency: settings.concurrency, retry: settings.retry }),
    log: (line: string) => output.error(line),
  };
  if (values['list-images']) {
    for (const listed of await appImage.listProjectImages(project, options)) {
      for (const warning of listed.warnings) output.error(`warning: ${warning}`);
      output.log(
        `${project.spec.name} ${listed.version} ${listed.arch}: ${listed.images.length} image(s) in ${shown(listed.list)}`,
      );
    }
  } else if (values.push) {
    const pushed = await appImage.publishProject(project, { ...options, dryRun: Boolean(values['dry-run']) });
    if (values['dry-run']) for (const step of pushed.steps) output.log(`would push ${step.from} → ${step.to}`);
    for (const result of pushed.results) output.log(`${result.status} ${result.target} ${result.digest}`);
    for (const signed of pushed.signed)
      output.log(`signed ${signed.image}: sbom and signature attached (${signed.signature.path})`);
  } else {
    for (const version of await appImage.buildProject(project, options)) {
      for (const arch of version.arches)
        output.log(`${arch.tag} ${arch.digest} (${arch.images.length} image(s) in registry/)`);
      output.log(`${version.tag} ${version.digest} → ${shown(version.layout)}`);
    }
  }
  return 0;
}

async function buildReleaseImage(project: release.ReleaseProject, values: ParsedArgs['values']): Promise<number> {
  const settings = registrySettings(values, project);
  const built = await release.buildProject(project, {
    pool: settings.pool,
    scheduler: new CopyScheduler({ concurrency: settings.concurrency, retry: settings.retry }),
    dryRun: Boolean(values['dry-run']),
  });
  console.log(
    `${built.reference} ${built.result.top.manifest.digest} (${built.result.layersBuilt} layers built, ${built.result.layersCached} from cache) → ${shown(built.layout)}${built.pushed ? ', pushed' : ', not pushed (--dry-run)'}`,
  );
  if (built.signed)
    console.log(`signed ${built.signed.image}: sbom and signature attached (${built.signed.signature.path})`);
  return 0;
}

async function buildContainerImage(project: containerImage.ContainerProject): Promise<number> {
  const result = await containerImage.buildProject(project, { log: (line) => console.error(line) });
  for (const image of result.images)
    console.log(
      `built ${image.tags.join(', ')} ${image.digest} (${image.platforms.map((p) => `${p.arch} ${p.digest}`).join('; ')})`,
    );
  console.log(`wrote ${result.layout}`);
  return 0;
}

/** `dockyard build PROJECT`: each kind that builds something, its result printed its own way. */
async function buildProject(given: OpenedProject, values: ParsedArgs['values'], output: Output): Promise<number> {
  const project = withVersions(given, values);
  if (isKind(project, 'AppImage')) return buildAppImage(project, values, output);
  if (isKind(project, 'Release')) return buildReleaseImage(project, values);
  if (isKind(project, 'CloudImage')) return buildCloudImage(project);
  return buildContainerImage(project as containerImage.ContainerProject);
}

async function buildContext(contextDir: string, values: ParsedArgs['values']): Promise<number> {
  const dockerfile = values.file ? resolve(values.file as string) : defaultDockerfile(contextDir);
  const platforms = platformsOf(values);
  const settings = registrySettings(values);
  const context = locationContext(settings.pool);
  const store = ContentStore.default();
  const result = await buildImages({
    dockerfile,
    contextDir,
    platforms,
    buildArgs: buildArgsOf(values),
    target: values.target as string | undefined,
    store,
    openImage: baseImageOpener(context),
    download: urlDownloader(store),
  });
  for (const name of result.unusedBuildArgs) console.error(`warning: --build-arg ${name} is not declared by any ARG`);
  for (const { platform, image } of result.images) console.log(`${platformString(platform)} ${image.manifest.digest}`);
  console.log(
    `built ${result.top.manifest.digest} (${result.layersBuilt} layers built, ${result.layersCached} from cache; epoch ${result.epoch})`,
  );
  const locations = (values.tag as string[] | undefined) ?? [];
  if (locations.length) {
    const scheduler = new CopyScheduler({ concurrency: settings.concurrency, retry: settings.retry });
    for (const written of await writeBuild(scheduler, context, result.top, locations))
      console.log(`wrote ${written.location} ${written.digest}`);
  }
  return 0;
}

export const buildCommand: Command = {
  name: 'build',
  usage,
  options: {
    ...registryOptions(),
    file: { type: 'string', short: 'f' },
    'build-arg': { type: 'string', multiple: true },
    target: { type: 'string' },
    tag: { type: 'string', short: 't', multiple: true },
    'list-images': { type: 'boolean' },
    ...versionsOption,
    push: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  project: true,
  async run(args, output) {
    const { values } = args;
    // With -f the positional is always the context, so a folder that holds a project.yaml can still be built as one.
    const { project, rest } =
      values.file === undefined
        ? projectAmong(args)
        : { project: values.project as string | undefined, rest: args.positionals };
    if (project !== undefined) {
      if (rest.length) throw new UsageError(`give either CONTEXT or PROJECT, not both (${project} names a project)`);
      return buildProject(
        await projectArg(project, ['AppImage', 'Release', 'ContainerImage', 'CloudImage']),
        values,
        output,
      );
    }
    if (rest.length > 1) throw new UsageError(`expected one CONTEXT, got ${rest.length}`);
    return buildContext(resolve(rest[0] ?? '.'), values);
  },
};
