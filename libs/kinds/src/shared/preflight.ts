import { DockyardError } from '@dockyard/errors';

/** Credentials a publish needs and cannot have (each problem names its project.yaml field); nothing was sent. */
export class PreflightError extends DockyardError {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'), { code: 'CREDENTIALS_MISSING', hint: 'set what is missing and run again' });
  }
}
