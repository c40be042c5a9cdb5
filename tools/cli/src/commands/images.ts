import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  discoverImages,
  formatImagesList,
  toJson,
  writeImagesOutput,
  type DiscoverOptions,
  type DiscoveryProblem,
  type DiscoveryResult,
  type Finding,
} from '@dockyard/discover';
import { UsageError, type Command } from '../command';
import { projectAmong, projectFile } from '../project-arg';
import { releaseProjectOrReport } from '../release-project-arg';

const usage = `Usage: dockyard images PATH... [--json] [--strip-registry] [--exclude-optional] [--include-tests] [--out DIR]
       dockyard images PROJECT [--out DIR]

Finds every image that Helm charts (folders and .tgz, subcharts included), Kubernetes
manifests, sealos shim lists (images/shim/) and Dockerfile/Kubefile FROM lines will run,
statically; .sealignore lines are removed. References are normalised like Docker
(nginx -> docker.io/library/nginx:latest), tag and digest both kept.

Optional images (metrics exporters, volume-permission shells, disabled subcharts: whatever a
setting switches on) are listed by default, marked "optional": true in images.json with the
settings that enable them. helm test pods are marked "test": true in images.json and left out
of images.list. An image whose reference cannot be known statically is a warning naming
file:line and the values key, never a guess.

  PATH                charts, manifests or folders to scan (each must exist; a folder holding a
                      project.yaml is a PROJECT)
  --json              print a JSON array of {ref, registry, repository, tag, digest, optional,
                      enabledBy, test, sources}
  --strip-registry    list lines without the registry host (images_platform.list format)
  --exclude-optional  leave out images the default values do not switch on
  --include-tests     also list helm test pods' images in images.list
  --out DIR           write DIR/images.list and DIR/images.json instead of printing
  PROJECT             a Release's project.yaml or its folder (--project PROJECT is the same, and also
                      takes its name): scan its collect output with its images: settings (optional:
                      include|exclude, tests: include|exclude); writes
                      <workspace>/dist/<project>/images/ unless --out is given`;

export const imagesCommand: Command = {
  name: 'images',
  usage,
  options: {
    json: { type: 'boolean' },
    'strip-registry': { type: 'boolean' },
    'exclude-optional': { type: 'boolean' },
    'include-tests': { type: 'boolean' },
    out: { type: 'string' },
  },
  project: true,
  async run(args) {
    const { values } = args;
    const { project, rest: paths } = projectAmong(args);
    if (project !== undefined) {
      if (paths.length > 0)
        throw new UsageError(`give either PATHs or a PROJECT, not both (${project} names a project)`);
      return projectImages(await projectFile(project), values.out as string | undefined);
    }
    if (paths.length === 0) throw new UsageError('name at least one chart, manifest or folder, or a PROJECT');
    const result = await discoverImages(
      paths.map((p) => resolve(p)),
      { optional: values['exclude-optional'] ? 'exclude' : 'include' },
    );
    if (!reportProblems(result)) return 1;
    const { images } = result;
    const output = { stripRegistry: Boolean(values['strip-registry']), includeTests: Boolean(values['include-tests']) };
    if (values.out !== undefined) {
      await writeImagesOutput(resolve(values.out as string), images, output);
      console.log(
        `${images.length} image${images.length === 1 ? '' : 's'} written to ${values.out as string}/images.list and images.json`,
      );
    } else if (values.json) {
      console.log(JSON.stringify(images.map(toJson), null, 2));
    } else {
      process.stdout.write(formatImagesList(images, output));
    }
    return 0;
  },
};

/** Prints warnings; false (after saying which) when an input does not exist, since the list would be incomplete. */
function reportProblems(result: DiscoveryResult): boolean {
  for (const problem of result.problems) console.error(`warning: ${where(problem)}: ${problem.message}`);
  for (const path of result.missing)
    console.error(`dockyard images: ${relative(process.cwd(), path) || path}: no such file or folder; check the path`);
  return result.missing.length === 0;
}

function where(problem: DiscoveryProblem): string {
  return problem.line ? `${problem.file}:${problem.line}` : problem.file;
}

export async function projectImages(path: string, out: string | undefined): Promise<number> {
  const project = await releaseProjectOrReport(path);
  if (!project) return 1;
  const dist = join(project.workspaceRoot, 'dist', project.spec.name);
  const collected = join(dist, 'collect');
  const settings = project.spec.images ?? {};
  const extra: Finding[] = (settings.extra ?? []).map((text, i) => ({
    text,
    source: { file: project.file, keyPath: `images.extra[${i}]` },
  }));
  const options: DiscoverOptions = {
    relativeTo: collected,
    optional: settings.optional ?? 'include',
    extra,
    exclude: settings.exclude,
  };
  if (!existsSync(collected)) {
    console.error(`${relative(process.cwd(), collected)} does not exist; run \`dockyard collect ${path}\` first`);
    return 1;
  }
  const result = await discoverImages([collected], options);
  if (!reportProblems(result)) return 1;
  const outDir = resolve(out ?? join(dist, 'images'));
  await writeImagesOutput(outDir, result.images, {
    stripRegistry: settings.stripRegistry,
    includeTests: settings.tests === 'include',
  });
  console.log(
    `${result.images.length} image${result.images.length === 1 ? '' : 's'} written to ${relative(process.cwd(), outDir) || outDir}/images.list and images.json`,
  );
  return 0;
}
