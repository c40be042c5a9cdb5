import type { Tree } from '@nx/devkit';
import { envPrefix } from '../shared/credential-env';
import { listOption } from '../shared/list-option';
import { writeProjectFile } from '../shared/project-file';
import { newProjectRoot } from '../shared/project-location';
import { readWorkspaceProjects } from '../shared/workspace-projects';

export interface CloudImageGeneratorOptions {
  name: string;
  directory?: string;
  versions: string | string[];
  arches?: string | string[];
  sourceRepo?: string;
  rpms?: string | string[];
  uploadUrl?: string;
}

/** EulerPublisher's default extra rpm list for cloud images. */
const DEFAULT_RPMS = ['gdisk', 'wget', 'tar', 'hostname', 'unzip', 'make'];

/**
 * An openEuler cloud VM image: the qcow2 per version and arch, the rpm list installed, and (with
 * --uploadUrl) a generic object-store target whose keys come from environment variables named after the bucket.
 */
export default async function cloudImageGenerator(tree: Tree, options: CloudImageGeneratorOptions): Promise<void> {
  const projects = readWorkspaceProjects(tree);
  const root = newProjectRoot(tree, options, 'releases/cloud', projects);
  const bucket = options.uploadUrl ? /^[a-z0-9]+:\/\/([^/]+)/.exec(options.uploadUrl)?.[1] : undefined;
  const prefix = bucket ? envPrefix(bucket) : 'S3';
  writeProjectFile(
    tree,
    root,
    'CloudImage',
    {
      name: options.name,
      versions: listOption(options.versions),
      arches: listOption(options.arches, ['amd64', 'arm64']),
      source: { repo: options.sourceRepo ?? 'https://repo.openeuler.org' },
      rpms: listOption(options.rpms, DEFAULT_RPMS),
      ...(options.uploadUrl
        ? {
            targets: [
              {
                type: 'generic',
                upload: {
                  url: options.uploadUrl,
                  credentials: {
                    accessKeyIdEnv: `${prefix}_ACCESS_KEY_ID`,
                    secretAccessKeyEnv: `${prefix}_SECRET_ACCESS_KEY`,
                  },
                },
              },
            ],
          }
        : {}),
    },
    options.uploadUrl ? undefined : 'Add targets: (generic object storage or aws) to publish the image.',
  );
}
