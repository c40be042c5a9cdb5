import { describe, expect, it } from 'vitest';
import { junitXml } from './junit';

describe('junitXml', () => {
  it('groups cases by suite, counts failures and escapes text', () => {
    const xml = junitXml([
      { suite: 'openeuler:22.03-lts-sp1', name: 'arm64: timezone', seconds: 0.5 },
      {
        suite: 'openeuler:22.03-lts-sp1',
        name: 'arm64: os-release VERSION',
        failure: 'VERSION "22.03 <x>" is not 22.03-lts-sp1',
        seconds: 0.25,
      },
      { suite: 'openeuler:24.03-lts', name: 'amd64: os', seconds: 1 },
    ]);
    expect(xml).toContain('<testsuite name="openeuler:22.03-lts-sp1" tests="2" failures="1" time="0.750">');
    expect(xml).toContain('<failure message="VERSION &quot;22.03 &lt;x&gt;&quot; is not 22.03-lts-sp1"/>');
    expect(xml).toContain('<testsuite name="openeuler:24.03-lts" tests="1" failures="0" time="1.000">');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>')).toBe(true);
  });
});
