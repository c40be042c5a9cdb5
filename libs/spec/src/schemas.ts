import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
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

let validators: Record<Kind, ValidateFunction> | undefined;

/** One compiled validator per kind, built once per process. */
export function validatorFor(kind: Kind): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats(ajv);
    ajv.addSchema(readSchema('common.schema.json'));
    validators = Object.fromEntries(
      Object.entries(SCHEMA_FILE).map(([kind, file]) => [kind, ajv.compile(readSchema(file))]),
    ) as Record<Kind, ValidateFunction>;
  }
  return validators[kind];
}
