import type { Finding } from './finding';
import { truthy, type Data } from './template-data';
import { renderTemplate, rootScope } from './template-evaluator';
import { evaluatePipeline } from './template-expressions';
import { newTrace, type ChartContext, type Scope } from './template-scope';
import { tokenize } from './template-lexer';
import { ASSIGNMENT, controlKeyword, mentionedValuesPaths } from './template-parser';
import { isTemplated } from './values-images';

export interface TemplateScope {
  context: ChartContext;
  /** Every image of this file is a `helm test` pod (the file is under `templates/tests/`). */
  test?: boolean;
}

const IMAGE_LINE = /^\s*(?:-\s+)?["']?image["']?\s*:\s*(.+?)\s*,?\s*$/;
/** An image passed to a controller as a flag, e.g. cert-manager's `--acme-http01-solver-image=...`. */
const IMAGE_FLAG = /^\s*-\s+["']?--[a-z0-9-]*image=(.+?)["']?\s*$/;
const ACTION = /\{\{-?\s*([\s\S]*?)\s*-?\}\}/g;
const TEST_HOOK = /["']?helm\.sh\/hook["']?\s*:\s*["']?[^"'\n]*\btest(?:-success)?\b/;
/** Resources whose `image` names a repository to watch, not a container to run (Flux image automation). */
const NOT_A_WORKLOAD = /^\s*apiVersion\s*:\s*["']?image\.toolkit\.fluxcd\.io\//;

/**
 * `image:` lines of chart templates, rendered with the chart's values through the static
 * Go-template evaluator (helpers, `printf`, `default`, `tpl` ...). A line that cannot be known
 * comes back `unresolved` with the values it mentions, never as a guessed reference. Blocks are
 * followed line by line: an image inside `{{ if .Values.metrics.enabled }}` with that value
 * `false` is optional, switched on by `metrics.enabled=true`.
 */
export function imagesInTemplate(file: string, text: string, scope: TemplateScope): Finding[] {
  const findings: Finding[] = [];
  const blocks = new BlockTracker(scope.context);
  let testDocument = false;
  let workload = true;
  text.split('\n').forEach((line, index) => {
    if (/^---\s*$/.test(line)) {
      testDocument = false;
      workload = true;
    }
    if (TEST_HOOK.test(line)) testDocument = true;
    if (NOT_A_WORKLOAD.test(line)) workload = false;
    const match = IMAGE_LINE.exec(line) ?? IMAGE_FLAG.exec(line);
    if (!match) {
      blocks.follow(line);
      return;
    }
    const state = blocks.state();
    if (!workload) return;
    const value = stripComment(match[1]);
    const source = { file, line: index + 1 };
    if (state === 'off') {
      findings.push({ text: value, source, neverRendered: true, mentions: blocks.mentions(value) });
      return;
    }
    const test = scope.test || testDocument ? { test: true } : {};
    const trace = newTrace();
    const rendered = renderTemplate(value, blocks.scope(trace));
    if (rendered === undefined) {
      const why = trace.cannot
        ? `${trace.cannot} cannot be evaluated statically`
        : 'its template cannot be evaluated statically';
      findings.push({ text: unquote(value), source, ...test, unresolved: why, mentions: blocks.mentions(value) });
      return;
    }
    const reference = unquote(rendered.trim());
    if (reference === '' || (/\s/.test(reference) && !isTemplated(reference))) return;
    const optional = [...state, ...trace.switches];
    findings.push({
      text: reference,
      source,
      ...test,
      ...(optional.length > 0 ? { optional: [...new Set(optional)] } : {}),
      ...(isTemplated(reference) ? { unresolved: 'it holds a placeholder that was not substituted' } : {}),
      ...(trace.read.size > 0 ? { valuesRead: [...trace.read] } : {}),
    });
  });
  return findings;
}

interface Frame {
  /** Whether the block renders with the default values; undefined when that cannot be known. */
  truth: boolean | undefined;
  /** Settings that would make a false block render (`metrics.enabled=true`); absent when it is not a switch. */
  toFlip?: string[];
  dot?: Data;
}

/**
 * Follows `if`/`else`/`with`/`range`/`define`/`end` and `$var :=` actions line by line, so an
 * image line knows whether its blocks render and what `.` and `$vars` are there.
 */
class BlockTracker {
  private readonly stack: Frame[] = [];
  private readonly variables = new Map<string, Data>([['$', { kind: 'root' }]]);
  /** The `.Values` paths each `$var` assignment mentioned, for lines that cannot be evaluated. */
  private readonly variableMentions = new Map<string, string[]>();

  constructor(private readonly context: ChartContext) {}

  follow(line: string): void {
    for (const [, raw] of line.matchAll(ACTION)) {
      const action = raw.trim();
      const keyword = controlKeyword(action);
      const assignment = ASSIGNMENT.exec(action);
      if (keyword) this.control(keyword.word, keyword.rest);
      else if (assignment) {
        this.variableMentions.set(assignment[1], this.mentions(assignment[2]));
        const value = evaluatePipeline(assignment[2], this.scope(newTrace()));
        if (value) this.variables.set(assignment[1], value);
        else this.variables.delete(assignment[1]);
      }
    }
  }

  /** `'off'` when a block around the line does not render and no setting switches it on; else the settings needed (none: it renders). */
  state(): 'off' | string[] {
    const off = this.stack.filter((frame) => frame.truth === false);
    if (off.some((frame) => frame.toFlip === undefined)) return 'off';
    return off.flatMap((frame) => frame.toFlip!);
  }

  scope(trace: ReturnType<typeof newTrace>): Scope {
    const scope = rootScope(this.context, trace);
    const dot = [...this.stack].reverse().find((frame) => frame.dot)?.dot;
    return { ...scope, dot: dot ?? scope.dot, variables: new Map(this.variables) };
  }

  /** The `.Values` paths a template text may read: its own, those of the `$vars` it uses, and what `.` stands for in `with`/`range`. */
  mentions(text: string): string[] {
    const dots = this.stack.flatMap((frame) =>
      frame.dot && 'path' in frame.dot && frame.dot.path ? [frame.dot.path] : [],
    );
    const variables = [...text.matchAll(/\$[A-Za-z0-9_]+/g)].flatMap(([name]) => this.variableMentions.get(name) ?? []);
    return [...new Set([...mentionedValuesPaths(text), ...variables, ...dots])];
  }

  private control(keyword: string, rest: string): void {
    const scope = this.scope(newTrace());
    if (keyword === 'if') this.stack.push(conditionOf(rest, scope));
    else if (keyword === 'with') this.stack.push(withFrame(rest, scope));
    else if (keyword === 'range') {
      const collection = evaluatePipeline(
        rest.replace(/^\$[A-Za-z0-9_]+\s*(?:,\s*\$[A-Za-z0-9_]+\s*)?:=\s*/, ''),
        scope,
      );
      const path = collection && 'path' in collection ? collection.path : undefined;
      this.stack.push({ truth: collection && !truthy(collection) ? false : undefined, dot: { kind: 'unknown', path } });
    } else if (keyword.startsWith('else')) {
      const previous = this.stack.pop();
      if (!previous) return;
      if (previous.truth === true) this.stack.push({ truth: false, toFlip: previous.toFlip });
      else if (previous.truth === undefined) this.stack.push({ truth: undefined });
      else if (keyword === 'else') this.stack.push({ truth: true });
      else this.stack.push(keyword === 'else if' ? conditionOf(rest, scope) : withFrame(rest, scope));
    } else if (keyword === 'end') this.stack.pop();
    else this.stack.push({ truth: undefined });
  }
}

function withFrame(expression: string, scope: Scope): Frame {
  const value = evaluatePipeline(expression, scope);
  return value === undefined ? { truth: undefined, dot: { kind: 'unknown' } } : { truth: truthy(value), dot: value };
}

/** Truth of a condition and, when values booleans decide it, the settings that flip it. */
function conditionOf(expression: string, scope: Scope): Frame {
  const tokens = tokenize(expression.trim());
  const [head, ...args] = tokens;
  if (tokens.length === 1 && head.startsWith('(') && head.endsWith(')')) return conditionOf(head.slice(1, -1), scope);
  if (head === 'not' && args.length === 1) {
    const inner = conditionOf(args[0], scope);
    return { truth: inner.truth === undefined ? undefined : !inner.truth, toFlip: inner.toFlip };
  }
  if ((head === 'and' || head === 'or') && args.length > 0) {
    const parts = args.map((a) => conditionOf(a, scope));
    const deciding = parts.filter((p) => p.truth === (head === 'or'));
    if (deciding.length > 0) {
      // Every deciding operand has to flip for the whole condition to flip.
      const toFlip = deciding.every((p) => p.toFlip) ? deciding.flatMap((p) => p.toFlip!) : undefined;
      return { truth: head === 'or', toFlip };
    }
    if (parts.some((p) => p.truth === undefined)) return { truth: undefined };
    return { truth: head === 'and', toFlip: parts[0].toFlip };
  }
  if (head === 'include' || head === 'template') return helperCondition(expression, args[0] ?? '', scope);
  const value = evaluatePipeline(expression, scope);
  if (value === undefined) return { truth: undefined };
  const truth = truthy(value);
  return { truth, toFlip: switchSetting(value, truth) ?? (truth ? undefined : comparisonSetting(head, args, scope)) };
}

/**
 * An enable switch inside a helper (`if include "mysql.backupEnabled" .`): off, its block is
 * switched on by the `false` values the helper read; unknown, by the helper itself, named.
 */
function helperCondition(expression: string, name: string, scope: Scope): Frame {
  const trace = newTrace();
  const value = evaluatePipeline(expression, { ...scope, trace });
  const helper = [`include ${name}`];
  if (value === undefined) return { truth: false, toFlip: helper };
  const truth = truthy(value);
  if (truth) return { truth };
  return { truth, toFlip: trace.falses.size > 0 ? [...trace.falses].map((path) => `${path}=true`) : helper };
}

/** `eq .Values.mode "external"` off is switched on by `mode=external`; `ne` by any other value. */
function comparisonSetting(head: string, args: string[], scope: Scope): string[] | undefined {
  if ((head !== 'eq' && head !== 'ne') || args.length !== 2) return undefined;
  const [a, b] = args.map((arg) => evaluatePipeline(arg, scope));
  const setting = (value: Data | undefined, other: Data | undefined) =>
    value && 'path' in value && value.path && other?.kind === 'scalar' && other.path === undefined
      ? `${value.path}${head === 'eq' ? '=' : '!='}${other.text}`
      : undefined;
  const found = setting(a, b) ?? setting(b, a);
  return found === undefined ? undefined : [found];
}

/** A boolean in values (or a missing `*enabled` key) is a feature switch; an empty string or a list is not. */
function switchSetting(value: Data, truth: boolean): string[] | undefined {
  if (value.kind === 'scalar' && value.path && /^(true|false)$/.test(value.text))
    return [`${value.path}=${truth ? 'false' : 'true'}`];
  if (value.kind === 'missing' && value.path && !truth && /enabled$/i.test(value.path)) return [`${value.path}=true`];
  return undefined;
}

/** Whether any line of a template says `image:` (or passes an image as a flag). */
export function hasImageLine(text: string): boolean {
  return text.split('\n').some((line) => IMAGE_LINE.test(line) || IMAGE_FLAG.test(line));
}

function stripComment(value: string): string {
  return value.includes('{{') ? value : value.replace(/\s+#.*$/, '');
}

export function unquote(text: string): string {
  return /^(["']).*\1$/.test(text) ? text.slice(1, -1) : text;
}
