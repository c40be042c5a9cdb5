import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findWorkspaceRoot, workspaceRootOf } from './workspace-root';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockyard-root-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('workspaceRootOf', () => {
  it('finds the nearest nx.json above a path, and nothing where there is none', () => {
    mkdirSync(join(dir, 'ws', 'inner', 'releases', 'x'), { recursive: true });
    writeFileSync(join(dir, 'ws', 'nx.json'), '{}');
    writeFileSync(join(dir, 'ws', 'inner', 'nx.json'), '{}');
    expect(workspaceRootOf(join(dir, 'ws', 'inner', 'releases', 'x'))).toBe(join(dir, 'ws', 'inner'));
    expect(workspaceRootOf(join(dir, 'ws'))).toBe(join(dir, 'ws'));
    expect(workspaceRootOf(dir)).toBeUndefined();
    expect(findWorkspaceRoot(dir)).toBe(dir);
  });
});
