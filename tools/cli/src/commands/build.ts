import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
// The builder's own modules, not libs/builder's index: a plain build should not load the AppImage engine (discovery).
import { baseImageOpener, buildImages, hostPlatform, urlDownloader, writeBuild } from '@dockyard/builder';
import {
  ContentStore,
  CopyScheduler,
  locationContext,
  parsePlatform,
  platformString,
  type Platform,
} from '@dockyard/oci';
import { UsageError, withoutOptionHelp, type Command, type ParsedArgs } from '../command';
import { projectAmong, projectFile } from '../project-arg';
import { registryOptions, registryOptionsHelp, registrySettings } from './copy.ts';

const usage = `Usage: dockyard build [CONTEXT] [-f FILE] [--platform OS/ARCH[,OS/ARCH...]] [--build-arg K=V]... [-t LOCATION]...
       dockyard build PROJECT [--list-images | --push [--dry-run] | --dry-run]

Builds a COPY/ADD-only Dockerfile or Kubefile without a container engine: reproducible to the byte
(sorted entries, PAX headers, uid/gid 0, mtime = SOURCE_DATE_EPOCH or the context's last commit
time, gzip by a fixed rule: stored blocks for already-compressed files, else level 6), layers
cached in the content store ($DOCKYARD_STORE or ~/.cache/dockyard/store) so a rebuild redoes
only the layers whose files changed. Several
platforms give one image each and an index over them. A RUN is refused at its line.

  CONTEXT               the build context folder (default: .); a folder holding a project.yaml is a
                        PROJECT unless -f is given
  -f, --file FILE       the Dockerfile or Kubefile (default: CONTEXT/Kubefile, else CONTEXT/Dockerfile)
  --platform P[,P...]   platforms to build, e.g. linux/amd64,linux/arm64 (default: this machine's)
  --build-arg K=V       value of an ARG (repeatable); TARGETARCH and friends are set per platform
  --target STAGE        build this stage instead of the last
  -t, --tag LOCATION    where to write the result (repeatable): docker://HOST/REPO:TAG,
                        oci:DIR[:REF], docker-archive:FILE[:REF] (one platform), registry-dir:DIR:REPO:TAG
  PROJECT               build a project instead (its project.yaml or its folder; --project PROJECT is
                        the same, and also takes its name): an AppImage (every version and arch into
                        dist/<name>/<version>/, an OCI layout with build.json), a Release's image (its
                        build: section) or a ContainerImage
  --list-images         with an AppImage: run init.sh and list each arch's images in
                        dist/<name>/images/<version>/<arch>/images.list, build nothing
  --push                with an AppImage: push what dist/ holds to repository and publish.registries
  --dry-run             with --push: print what would be pushed; with a Release: build, push nothing

Registry options (for FROM images and -t docker:// targets):
${withoutOptionHelp(registryOptionsHelp, 'platform')}

Example:
  dockyard build releases/apps/nginx/latest --platform linux/amd64,linux/arm64 -t oci:dist/nginx:1.25.3`;

function platformsOf(values: ParsedArgs['values']): Platform[] {
  const given = ((values.platform as string[] | undefined) ?? [])
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter(Boolean);
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
    if (eq <= 0) {
      // Docker's `--build-arg NAME` takes the value from the environment.
      if (process.env[pair] === undefined)
        throw new UsageError(`--build-arg ${pair}: write NAME=VALUE, or set ${pair} in the environment`);
      args[pair] = process.env[pair]!;
    } else args[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return args;
}

function defaultDockerfile(context: string): string {
  const kubefile = resolve(context, 'Kubefile');
  return existsSync(kubefile) ? kubefile : resolve(context, 'Dockerfile');
}

export const buildCommand: Command = {
  name: 'build',
  usage,
  options: {
    ...registryOptions,
    file: { type: 'string', short: 'f' },
    'build-arg': { type: 'string', multiple: true },
    target: { type: 'string' },
    tag: { type: 'string', short: 't', multiple: true },
    'list-images': { type: 'boolean' },
    push: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  project: true,
  async run(args) {
    const { values } = args;
    // With -f the positional is always the context, so a folder that holds a project.yaml can still be built as one.
    const { project, rest } =
      values.file === undefined
        ? projectAmong(args)
        : { project: values.project as string | undefined, rest: args.positionals };
    if (project !== undefined) {
      if (rest.length) throw new UsageError(`give either CONTEXT or PROJECT, not both (${project} names a project)`);
      return (await import('./build-project.ts')).buildProject(await projectFile(project), values);
    }
    if (rest.length > 1) throw new UsageError(`expected one CONTEXT, got ${rest.length}`);
    const contextDir = resolve(rest[0] ?? '.');
    const dockerfile = values.file ? resolve(values.file as string) : defaultDockerfile(contextDir);
    const platforms = platformsOf(values);
    const settings = registrySettings(values);
    const context = locationContext(settings.pool);
    const store = ContentStore.default();
    try {
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
      for (const name of result.unusedBuildArgs)
        console.error(`warning: --build-arg ${name} is not declared by any ARG`);
      for (const { platform, image } of result.images)
        console.log(`${platformString(platform)} ${image.manifest.digest}`);
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
    } catch (err) {
      console.error(`dockyard build: ${(err as Error).message}`);
      return 1;
    }
  },
};
