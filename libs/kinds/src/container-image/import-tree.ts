import { access, readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { parse, stringify } from 'yaml';
import { writeFileAtomic } from '@dockyard/files';
import { formatIssue, parseProject, SCHEMA_DIR, SCHEMA_FILE } from '@dockyard/project-spec';
import { metaForDockerfiles } from '@dockyard/container';

export interface ImportOptions {
  /** Registry host the generated projects publish to. */
  registry: string;
  /** Repository namespace: an image `redis` goes to `<namespace>/redis`. */
  namespace: string;
}

export interface ImportedImage {
  name: string;
  /** The project.yaml written, or the one already there. */
  project: string;
  status: 'written' | 'exists';
  /** Whether meta.yml was generated from the `<app-ver>/<os-ver>/Dockerfile` folders. */
  metaGenerated: boolean;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** `image-list.yml`: `images: {name: folder}` (or the mapping itself), folders relative to the category folder. */
function imageList(text: string, file: string): Record<string, string> {
  const data = parse(text) as { images?: Record<string, string> } | Record<string, string> | null;
  const list = (data && 'images' in data ? data.images : data) as Record<string, string> | null | undefined;
  if (!list || typeof list !== 'object') throw new Error(`${file}: expected images: {<image name>: <folder>}`);
  return list;
}

async function dockerfilesIn(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const app of await readdir(root, { withFileTypes: true })) {
    if (!app.isDirectory()) continue;
    for (const os of await readdir(join(root, app.name), { withFileTypes: true })) {
      const file = join(root, app.name, os.name, 'Dockerfile');
      if (os.isDirectory() && (await exists(file))) found.push(file);
    }
  }
  return found.sort();
}

/**
 * Turns an openeuler-docker-images style tree (category folders with `image-list.yml`, image folders with
 * `meta.yml` or `<app-version>/<os-version>/Dockerfile` folders) into one ContainerImage project.yaml per image,
 * written beside its meta.yml (generated when missing, with the default `<version>-oe<os>` tags). Existing
 * project.yaml files are left alone; each written one is checked against the schema first.
 */
export async function importImageTree(
  tree: string,
  workspaceRoot: string,
  options: ImportOptions,
): Promise<ImportedImage[]> {
  const imported: ImportedImage[] = [];
  for (const category of (await readdir(tree, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const listFile = join(tree, category.name, 'image-list.yml');
    if (!(await exists(listFile))) continue;
    for (const [image, folder] of Object.entries(imageList(await readFile(listFile, 'utf8'), listFile))) {
      const dir = join(tree, category.name, folder);
      const name = image.toLowerCase();
      const project = join(dir, 'project.yaml');
      const metaFile = join(dir, 'meta.yml');
      const metaGenerated = !(await exists(metaFile));
      if (await exists(project)) {
        imported.push({ name, project, status: 'exists', metaGenerated: false });
        continue;
      }
      if (metaGenerated) {
        const meta = metaForDockerfiles(dir, await dockerfilesIn(dir));
        if (!Object.keys(meta).length)
          throw new Error(
            `${dir}: no meta.yml and no <app-version>/<os-version>/Dockerfile folders (image ${image} of ${listFile})`,
          );
        await writeFileAtomic(metaFile, stringify(meta));
      }
      const spec = {
        kind: 'ContainerImage',
        name,
        arches: ['amd64', 'arm64'],
        app: { meta: 'meta.yml' },
        registries: [{ registry: options.registry, repository: `${options.namespace}/${name}` }],
      };
      const schema = relative(dirname(project), join(SCHEMA_DIR, SCHEMA_FILE.ContainerImage));
      const text = `# yaml-language-server: $schema=${schema}\n# Imported from ${relative(workspaceRoot, listFile)}.\n${stringify(spec)}`;
      const checked = parseProject(text, relative(workspaceRoot, project));
      if (!checked.spec) throw new Error(checked.issues.map(formatIssue).join('\n'));
      await writeFileAtomic(project, text);
      imported.push({ name, project, status: 'written', metaGenerated });
    }
  }
  return imported;
}
