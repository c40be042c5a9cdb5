import { DockyardError, hasCode } from '@dockyard/errors';

// What the CLI tells a user to do about a failure. Engines and kinds state facts; the commands to run (the Nx
// target or the dockyard verb) are the CLI's words, so they are written here and nowhere below. Errors are told
// apart by code, so that main.ts loads no engine to word one.

/** Engine errors that mean the command line named the wrong thing: exit 2, like a bad flag. */
const USAGE_CODES = ['PROJECT_NOT_FOUND', 'PROJECT_KIND'];

export function isUsageMistake(err: unknown): boolean {
  return USAGE_CODES.some((code) => hasCode(err, code));
}

/** How to run a project's step: its Nx target, or the verb on its name. */
export const runStep = (project: string, step: string) => `nx run ${project}:${step}, or dockyard ${step} ${project}`;

/** Where the engine was looked for comes from DOCKER_HOST, so that is what the user is told to check or set. */
function engineAdvice(verb: string, err: Error): string {
  const where = process.env.DOCKER_HOST
    ? `DOCKER_HOST=${process.env.DOCKER_HOST}`
    : 'DOCKER_HOST is not set, so the local socket was tried';
  const why = verb === 'build' ? 'a Dockerfile with RUN is built in it' : `${verb} runs the images in it`;
  return `${err.message}; ${where}: start dockerd, or point DOCKER_HOST at a Docker engine that runs (${why})`;
}

/** The failure as the user reads it after `dockyard VERB: `, with what to do. */
export function describeFailure(verb: string, err: unknown): string {
  if (!(err instanceof DockyardError)) return withHint(err);
  const { project, step } = err as DockyardError & { project?: string; step?: string };
  switch (err.code) {
    case 'OUTPUT_MISSING':
      return `${err.message}: run ${project}'s ${step} first (${runStep(project!, step!)})`;
    case 'BUNDLE_NOT_STORED':
      return `${err.message}; make the bundle again without the cache (nx run ${project}:bundle --skip-nx-cache, or dockyard bundle ${project})`;
    case 'LAYOUT_NOT_STORED':
      return project
        ? `${err.message}; build ${project} again without the cache (nx run ${project}:build --skip-nx-cache, or dockyard build ${project})`
        : withHint(err);
    case 'ENGINE_UNREACHABLE':
      return engineAdvice(verb, err);
    case 'CREDENTIALS_MISSING':
      return `${err.message}\nnothing was ${verb === 'publish' ? 'uploaded' : 'sent'}; set what is missing above and run again`;
    default:
      return withHint(err);
  }
}

/** The message, and the engine's hint after it when it gives one. */
function withHint(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const hint = (err as { hint?: unknown } | null)?.hint;
  return typeof hint === 'string' && hint ? `${message} (${hint})` : message;
}
