import { ENGINE_INPUTS, type TargetInference } from './shared';

/** The commit the base ref points at, so a moved ref re-validates plugins; empty when no base is set. */
const BASE_COMMIT = '[ -z "$DOCKYARD_BASE_REF" ] || git rev-parse --verify --quiet "$DOCKYARD_BASE_REF^{commit}" || true';

/**
 * `validate` exists for every project, broken ones included: it is where a broken file's exact
 * file:line:col errors surface. Workspace rules (unique names, plugin slot/port clashes) read every
 * project.yaml, so all of them are inputs; the version-bump rule reads the base ref named by the env.
 */
export const validateTarget: TargetInference = (project) => ({
  executor: './tools/nx-plugin:validate',
  options: { file: `${project.root}/project.yaml` },
  cache: true,
  inputs: [
    '{projectRoot}/**/*',
    '{workspaceRoot}/**/project.yaml',
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
