import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What made an attestation: Dockyard and the version of the workspace package it ships as. */
export interface Tool {
  name: 'dockyard';
  version: string;
}

let cached: Tool | undefined;

export function dockyardTool(): Tool {
  cached ??= {
    name: 'dockyard',
    version: (
      JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }
    ).version,
  };
  return cached;
}
