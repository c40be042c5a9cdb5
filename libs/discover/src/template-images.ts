import type { Finding } from './finding';
import { isTemplated } from './values-images';
import { isTreeMap, Leaf, leafText, type Tree } from './yaml-tree';

export interface TemplateScope {
  values: Tree | undefined;
  chart: { name: string; appVersion?: string };
  disabled?: boolean;
}

const IMAGE_LINE = /^\s*(?:-\s+)?["']?image["']?\s*:\s*(.+?)\s*,?\s*$/;
const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;

/**
 * `image:` lines of chart templates: literal references, and references built only from
 * `.Values` paths, `.Chart` fields, `default`, `printf` and quoting — the forms that can be
 * evaluated without a template engine. Anything else (helpers, `with` scopes) is left to the
 * values scan.
 */
export function imagesInTemplate(file: string, text: string, scope: TemplateScope): Finding[] {
  const findings: Finding[] = [];
  const blocks = new BlockTracker(scope);
  text.split('\n').forEach((line, index) => {
    const match = IMAGE_LINE.exec(line);
    if (!match) {
      blocks.follow(line);
      return;
    }
    const rendered = render(stripComment(match[1]), blocks.scope);
    if (!rendered) return;
    const value = unquote(rendered.text.trim());
    if (value === '' || isTemplated(value) || /\s/.test(value)) return;
    findings.push({
      text: value,
      source: { file, line: index + 1 },
      disabled: Boolean(scope.disabled) || rendered.disabled || blocks.switchedOff(),
      ...(rendered.read.length > 0 ? { valuesRead: rendered.read } : {}),
    });
  });
  return findings;
}

type Truth = boolean | undefined;

/**
 * Follows `if`/`else`/`with`/`range`/`define`/`end` and `$var :=` actions line by line, so an
 * image inside `{{ if .Values.persistence.enabled }}` with that value false is known to be off,
 * and `{{ $registry }}` renders when it was assigned from values.
 */
class BlockTracker {
  private readonly stack: Truth[] = [];
  readonly scope: TemplateScope & { variables: Map<string, Value> };

  constructor(scope: TemplateScope) {
    this.scope = { ...scope, variables: new Map() };
  }

  follow(line: string): void {
    for (const [, raw] of line.matchAll(ACTION)) {
      const action = raw.trim();
      const keyword = /^(if|else if|else|with|range|define|block|end)\b\s*(.*)$/.exec(action);
      const assignment = /^(\$[A-Za-z0-9_]+)\s*:?=\s*(.+)$/.exec(action);
      if (keyword) this.control(keyword[1], keyword[2]);
      else if (assignment) {
        const value = evaluatePipeline(assignment[2], this.scope);
        if (value) this.scope.variables.set(assignment[1], value);
        else this.scope.variables.delete(assignment[1]);
      }
    }
  }

  switchedOff(): boolean {
    return this.stack.some((truth) => truth === false);
  }

  private control(keyword: string, rest: string): void {
    if (keyword === 'if') this.stack.push(truthOf(rest, this.scope));
    else if (keyword === 'else' || keyword === 'else if') {
      const previous = this.stack.pop();
      const next = previous === true ? false : keyword === 'else' ? (previous === false ? true : undefined) : previous === false ? truthOf(rest, this.scope) : undefined;
      this.stack.push(next);
    } else if (keyword === 'end') this.stack.pop();
    else this.stack.push(undefined);
  }
}

/** Truth of a simple condition: `.Values.x`, `not X`, `and X Y`, `or X Y`; undefined when unknown. */
function truthOf(condition: string, scope: TemplateScope): Truth {
  const tokens = tokenize(condition.trim());
  const [head, ...args] = tokens;
  if (head === 'not' && args.length === 1) {
    const inner = truthOf(args[0], scope);
    return inner === undefined ? undefined : !inner;
  }
  if ((head === 'and' || head === 'or') && args.length > 0) {
    const truths = args.map((a) => truthOf(a, scope));
    if (head === 'and') return truths.includes(false) ? false : truths.every((t) => t === true) ? true : undefined;
    return truths.includes(true) ? true : truths.every((t) => t === false) ? false : undefined;
  }
  if (tokens.length !== 1) return undefined;
  const token = head.startsWith('(') && head.endsWith(')') ? head.slice(1, -1).trim() : head;
  if (token !== head) return truthOf(token, scope);
  const value = evaluateTerm(token, scope);
  if (value === undefined) return undefined;
  return !['', 'false', '0', 'null', '~'].includes(value.text.trim());
}

function stripComment(value: string): string {
  return value.includes('{{') ? value : value.replace(/\s+#.*$/, '');
}

function render(value: string, scope: TemplateScope): Value | undefined {
  let disabled = false;
  let failed = false;
  const read: string[] = [];
  const text = value.replace(ACTION, (_, expression: string) => {
    const result = evaluatePipeline(expression.trim(), scope);
    if (result === undefined) failed = true;
    else {
      disabled ||= result.disabled;
      read.push(...result.read);
    }
    return result?.text ?? '';
  });
  return failed ? undefined : { text, disabled, read };
}

interface Value {
  text: string;
  disabled: boolean;
  /** `.Values` paths read to produce the text. */
  read: string[];
}

function literal(text: string): Value {
  return { text, disabled: false, read: [] };
}

function evaluatePipeline(expression: string, scope: TemplateScope): Value | undefined {
  if (expression.startsWith('/*')) return literal('');
  const stages = splitOutside(expression, '|');
  let current: Value | undefined;
  for (const stage of stages) {
    current = evaluateCommand(tokenize(stage.trim()), scope, current);
    if (current === undefined) return undefined;
  }
  return current;
}

function evaluateCommand(tokens: string[], scope: TemplateScope, piped: Value | undefined): Value | undefined {
  const [head, ...args] = tokens;
  if (head === undefined) return undefined;
  const operands = (): (Value | undefined)[] => [...args.map((a) => evaluateTerm(a, scope)), ...(piped ? [piped] : [])];
  switch (head) {
    case 'default': {
      const [fallback, given] = operands();
      if (fallback === undefined) return undefined;
      const read = [...fallback.read, ...(given?.read ?? [])];
      return { ...(given && given.text !== '' ? given : fallback), read };
    }
    case 'quote':
    case 'squote':
    case 'trim':
    case 'toString':
    case 'toYaml': {
      const [operand] = operands();
      return operand;
    }
    case 'printf': {
      const [format, ...rest] = operands();
      if (!format || rest.some((r) => r === undefined)) return undefined;
      let i = 0;
      const text = format.text.replace(/%[sdv]/g, () => rest[i++]?.text ?? '');
      return { text, disabled: rest.some((r) => r!.disabled), read: rest.flatMap((r) => r!.read) };
    }
    default:
      return args.length === 0 && piped === undefined ? evaluateTerm(head, scope) : undefined;
  }
}

function evaluateTerm(token: string, scope: TemplateScope): Value | undefined {
  if (/^".*"$/.test(token)) return literal(JSON.parse(token) as string);
  if (/^`.*`$/.test(token)) return literal(token.slice(1, -1));
  if (token.startsWith('(') && token.endsWith(')')) return evaluatePipeline(token.slice(1, -1), scope);
  if (token === '.Chart.AppVersion' || token === '$.Chart.AppVersion') return literal(scope.chart.appVersion ?? '');
  if (token === '.Chart.Name' || token === '$.Chart.Name') return literal(scope.chart.name);
  const variable = (scope as { variables?: Map<string, Value> }).variables?.get(token);
  if (variable) return variable;
  const path = /^\$?\.Values((?:\.[A-Za-z0-9_]+)+)$/.exec(token);
  if (!path) return undefined;
  return lookup(scope.values, path[1].slice(1).split('.'));
}

/** A `.Values` path; a missing value renders empty like Helm, a map cannot be rendered. */
function lookup(values: Tree | undefined, keys: string[]): Value | undefined {
  let current = values;
  let disabled = false;
  const read = [keys.join('.')];
  for (const key of keys) {
    if (!isTreeMap(current)) return { text: '', disabled, read };
    if (leafText(current, 'enabled') === 'false') disabled = true;
    current = current[key];
  }
  if (current === undefined) return { text: '', disabled, read };
  if (!(current instanceof Leaf)) return undefined;
  const text = current.text.trim();
  return { text: text === 'null' || text === '~' ? '' : text, disabled, read };
}

function tokenize(command: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < command.length) {
    const c = command[i];
    if (/\s/.test(c)) { i++; continue; }
    let j = i;
    if (c === '"') {
      j++;
      while (j < command.length && command[j] !== '"') j += command[j] === '\\' ? 2 : 1;
      j++;
    } else if (c === '(') {
      let depth = 0;
      do {
        if (command[j] === '(') depth++;
        if (command[j] === ')') depth--;
        j++;
      } while (j < command.length && depth > 0);
    } else {
      while (j < command.length && !/\s/.test(command[j])) j++;
    }
    tokens.push(command.slice(i, j));
    i = j;
  }
  return tokens;
}

function splitOutside(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

export function unquote(text: string): string {
  return /^(["']).*\1$/.test(text) ? text.slice(1, -1) : text;
}
