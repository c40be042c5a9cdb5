import { resolve } from 'node:path';
import { discoverImages, formatImagesList, toJson, writeImagesOutput, type DiscoveryResult } from '@dockyard/discover';
import { listProjectImages } from '@dockyard/kinds/release';
import { UsageError, type Command } from '../command';
import { optionList } from '../help';
import type { Output } from '../output';
import { projectAmong, projectArg } from '../project-arg';
import { plural, shown } from '../words';

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

${optionList([
  ['PATH', 'charts, manifests or folders to scan (each must exist; a folder holding a project.yaml is a PROJECT)'],
  ['--json', 'print a JSON array of {ref, registry, repository, tag, digest, optional, enabledBy, test, sources}'],
  ['--strip-registry', 'list lines without the registry host (images_platform.list format)'],
  ['--exclude-optional', 'leave out images the default values do not switch on'],
  ['--include-tests', "also list helm test pods' images in images.list"],
  ['--out DIR', 'write DIR/images.list and DIR/images.json instead of printing'],
  [
    'PROJECT',
    'a Release: its project.yaml, its folder or its name (--project PROJECT is the same): scan its collect output with its images: settings (optional: include|exclude, tests: include|exclude); writes <workspace>/dist/<project>/images/ unless --out is given',
  ],
])}`;

/** Prints warnings; false (after saying which) when an input does not exist, since the list would be incomplete. */
function reportProblems(result: DiscoveryResult, output: Output): boolean {
  for (const problem of result.problems)
    output.error(`warning: ${problem.line ? `${problem.file}:${problem.line}` : problem.file}: ${problem.message}`);
  for (const path of result.missing)
    output.error(`dockyard images: ${shown(path)}: no such file or folder; check the path`);
  return result.missing.length === 0;
}

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
  async run(args, output) {
    const { values } = args;
    const out = values.out as string | undefined;
    const { project: given, rest: paths } = projectAmong(args);
    if (given !== undefined) {
      if (paths.length > 0) throw new UsageError(`give either PATHs or a PROJECT, not both (${given} names a project)`);
      const listed = await listProjectImages(await projectArg(given, ['Release']), { outDir: out && resolve(out) });
      if (!reportProblems(listed, output)) return 1;
      output.log(
        `${plural(listed.images.length, 'image')} written to ${shown(listed.outDir!)}/images.list and images.json`,
      );
      return 0;
    }
    if (paths.length === 0) throw new UsageError('name at least one chart, manifest or folder, or a PROJECT');
    const result = await discoverImages(
      paths.map((p) => resolve(p)),
      { optional: values['exclude-optional'] ? 'exclude' : 'include' },
    );
    if (!reportProblems(result, output)) return 1;
    const format = { stripRegistry: Boolean(values['strip-registry']), includeTests: Boolean(values['include-tests']) };
    if (out !== undefined) {
      await writeImagesOutput(resolve(out), result.images, format);
      output.log(`${plural(result.images.length, 'image')} written to ${out}/images.list and images.json`);
    } else if (values.json) output.log(JSON.stringify(result.images.map(toJson), null, 2));
    else {
      const list = formatImagesList(result.images, format);
      if (list) output.log(list.replace(/\n$/, ''));
    }
    return 0;
  },
};
