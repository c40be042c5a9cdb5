import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NxWorkspace } from '../support/nx-workspace';
import { tasksFromCache } from '../support/nx-output';
import { pluginYaml } from '../support/projects';

describe('workspace-wide Plugin rules through nx', () => {
  describe('ports and slots', () => {
    let workspace: NxWorkspace;
    beforeAll(async () => {
      workspace = await NxWorkspace.create('nx-clash', {
        'plugins/alerts/project.yaml': pluginYaml({ name: 'alerts', port: 8081, slot: 'sidebar.alerts' }),
        'plugins/logs/project.yaml': pluginYaml({ name: 'logs', port: 8081, slot: 'sidebar.logs' }),
        'plugins/metrics/project.yaml': pluginYaml({ name: 'metrics', port: 8082, slot: 'sidebar.alerts' }),
        'plugins/traces/project.yaml': pluginYaml({ name: 'traces', port: 8083, slot: 'sidebar.traces' }),
      });
    });
    afterAll(() => workspace?.dispose());

    it('fail validate of a plugin whose port another plugin has, naming both', async () => {
      const run = await workspace.nx(['run', 'logs:validate', '--output-style=static']);
      expect(run.exitCode, run.all).not.toBe(0);
      expect(run.all).toContain(
        'plugins/logs/project.yaml:8:11: spec.service.port: port 8081 is also used by plugin "alerts" (plugins/alerts/project.yaml)',
      );
    });

    it('fail validate of a plugin whose slot another plugin has, naming both', async () => {
      const run = await workspace.nx(['run', 'metrics:validate', '--output-style=static']);
      expect(run.exitCode, run.all).not.toBe(0);
      expect(run.all).toContain(
        'plugins/metrics/project.yaml:12:15: spec.modules[0].slots[0]: slot "sidebar.alerts" is also used by plugin "alerts" (plugins/alerts/project.yaml)',
      );
    });

    it('fail validate of the plugin that held the port and slot first too, through nx and the CLI alike', async () => {
      const run = await workspace.nx(['run', 'alerts:validate', '--output-style=static']);
      expect(run.exitCode, run.all).not.toBe(0);
      const cli = await execa(process.execPath, ['tools/cli/bin/dockyard.cjs', 'validate', 'plugins/alerts'], {
        cwd: workspace.root,
        reject: false,
      });
      expect(cli.exitCode).toBe(1);
      for (const output of [run.all, cli.stderr]) {
        expect(output).toContain(
          'plugins/alerts/project.yaml:8:11: spec.service.port: port 8081 is also used by plugin "logs" (plugins/logs/project.yaml)',
        );
        expect(output).toContain(
          'plugins/alerts/project.yaml:12:15: spec.modules[0].slots[0]: slot "sidebar.alerts" is also used by plugin "metrics" (plugins/metrics/project.yaml)',
        );
      }
      expect(cli.stderr).toContain('1 project checked, 2 problems');
    });

    it('leave a plugin that shares nothing valid, and fail run-many with both clashes', async () => {
      expect((await workspace.nx(['run', 'traces:validate'])).exitCode).toBe(0);
      const run = await workspace.nx(['run-many', '-t', 'validate', '--output-style=static']);
      expect(run.exitCode, run.all).not.toBe(0);
      expect(run.all).toContain('plugins/logs/project.yaml:8:11: spec.service.port');
      expect(run.all).toContain('plugins/metrics/project.yaml:12:15: spec.modules[0].slots[0]');
    });
  });

  describe('version bumps against DOCKYARD_BASE_REF', () => {
    let workspace: NxWorkspace;
    let base: string;
    beforeAll(async () => {
      workspace = await NxWorkspace.create('nx-bump', {
        'plugins/alerts/project.yaml': pluginYaml({ name: 'alerts', port: 8081, slot: 'sidebar.alerts' }),
      });
      base = await workspace.git('rev-parse', 'HEAD');
      await workspace.write(
        'plugins/alerts/project.yaml',
        pluginYaml({
          name: 'alerts',
          port: 8081,
          slot: 'sidebar.alerts',
          description: 'changed without a version bump',
        }),
      );
      await workspace.commit('change alerts, forget the bump');
    });
    afterAll(() => workspace?.dispose());

    it('passes without a base ref, then fails once the base ref is set (not served from the cache)', async () => {
      const withoutBase = await workspace.nx(['run', 'alerts:validate', '--output-style=static']);
      expect(withoutBase.exitCode, withoutBase.all).toBe(0);
      const withBase = await workspace.nx(['run', 'alerts:validate', '--output-style=static'], {
        DOCKYARD_BASE_REF: base,
      });
      expect(withBase.exitCode, withBase.all).not.toBe(0);
      expect(tasksFromCache(withBase.all)).toEqual([]);
      expect(withBase.all).toContain(
        `plugins/alerts/project.yaml:5:12: spec.version: version v0.1.0 does not increase on v0.1.0 at ${base} (raise spec.version above v0.1.0)`,
      );
    });

    it('passes once the version increases', async () => {
      await workspace.write(
        'plugins/alerts/project.yaml',
        pluginYaml({
          name: 'alerts',
          port: 8081,
          slot: 'sidebar.alerts',
          version: 'v0.2.0',
          description: 'changed with a bump',
        }),
      );
      await workspace.commit('bump alerts');
      const run = await workspace.nx(['run', 'alerts:validate', '--output-style=static'], { DOCKYARD_BASE_REF: base });
      expect(run.exitCode, run.all).toBe(0);
    });

    it('re-validates when the base branch moves, though the env var and the files stay the same', async () => {
      const bumped = await workspace.git('rev-parse', 'HEAD');
      await workspace.write(
        'plugins/alerts/project.yaml',
        pluginYaml({
          name: 'alerts',
          port: 8081,
          slot: 'sidebar.alerts',
          version: 'v0.2.0',
          description: 'changed again, no bump',
        }),
      );
      await workspace.commit('change alerts again');
      await workspace.git('branch', 'release-base', base);
      const againstOld = await workspace.nx(['run', 'alerts:validate', '--output-style=static'], {
        DOCKYARD_BASE_REF: 'release-base',
      });
      expect(againstOld.exitCode, againstOld.all).toBe(0);

      await workspace.git('branch', '--force', 'release-base', bumped);
      const againstMoved = await workspace.nx(['run', 'alerts:validate', '--output-style=static'], {
        DOCKYARD_BASE_REF: 'release-base',
      });
      expect(againstMoved.exitCode, againstMoved.all).not.toBe(0);
      expect(tasksFromCache(againstMoved.all)).toEqual([]);
      expect(againstMoved.all).toContain(
        'plugins/alerts/project.yaml:5:12: spec.version: version v0.2.0 does not increase on v0.2.0 at release-base',
      );
    });
  });
});
