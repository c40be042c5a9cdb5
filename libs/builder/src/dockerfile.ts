import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { DockyardError } from '@dockyard/errors';

/** A user mistake in a Dockerfile or Kubefile, positioned as `file:line: what is wrong (what to do)`. */
export class DockerfileError extends DockyardError {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
    cause?: unknown,
  ) {
    super(`${file}:${line}: ${message}`, { code: 'DOCKERFILE_INVALID', cause });
  }
}

export interface Heredoc {
  name: string;
  content: string;
  /** `<<"EOF"` or `<<'EOF'`: the body is taken literally, without variable expansion. */
  quoted: boolean;
}

export interface DockerInstruction {
  /** Upper-case keyword: COPY, ENV, ... */
  keyword: string;
  /** 1-based line of the keyword. */
  line: number;
  /** `--name=value` flags before the arguments; a flag given without a value maps to ''. */
  flags: Map<string, string>;
  /** The arguments after the flags, continuation lines joined (the first line only when heredocs follow). */
  args: string;
  /** The exec (JSON array) form, when the arguments are one. */
  json?: string[];
  heredocs: Heredoc[];
  /** The instruction an ONBUILD registers. */
  trigger?: DockerInstruction;
  /** The instruction as written, continuations joined: what the history and the layer cache record. */
  text: string;
}

export interface Stage {
  /** Position among the FROMs, 0-based. */
  index: number;
  /** The `AS name`, lower-cased as Docker compares it. */
  name?: string;
  from: DockerInstruction;
  instructions: DockerInstruction[];
}

export interface ParsedDockerfile {
  file: string;
  escape: string;
  /** ARGs before the first FROM: usable in FROM lines, and inside a stage once re-declared. */
  globalArgs: DockerInstruction[];
  stages: Stage[];
}

function parseJsonForm(args: string): string[] | undefined {
  if (!args.trimStart().startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

function heredocsOf(instruction: Instruction, lines: string[]): Heredoc[] {
  const withHeredocs = instruction as Instruction & { getHeredocs?: () => ReturnType<Instruction['getHeredocs']> };
  if (!withHeredocs.getHeredocs) return [];
  const firstLine = lines[instruction.getRange().start.line] ?? '';
  return withHeredocs.getHeredocs().map((heredoc) => {
    const name = heredoc.getName();
    const range = heredoc.getContentRange();
    const body = range ? lines.slice(range.start.line, range.end.line + 1).join('\n') + '\n' : '';
    const quoted = new RegExp(`<<-?["']${name}["']`).test(firstLine);
    const stripTabs = new RegExp(`<<-["']?${name}`).test(firstLine);
    return { name, quoted, content: stripTabs ? body.replace(/^\t+/gm, '') : body };
  });
}

function flagsOf(instruction: Instruction): Map<string, string> {
  const flags = new Map<string, string>();
  const withFlags = instruction as Instruction & {
    getFlags?: () => { getName(): string; getValue(): string | null }[];
  };
  for (const flag of withFlags.getFlags?.() ?? []) flags.set(flag.getName(), flag.getValue() ?? '');
  return flags;
}

function toInstruction(instruction: Instruction, lines: string[]): DockerInstruction {
  const keyword = instruction.getKeyword().toUpperCase();
  const heredocs = heredocsOf(instruction, lines);
  const joined = instruction.getArgumentsContent() ?? '';
  const args = heredocs.length ? joined.split('\n')[0]! : joined;
  const flags = flagsOf(instruction);
  const flagText = [...flags].map(([name, value]) => (value === '' ? `--${name}` : `--${name}=${value}`)).join(' ');
  const result: DockerInstruction = {
    keyword,
    line: instruction.getRange().start.line + 1,
    flags,
    args,
    json: heredocs.length ? undefined : parseJsonForm(args),
    heredocs,
    text: [keyword, flagText, args].filter(Boolean).join(' '),
  };
  if (keyword === 'ONBUILD') {
    const trigger = (
      instruction as Instruction & { getTriggerInstruction(): Instruction | null }
    ).getTriggerInstruction();
    if (trigger) result.trigger = toInstruction(trigger, lines);
  }
  return result;
}

/** Parses a Dockerfile or Kubefile with dockerfile-ast: parser directives, ARG before FROM, flags, heredocs, JSON forms. */
export function parseDockerfile(file: string, text: string): ParsedDockerfile {
  const dockerfile = DockerfileParser.parse(text);
  const lines = text.split(/\r?\n/);
  const globalArgs: DockerInstruction[] = [];
  const stages: Stage[] = [];
  for (const raw of dockerfile.getInstructions()) {
    const instruction = toInstruction(raw, lines);
    if (instruction.keyword === 'FROM') {
      const match = /\s+AS\s+(\S+)\s*$/i.exec(instruction.args);
      stages.push({ index: stages.length, name: match?.[1]?.toLowerCase(), from: instruction, instructions: [] });
    } else if (stages.length) {
      stages.at(-1)!.instructions.push(instruction);
    } else if (instruction.keyword === 'ARG') {
      globalArgs.push(instruction);
    } else {
      throw new DockerfileError(
        file,
        instruction.line,
        `${instruction.keyword} before the first FROM (only ARG may come before FROM)`,
      );
    }
  }
  if (!stages.length)
    throw new DockerfileError(file, 1, 'no FROM instruction (start the file with FROM scratch or FROM <image>)');
  return { file, escape: dockerfile.getEscapeCharacter(), globalArgs, stages };
}

/** The first RUN of a Dockerfile, if any: a RUN needs a container engine, so the caller picks that path instead. */
export function findRunInstruction(file: string, text: string): { file: string; line: number } | undefined {
  const parsed = parseDockerfile(file, text);
  for (const stage of parsed.stages) {
    const run = stage.instructions.find((i) => i.keyword === 'RUN');
    if (run) return { file, line: run.line };
  }
  return undefined;
}

/** True when building this Dockerfile needs a container engine (it has a RUN). */
export function dockerfileNeedsRun(file: string, text: string): boolean {
  return findRunInstruction(file, text) !== undefined;
}
