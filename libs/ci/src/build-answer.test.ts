import { describe, expect, it } from 'vitest';
import { buildAnswer } from './build-answer';
import type { BuildRequest } from './build-request';

const request: BuildRequest = {
  status: 'accepted',
  issue: 3,
  repository: 'acme/platform',
  author: 'ada',
  project: 'nginx',
  kind: 'AppImage',
  root: 'apps/nginx',
  version: '1.25.3',
  folder: 'latest/',
  targets: ['build', 'publish'],
};

describe('buildAnswer', () => {
  it('answers a success with the digest lines, a failure with the log tail, a refusal with the reason', () => {
    const log = 'noise\n\x1b[32mpushed\x1b[0m docker.io/labring/nginx:1.25.3 sha256:0123456789abcdef\nmore noise';
    const ok = buildAnswer(request, { ok: true, log, runUrl: 'https://run' });
    expect(ok).toContain('✅ built nginx 1.25.3 from `apps/nginx/latest/` ([run](https://run))');
    expect(ok).toContain('```\npushed docker.io/labring/nginx:1.25.3 sha256:0123456789abcdef\n```');
    expect(ok).not.toContain('noise');
    const failed = buildAnswer(request, { ok: false, log: 'line 1\nerror: init.sh exited 3' });
    expect(failed).toContain('❌ building nginx 1.25.3 from `apps/nginx/latest/` failed');
    expect(failed).toContain('error: init.sh exited 3');
    expect(
      buildAnswer({ status: 'refused', reason: 'no project named x', issue: 1, repository: 'a/b', author: 'bob' }),
    ).toBe('@bob ✋ not building: no project named x');
    expect(buildAnswer({ status: 'ignored', reason: 'x' })).toBe('');
    expect(buildAnswer(request)).toBe('@ada 🏗️ building nginx 1.25.3 from `apps/nginx/latest/`: build, publish');
  });
});
