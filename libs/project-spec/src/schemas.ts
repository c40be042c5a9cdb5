import type { ValidateFunction } from 'ajv';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Kind } from './types';

/** Folder of the published JSON Schemas (also what generated project.yaml files point editors at). */
export const SCHEMA_DIR = join(__dirname, '..', 'schemas');

export const SCHEMA_FILE: Record<Kind, string> = {
  Release: 'release.schema.json',
  Plugin: 'plugin.schema.json',
  AppImage: 'app-image.schema.json',
  ContainerImage: 'container-image.schema.json',
  CloudImage: 'cloud-image.schema.json',
};

function readSchema(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8'));
}

const versionOf = (pkg: string) => (createRequire(__filename)(`${pkg}/package.json`) as { version: string }).version;
const AJV_VERSION = `${versionOf('ajv')} ${versionOf('ajv-formats')}`;
const AJV_OPTIONS = {
  allErrors: true,
  verbose: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
} as const;
/** Generated validators are cached here, like the CLI's transpiled TypeScript; a cached one loads in ~5 ms instead of compiling in ~200. */
const CACHE_DIR = join(__dirname, '..', '..', '..', 'node_modules', '.cache', 'dockyard-schemas');
const validators = new Map<Kind, ValidateFunction>();

/** ajv itself is loaded only to generate a validator; a cached one needs just its small runtime. */
function compileStandalone(kind: Kind): string {
  const load = createRequire(__filename);
  const { default: Ajv, _ } = load('ajv') as typeof import('ajv');
  const standaloneCode = (load('ajv/dist/standalone') as typeof import('ajv/dist/standalone')).default;
  const addFormats = (load('ajv-formats') as typeof import('ajv-formats')).default;
  const ajv = new Ajv({
    ...AJV_OPTIONS,
    code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
  });
  addFormats(ajv);
  ajv.addSchema(readSchema('common.schema.json'));
  return standaloneCode(ajv, ajv.compile(readSchema(SCHEMA_FILE[kind])));
}

function cachedValidator(kind: Kind): ValidateFunction {
  const sources = [
    AJV_VERSION,
    JSON.stringify(AJV_OPTIONS),
    readFileSync(join(SCHEMA_DIR, 'common.schema.json'), 'utf8'),
    readFileSync(join(SCHEMA_DIR, SCHEMA_FILE[kind]), 'utf8'),
  ];
  const key = createHash('sha1').update(sources.join('\0')).digest('hex');
  const file = join(CACHE_DIR, `${kind}-${key}.cjs`);
  if (!existsSync(file)) {
    const code = compileStandalone(kind);
    try {
      mkdirSync(CACHE_DIR, { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, code);
      renameSync(temp, file);
      for (const stale of readdirSync(CACHE_DIR))
        if (stale.startsWith(`${kind}-`) && join(CACHE_DIR, stale) !== file)
          rmSync(join(CACHE_DIR, stale), { force: true });
    } catch {
      // A read-only install still validates: it compiles on every start.
      return loadModule(code, file);
    }
  }
  return createRequire(file)(file) as ValidateFunction;
}

function loadModule(code: string, file: string): ValidateFunction {
  const module = { exports: {} as unknown };
  new Function('module', 'exports', 'require', code)(module, module.exports, createRequire(file));
  return module.exports as ValidateFunction;
}

/** The validator of one kind, loaded on first use (a command reads one or two kinds). */
export function validatorFor(kind: Kind): ValidateFunction {
  let validator = validators.get(kind);
  if (!validator) {
    validator = cachedValidator(kind);
    validators.set(kind, validator);
  }
  return validator;
}
