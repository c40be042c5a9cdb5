import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { findProjectFiles, parseProject, type Kind, type ProjectSpec } from '@dockyard/project-spec';

/** A project of the workspace as CI needs it: where it lives and what it is. */
export interface WorkspaceProject {
  name: string;
  /** Workspace-relative folder, POSIX separators. */
  root: string;
  /** Workspace-relative project.yaml. */
  file: string;
  kind?: Kind;
  spec?: ProjectSpec;
}

/** Every project.yaml Nx sees under `workspaceRoot`, by project name. */
export async function workspaceProjects(workspaceRoot: string): Promise<Map<string, WorkspaceProject>> {
  const projects = new Map<string, WorkspaceProject>();
  for (const file of await findProjectFiles(workspaceRoot)) {
    const loaded = parseProject(await readFile(join(workspaceRoot, file), 'utf8'), file);
    projects.set(loaded.name, { name: loaded.name, root: dirname(file), file, kind: loaded.kind, spec: loaded.spec });
  }
  return projects;
}
