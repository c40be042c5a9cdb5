import { dirname, join, relative, resolve } from 'node:path';
import {
  buildAppImage,
  listAppImages,
  publishAppImage,
  publishPlan,
  type AppImageRequest,
  type ImagePin,
} from '@dockyard/builder/projects';
import { ContentStore, CopyScheduler, locationContext, parseReference, type CredentialsSpec } from '@dockyard/oci';
import {
  findWorkspaceRoot,
  formatIssue,
  loadProjectFile,
  type AppImage,
  type Kind,
  type LoadedProject,
  type RegistryCredentials,
} from '@dockyard/project-spec';
import { writeFileAtomic } from '@dockyard/files';
import type { ParsedArgs } from '../command';
import { registrySettings } from './copy.ts';
import { buildReleaseImageCommand } from './build-release.ts';
import { containerBuildCommand } from './container-build.ts';

type ProjectBuilder = (
  project: LoadedProject & { spec: NonNullable<LoadedProject['spec']> },
  workspaceRoot: string,
  values: ParsedArgs['values'],
) => Promise<number>;

/** `dockyard build PROJECT`, one builder per kind; a kind without one is named as not buildable by this verb. */
const projectBuilders: Partial<Record<Kind, ProjectBuilder>> = {
  AppImage: (project, root, values) => appImage(project.spec as AppImage, project.file, project.dir, root, values),
  Release: (project, root, values) => buildReleaseImageCommand(project, root, values),
  ContainerImage: (project, _root, values) => containerBuildCommand(project.file, values),
};

/** Builds the project whose project.yaml is `file`. */
export async function buildProject(file: string, values: ParsedArgs['values']): Promise<number> {
  const loaded = await loadProjectFile(resolve(file), relative(process.cwd(), resolve(file)) || file);
  if (!loaded.spec) {
    for (const issue of loaded.issues) console.error(formatIssue(issue));
    return 1;
  }
  const builder = projectBuilders[loaded.spec.kind];
  if (!builder) {
    console.error(
      `${loaded.file}: dockyard build PROJECT builds ${Object.keys(projectBuilders).join(', ')} projects; ${loaded.name} is a ${loaded.spec.kind}`,
    );
    return 1;
  }
  return builder(
    loaded as LoadedProject & { spec: NonNullable<LoadedProject['spec']> },
    findWorkspaceRoot(dirname(resolve(file))),
    values,
  );
}

function hostOf(repository: string): string {
  return parseReference(`${repository}:x`).registry;
}

/** Credentials and insecure hosts an AppImage names for its repository and extra registries. */
function pushSettings(spec: AppImage): { credentials: Record<string, CredentialsSpec>; insecure: string[] } {
  const credentials: Record<string, CredentialsSpec> = {};
  const insecure: string[] = [];
  const add = (repository: string, creds: RegistryCredentials | undefined, isInsecure: boolean | undefined) => {
    if (creds) credentials[hostOf(repository)] = creds;
    if (isInsecure) insecure.push(hostOf(repository));
  };
  add(spec.repository, spec.credentials, spec.insecure);
  for (const r of spec.publish?.registries ?? []) add(r.repository, r.credentials, r.insecure);
  return { credentials, insecure };
}

/** What the AppImage engine needs for `spec`, its registries reached with the credentials project.yaml names. */
export function appImageRequest(
  spec: AppImage,
  projectDir: string,
  workspaceRoot: string,
  values: ParsedArgs['values'],
): AppImageRequest {
  const settings = registrySettings(values, { ...pushSettings(spec), baseDir: projectDir });
  return {
    spec,
    projectDir,
    distDir: join(workspaceRoot, 'dist', spec.name),
    store: ContentStore.default(),
    context: locationContext(settings.pool),
    scheduler: new CopyScheduler({ concurrency: settings.concurrency, retry: settings.retry }),
    initTimeoutMs: spec.initTimeoutSeconds ? spec.initTimeoutSeconds * 1000 : undefined,
    log: (line) => console.error(line),
  };
}

/** The lock's digest for each image an AppImage carries: a build ships exactly what `resolve` pinned. */
async function lockedImagePin(spec: AppImage, file: string, projectDir: string): Promise<ImagePin> {
  const sources = await import('@dockyard/sources');
  const lock = await sources.readPinnedLock({ name: spec.name, dir: projectDir, file });
  const lockFile = sources.lockFilePath(projectDir);
  return (image, version, arch) =>
    sources.pinnedDigest(lock, sources.namedImage(image.ref, sources.appImageWhere(file, version, arch)), lockFile);
}

async function appImage(
  spec: AppImage,
  file: string,
  projectDir: string,
  workspaceRoot: string,
  values: ParsedArgs['values'],
): Promise<number> {
  const request = appImageRequest(spec, projectDir, workspaceRoot, values);
  const { distDir, context, scheduler } = request;
  const shown = (p: string) => relative(process.cwd(), p) || p;
  try {
    if (values['list-images']) {
      for (const listed of await listAppImages(request)) {
        for (const warning of listed.warnings) console.error(`warning: ${warning}`);
        const out = join(distDir, 'images', listed.version, listed.arch, 'images.list');
        await writeFileAtomic(out, listed.images.map((i) => `${i}\n`).join(''));
        console.log(`${spec.name} ${listed.version} ${listed.arch}: ${listed.images.length} image(s) in ${shown(out)}`);
      }
      return 0;
    }
    if (values.push) {
      const steps = await publishPlan(spec, distDir);
      if (values['dry-run']) {
        for (const step of steps) console.log(`would push ${step.from} → ${step.to}`);
        return 0;
      }
      for (const result of await publishAppImage(steps, scheduler, context))
        console.log(`${result.status} ${result.target} ${result.digest}`);
      return 0;
    }
    for (const version of await buildAppImage(request, await lockedImagePin(spec, file, projectDir))) {
      for (const arch of version.arches)
        console.log(`${arch.tag} ${arch.digest} (${arch.images.length} image(s) in registry/)`);
      console.log(`${version.tag} ${version.digest} → ${shown(version.layout)}`);
    }
    return 0;
  } catch (err) {
    console.error(`dockyard build: ${(err as Error).message}`);
    return 1;
  }
}
