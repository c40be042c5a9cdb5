import { isSprigFunction, sprigFunction } from './sprig-functions';
import { bool, scalar, textOf, textsOf, truthy, type Data } from './template-data';
import { isStructureFunction, structureFunction } from './template-structures';

/**
 * The functions of Go templates and Sprig that only compute on their arguments (`printf`,
 * `default`, `eq`, `dict`, the string functions, ...). `undefined` when an input is not known
 * or has the wrong shape. Maps and lists: template-structures.ts. Functions that read the chart or the evaluation's state (`include`,
 * `tpl`, `index`, `fail`, ...) are the evaluator's.
 */
export function pureFunction(name: string, args: Data[]): Data | undefined {
  switch (name) {
    case 'true':
    case 'false':
      return args.length === 0 ? scalar(name) : undefined;
    case 'nil':
      return { kind: 'missing' };
    case 'default':
      return args.length === 2 ? (truthy(args[1]) ? args[1] : args[0]) : args.length === 1 ? args[0] : undefined;
    case 'coalesce':
      return args.find(truthy) ?? { kind: 'missing' };
    case 'ternary':
      return args.length === 3 ? (truthy(args[2]) ? args[0] : args[1]) : undefined;
    case 'printf':
      return printf(args);
    case 'print': {
      const t = textsOf(args);
      return t ? scalar(t.join('')) : undefined;
    }
    case 'not':
    case 'empty':
      return args.length === 1 ? bool(!truthy(args[0])) : undefined;
    case 'and':
      return args.find((a) => !truthy(a)) ?? args[args.length - 1];
    case 'or':
      return args.find(truthy) ?? args[args.length - 1];
    case 'eq':
    case 'ne':
      return equality(name, args);
    case 'dict':
      return dict(args);
    case 'tuple':
    case 'list':
      return { kind: 'list', items: args };
    default:
      if (isTextFunction(name) && !(isStructureFunction(name) && args[args.length - 1]?.kind !== 'scalar'))
        return textFunction(name, args);
      return isStructureFunction(name) ? structureFunction(name, args) : sprigFunction(name, args);
  }
}

/** Whether `pureFunction` knows `name` (it may still return undefined for unknown inputs). */
export function isPureFunction(name: string): boolean {
  return PURE.has(name) || isTextFunction(name) || isStructureFunction(name) || isSprigFunction(name);
}

const PURE = new Set([
  'true',
  'false',
  'nil',
  'default',
  'coalesce',
  'ternary',
  'printf',
  'print',
  'not',
  'empty',
  'and',
  'or',
  'eq',
  'ne',
  'dict',
  'tuple',
  'list',
]);

/** Functions that print their last argument, changed or not: the result keeps the value's `.Values` path. */
const TEXT_FUNCTIONS = new Set([
  'quote',
  'squote',
  'toString',
  'trim',
  'toYaml',
  'toJson',
  'nindent',
  'indent',
  'lower',
  'upper',
]);

const isTextFunction = (name: string) => TEXT_FUNCTIONS.has(name);

function textFunction(name: string, args: Data[]): Data | undefined {
  const subject = args[args.length - 1];
  const text = subject === undefined ? undefined : textOf(subject);
  if (text === undefined) return undefined;
  const changed =
    name === 'trim'
      ? text.trim()
      : name === 'lower'
        ? text.toLowerCase()
        : name === 'upper'
          ? text.toUpperCase()
          : text;
  return { ...(subject.kind === 'scalar' ? subject : {}), kind: 'scalar', text: changed };
}

function printf(args: Data[]): Data | undefined {
  const t = textsOf(args);
  if (!t || t.length === 0) return undefined;
  let i = 1;
  return scalar(
    t[0].replace(/%%|%[sdvq]/g, (verb) =>
      verb === '%%' ? '%' : verb === '%q' ? JSON.stringify(t[i++] ?? '') : (t[i++] ?? ''),
    ),
  );
}

function equality(name: 'eq' | 'ne', args: Data[]): Data | undefined {
  const t = textsOf(args);
  if (!t || t.length < 2) return undefined;
  const equal = t.slice(1).some((other) => other === t[0]);
  return bool(name === 'eq' ? equal : !equal);
}

function dict(args: Data[]): Data | undefined {
  if (args.length % 2 !== 0) return undefined;
  const entries = new Map<string, Data>();
  for (let i = 0; i < args.length; i += 2) {
    const key = textOf(args[i]);
    if (key === undefined) return undefined;
    entries.set(key, args[i + 1]);
  }
  return { kind: 'dict', entries };
}
