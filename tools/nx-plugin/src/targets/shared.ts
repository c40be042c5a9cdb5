import type { TargetConfiguration } from '@nx/devkit';
import type { Kind } from '../../../../libs/spec/src';

/** What target inference knows of one project.yaml: its spec when valid, only name and kind when broken. */
export interface ProjectFacts {
  name: string;
  root: string;
  kind?: Kind;
  /** Parsed and valid spec; absent when the file has problems (only `validate` is inferred then). */
  spec?: import('../../../../libs/spec/src').ProjectSpec;
}

/** Targets run the CLI, so Nx and a person at a shell take the same path through the engines. */
export const CLI = 'node tools/cli/bin/dockyard.cjs';

/** Inputs every target shares: the project's own files and the code that interprets them. */
export const engineInputs = (...libs: string[]) => [
  '{workspaceRoot}/tools/cli/**/*.ts',
  '{workspaceRoot}/libs/spec/**/*',
  ...libs.map((lib) => `{workspaceRoot}/libs/${lib}/**/*`),
  { externalDependencies: ['yaml', 'ajv', 'ajv-formats', 'fastest-levenshtein', 'execa', 'semver'] },
];

export type TargetInference = (project: ProjectFacts) => TargetConfiguration | undefined;
