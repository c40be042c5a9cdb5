import { ENGINE_INPUTS, type TargetInference } from './shared';

/** The commit the base ref points at, so a moved ref re-validates plugins; empty when no base is set. */
const BASE_COMMIT =
  '[ -z "$DOCKYARD_BASE_REF" ] || git rev-parse --verify --quiet "$DOCKYARD_BASE_REF^{commit}" || true';

/**
 * `validate` exists for every project, broken ones included: it is where a broken file's exact
 * file:line:col errors surface. Its inputs are what its rules read: the project's own files, the engines, and
 * the base ref of the version-bump rule. The rules that span files (unique names, plugin ports and slots,
 * shipped references) read other projects' project.yaml files: the entry point (index.cjs) adds exactly those,
 * since which they are depends on every file.
 */
export const validateTarget: TargetInference = (project) => ({
  executor: './tools/nx-plugin:validate',
  options: { file: `${project.root}/project.yaml` },
  cache: true,
  inputs: [
    '{projectRoot}/**/*',
    ...ENGINE_INPUTS,
    '{workspaceRoot}/tools/nx-plugin/src/executors/validate/**/*',
    { env: 'DOCKYARD_BASE_REF' },
    ...(project.kind === 'Plugin' ? [{ runtime: BASE_COMMIT }] : []),
  ],
  outputs: [],
  metadata: {
    description: `Check ${project.root}/project.yaml against the ${project.kind ?? 'project'} schema and the workspace rules`,
  },
});
