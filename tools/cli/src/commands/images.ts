import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { discoverImages, formatImagesList, toJson, writeImagesOutput, type DiscoverOptions, type Finding } from '../../../../libs/discover/src';
import { UsageError, type Command } from '../command';
import { releaseProjectOrReport } from '../release-project-arg';

const usage = `Usage: dockyard images PATH... [--json] [--strip-registry] [--include-disabled] [--out DIR]
       dockyard images --project PROJECT [--out DIR]

Finds every image that Helm charts (folders and .tgz, subcharts included), Kubernetes
manifests, sealos shim lists (images/shim/) and Dockerfile/Kubefile FROM lines will run,
statically; .sealignore lines are removed. References are normalised like Docker
(nginx -> docker.io/library/nginx:latest), tag and digest both kept.

  PATH                charts, manifests or folders to scan
  --json              print a JSON array of {ref, registry, repository, tag, digest, sources}
  --strip-registry    list lines without the registry host (images_platform.list format)
  --include-disabled  also list images under "enabled: false" and disabled subcharts
  --out DIR           write DIR/images.list and DIR/images.json instead of printing
  --project PROJECT   scan a Release's collect output with its images: settings; writes
                      <workspace>/dist/<project>/images/ unless --out is given`;

export const imagesCommand: Command = {
  name: 'images',
  usage,
  options: {
    json: { type: 'boolean' },
    'strip-registry': { type: 'boolean' },
    'include-disabled': { type: 'boolean' },
    out: { type: 'string' },
    project: { type: 'string' },
  },
  async run({ values, positionals }) {
    const includeDisabled = Boolean(values['include-disabled']);
    if (values.project !== undefined) {
      if (positionals.length > 0) throw new UsageError(`give either PATHs or --project, not both\n\n${usage}`);
      return projectImages(values.project as string, values.out as string | undefined, includeDisabled);
    }
    if (positionals.length === 0) throw new UsageError(`name at least one chart, manifest or folder\n\n${usage}`);
    const { images, problems } = await discoverImages(positionals.map((p) => resolve(p)), { includeDisabled });
    for (const problem of problems) console.error(`warning: ${problem.file}: ${problem.message}`);
    const stripRegistry = Boolean(values['strip-registry']);
    if (values.out !== undefined) {
      await writeImagesOutput(resolve(values.out as string), images, { stripRegistry });
      console.log(`${images.length} image${images.length === 1 ? '' : 's'} written to ${values.out as string}/images.list and images.json`);
    } else if (values.json) {
      console.log(JSON.stringify(images.map(toJson), null, 2));
    } else {
      process.stdout.write(formatImagesList(images, { stripRegistry }));
    }
    return 0;
  },
};

async function projectImages(path: string, out: string | undefined, includeDisabled: boolean): Promise<number> {
  const project = await releaseProjectOrReport(path);
  if (!project) return 1;
  const dist = join(project.workspaceRoot, 'dist', project.spec.name);
  const collected = join(dist, 'collect');
  const settings = project.spec.images ?? {};
  const extra: Finding[] = (settings.extra ?? []).map((text, i) => ({ text, source: { file: project.file, keyPath: `images.extra[${i}]` } }));
  const options: DiscoverOptions = { relativeTo: collected, includeDisabled, extra, exclude: settings.exclude };
  if (!existsSync(collected)) {
    console.error(`${relative(process.cwd(), collected)} does not exist; run \`dockyard collect ${path}\` first`);
    return 1;
  }
  const { images, problems } = await discoverImages([collected], options);
  for (const problem of problems) console.error(`warning: ${problem.file}: ${problem.message}`);
  const outDir = resolve(out ?? join(dist, 'images'));
  await writeImagesOutput(outDir, images, { stripRegistry: settings.stripRegistry });
  console.log(`${images.length} image${images.length === 1 ? '' : 's'} written to ${relative(process.cwd(), outDir) || outDir}/images.list and images.json`);
  return 0;
}
