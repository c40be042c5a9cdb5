import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { fieldPath, type SpecIssue } from './errors';
import { explainSchemaErrors } from './explain';
import { readYaml } from './read-yaml';
import { projectRules, type RuleIssue } from './rules';
import { validatorFor } from './schemas';
import { SourceMap } from './source-map';
import { nearest } from './suggest';
import { KINDS, type Kind, type ProjectSpec } from './types';

/** A project file as read: always has a name (so a broken file still shows up), a spec only when valid. */
export interface LoadedProject {
  file: string;
  dir: string;
  name: string;
  kind?: Kind;
  spec?: ProjectSpec;
  /** Parsed data even when invalid, for tools that need best-effort reads (e.g. graph edges). */
  data?: unknown;
  issues: SpecIssue[];
  source?: SourceMap;
}

/** Parses and validates one project.yaml text. `file` is what errors print, usually workspace-relative. */
export function parseProject(text: string, file: string): LoadedProject {
  const read = readYaml(text);
  const fallbackName = basename(dirname(file));
  const dir = dirname(file);
  if (!read.ok) {
    const issues = read.problems.map((p): SpecIssue => {
      const pos = read.lines.linePos(p.offset);
      return {
        file,
        line: pos.line,
        column: pos.col,
        field: p.field ? fieldPath(p.field) : '',
        message: p.message,
        hint: p.hint,
      };
    });
    return { file, dir, name: nameFromText(text) ?? fallbackName, issues };
  }
  const source = new SourceMap(read.doc, read.lines);
  const data = read.data;
  const at = (path: (string | number)[], atKey: boolean, message: string, hint?: string, field = path): SpecIssue => {
    const { line, column } = source.position(path, atKey);
    return { file, line, column, field: fieldPath(field), message, hint };
  };
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return {
      file,
      dir,
      name: fallbackName,
      issues: [at([], false, 'a project file must be a YAML mapping', 'start with "kind:" and "name:"')],
    };
  }
  const record = data as Record<string, unknown>;
  const name = typeof record.name === 'string' && record.name ? record.name : fallbackName;
  const kind = record.kind;
  if (!KINDS.includes(kind as Kind)) {
    const guess = typeof kind === 'string' ? nearest(kind, KINDS) : undefined;
    const message = kind === undefined ? 'missing required key "kind"' : `unknown kind ${JSON.stringify(kind)}`;
    const hint = guess ? `did you mean "${guess}"?` : `use one of ${KINDS.join(', ')}`;
    return { file, dir, name, data, source, issues: [at(kind === undefined ? [] : ['kind'], false, message, hint)] };
  }
  const validate = validatorFor(kind as Kind);
  const schemaIssues = validate(data)
    ? []
    : explainSchemaErrors(validate.errors ?? [], data).map((x) => at(x.path, x.atKey, x.message, x.hint, x.field));
  if (schemaIssues.length > 0) return { file, dir, name, kind: kind as Kind, data, source, issues: schemaIssues };
  const spec = data as ProjectSpec;
  const ruleIssues = projectRules(spec).map((r: RuleIssue) => at(r.path, false, r.message, r.hint));
  return {
    file,
    dir,
    name,
    kind: kind as Kind,
    data,
    source,
    spec: ruleIssues.length ? undefined : spec,
    issues: ruleIssues,
  };
}

/** Best-effort `name:` of a file whose YAML does not parse, so it still shows up under its own name. */
function nameFromText(text: string): string | undefined {
  return /^name:\s*["']?([a-z0-9][a-z0-9._-]*)["']?\s*$/m.exec(text)?.[1];
}

export async function loadProjectFile(file: string, displayPath = file): Promise<LoadedProject> {
  const loaded = parseProject(await readFile(file, 'utf8'), displayPath);
  return { ...loaded, dir: dirname(file) };
}
