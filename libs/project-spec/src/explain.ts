import type { ErrorObject } from 'ajv';
import { nearest } from './suggest';

/** A schema violation rephrased for a person: which field, what is wrong, what to do. */
export interface Explanation {
  path: (string | number)[];
  atKey: boolean;
  /** Field to name when it differs from where the error points (a missing key points at its parent). */
  field?: (string | number)[];
  message: string;
  hint?: string;
}

const SECRET_KEY = /(password|passwd|secret|token|apikey|accesskey)(?!env|file)/i;

function pointerSegments(pointer: string, data: unknown): (string | number)[] {
  if (!pointer) return [];
  const segments: (string | number)[] = [];
  let value: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const index = Array.isArray(value) ? Number(key) : key;
    segments.push(index);
    value = value && typeof value === 'object' ? (value as Record<string | number, unknown>)[index] : undefined;
  }
  return segments;
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined),
    data,
  );
}

/** Names only the kind of value: the value itself may be a secret typed into the wrong field. */
function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

function inlineSecretKey(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  return Object.keys(value).find((k) => SECRET_KEY.test(k));
}

const SECRET_HINT =
  'secrets are never written in project.yaml: put the secret in an environment variable and name it (usernameEnv/passwordEnv, accessKeyIdEnv/secretAccessKeyEnv), or name a file (passwordFile, dockerConfig)';

function explainOneOf(error: ErrorObject, path: (string | number)[], data: unknown): Explanation[] {
  const branches = (error.parentSchema?.oneOf ?? []) as { required?: string[]; properties?: object }[];
  const value = valueAt(data, path);
  const secret = inlineSecretKey(value);
  if (secret)
    return [
      { path: [...path, secret], atKey: true, message: `inline secret "${secret}" is not allowed`, hint: SECRET_HINT },
    ];
  const shapes = branches.map((b) => `{${(b.required ?? []).join(', ')}}`).join(' or ');
  const onlyRequired = branches.every((b) => !b.properties);
  if (onlyRequired && value && typeof value === 'object') {
    const keys = [...new Set(branches.flatMap((b) => b.required ?? []))];
    const present = keys.filter((k) => k in (value as object));
    const message =
      present.length === 0
        ? `sets none of ${keys.join(', ')}`
        : `sets ${present.join(' and ')}, which cannot be combined`;
    return [{ path, atKey: false, message, hint: `set exactly one of ${shapes}` }];
  }
  return [
    {
      path,
      atKey: false,
      message: `must have one of these shapes: ${shapes}`,
      hint: 'use exactly the keys of one shape',
    },
  ];
}

function explainOne(error: ErrorObject, data: unknown): Explanation[] {
  const path = pointerSegments(error.instancePath, data);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties ?? {}) as object);
      if (SECRET_KEY.test(key))
        return [
          { path: [...path, key], atKey: true, message: `inline secret "${key}" is not allowed`, hint: SECRET_HINT },
        ];
      const guess = nearest(key, known);
      const hint = guess
        ? `did you mean "${guess}"?`
        : known.length
          ? `allowed keys: ${known.join(', ')}`
          : 'remove it';
      return [{ path: [...path, key], atKey: true, message: `unknown key "${key}"`, hint }];
    }
    case 'required':
      return [
        {
          path,
          field: [...path, String(params.missingProperty)],
          atKey: false,
          message: `missing required key "${params.missingProperty}"`,
          hint: 'add it',
        },
      ];
    case 'minItems':
      return [
        {
          path,
          atKey: false,
          message: `needs at least ${params.limit} item${params.limit === 1 ? '' : 's'}`,
          hint: 'add entries or remove the key',
        },
      ];
    case 'type':
      return [
        {
          path,
          atKey: false,
          message: `must be ${params.type}, got ${describeType(valueAt(data, path))}`,
          hint: `write ${/^[aeiou]/.test(String(params.type)) ? 'an' : 'a'} ${params.type} here`,
        },
      ];
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const got = String(valueAt(data, path));
      const guess = nearest(got, allowed);
      return [
        {
          path,
          atKey: false,
          message: `"${got}" is not one of ${allowed.join(', ')}`,
          hint: guess ? `did you mean "${guess}"?` : `use one of ${allowed.join(', ')}`,
        },
      ];
    }
    case 'const':
      return [{ path, atKey: false, message: `must be ${JSON.stringify(params.allowedValue)}` }];
    case 'pattern': {
      const description = (error.parentSchema as { description?: string } | undefined)?.description;
      return [
        {
          path,
          atKey: false,
          message: 'does not match the expected form',
          hint: description ? `expected ${description}` : `must match ${params.pattern}`,
        },
      ];
    }
    case 'oneOf':
      return explainOneOf(error, path, data);
    default:
      return [{ path, atKey: false, message: error.message ?? 'is invalid' }];
  }
}

/**
 * Turns ajv errors into explanations. Errors raised inside the branches of a failed `oneOf` are folded into
 * one explanation of that `oneOf`, since "branch 2 wanted a different key" helps nobody.
 */
export function explainSchemaErrors(errors: readonly ErrorObject[], data: unknown): Explanation[] {
  const failedOneOfs = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath + '/');
  const relevant = errors.filter((e) => !failedOneOfs.some((prefix) => e.schemaPath.startsWith(prefix)));
  const seen = new Set<string>();
  return relevant
    .flatMap((e) => explainOne(e, data))
    .filter((x) => {
      const key = JSON.stringify([x.path, x.message]);
      return seen.has(key) ? false : (seen.add(key), true);
    });
}
