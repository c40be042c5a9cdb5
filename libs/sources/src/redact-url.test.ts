import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('strips user:password and token userinfo from scheme URLs', () => {
    expect(redactUrl('https://alice:hunter2@git.example.com/org/repo.git')).toBe(
      'https://git.example.com/org/repo.git',
    );
    expect(redactUrl('HTTP://ghp_Secret123@charts.example.com/stable')).toBe('HTTP://charts.example.com/stable');
    expect(redactUrl('ssh://deploy:hunter2@git.example.com:2222/repo.git')).toBe('ssh://git.example.com:2222/repo.git');
  });

  it('redacts every URL inside a longer message', () => {
    expect(
      redactUrl("fatal: unable to access 'https://u:p4ss@a.example.com/x/': 403; see https://t0k@b.example.com/y"),
    ).toBe("fatal: unable to access 'https://a.example.com/x/': 403; see https://b.example.com/y");
  });

  it('keeps URLs without credentials, ssh users and scp-style remotes as they are', () => {
    for (const url of [
      'https://git.example.com/org/repo.git',
      'https://host/path@v1',
      'ssh://git@git.example.com/repo.git',
      'git@github.com:org/repo.git',
      '/srv/git/repo.git',
    ]) {
      expect(redactUrl(url)).toBe(url);
    }
  });
});
