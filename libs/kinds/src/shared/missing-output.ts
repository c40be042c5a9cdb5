import { relative } from 'node:path';
import { DockyardError } from '@dockyard/errors';

/** The step of a project whose output another step reads (its Nx target and its CLI verb have this name). */
export type Step = 'collect' | 'images' | 'build' | 'bundle' | 'sync';

/**
 * An output a step needs is not there: the project's `step` has not run (or not since a clean). Front-ends branch on
 * it to say how to run that step; the message states only which file is missing.
 */
export class MissingOutputError extends DockyardError {
  constructor(
    readonly path: string,
    readonly project: string,
    readonly step: Step,
    what = 'is missing',
  ) {
    super(`${relative(process.cwd(), path) || path} ${what}`, {
      code: 'OUTPUT_MISSING',
      hint: `${step} ${project} first`,
    });
  }
}
