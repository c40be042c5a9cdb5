/**
 * The one error shape engines raise. `message` states the fact ("registry.example:5000 refused the push
 * of app:1.0: 401 Unauthorized"); `code` is stable and machine-readable, for callers that branch on it and
 * for front-ends that look up their own advice; `hint` is the engine's neutral "what to do" (never a CLI
 * flag: the CLI and the Nx executor word those); `cause` keeps the error it wraps, type and all.
 * Subclass it only where a caller branches on the type; otherwise pass a `code`.
 */
export interface DockyardErrorOptions {
  code: string;
  hint?: string;
  cause?: unknown;
}

export class DockyardError extends Error {
  readonly code: string;
  readonly hint?: string;

  constructor(message: string, options: DockyardErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** True when `err`, or an error it wraps, is a DockyardError with this code. */
export function hasCode(err: unknown, code: string): boolean {
  return errorChain(err).some((e) => e instanceof DockyardError && e.code === code);
}

/** `err` and the causes it wraps, outermost first; stops at a cycle or after 16 links. */
export function errorChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && chain.length < 16 && !chain.includes(e);) {
    chain.push(e);
    e = e instanceof Error ? e.cause : undefined;
  }
  return chain;
}

/**
 * The code Node or a library put on `err` (ENOENT, ECONNRESET, Z_DATA_ERROR, TAR_BAD_ARCHIVE), never a
 * DockyardError's own: code that branches on system failures must not mistake a wrapped one for them.
 */
export function systemErrorCode(err: unknown): string | undefined {
  if (err instanceof DockyardError || !(err instanceof Error)) return undefined;
  const code = (err as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : undefined;
}
