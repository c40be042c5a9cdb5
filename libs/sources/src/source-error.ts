import { DockyardError } from '@dockyard/errors';

/**
 * A problem resolving or collecting one component, as a value a person can act on.
 * `field` points into project.yaml (e.g. ['components', 2, 'git', 'url']) so the CLI can print
 * `project.yaml:LINE:COL`; `file` names another file (a collected file, the lock file) instead.
 */
export interface SourceIssue {
  component?: string;
  field?: (string | number)[];
  file?: string;
  line?: number;
  message: string;
  hint?: string;
}

/** Thrown inside the engine and turned into a SourceIssue at the component boundary. */
export class SourceError extends DockyardError {
  constructor(
    message: string,
    hint?: string,
    readonly field?: (string | number)[],
    cause?: unknown,
  ) {
    super(message, { code: 'SOURCE_FAILED', hint, cause });
  }
}

export function issueFrom(error: unknown, component: string, field?: (string | number)[]): SourceIssue {
  if (error instanceof SourceError)
    return { component, field: error.field ?? field, message: error.message, hint: error.hint };
  return { component, field, message: (error as Error).message ?? String(error) };
}
