import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatImportedRelease, importChartsList } from './charts-list';

const chartsList = `metadata:
  name: compass-oem
  description: OEM release
spec:
  - repositoryFullName: acme/compass-charts
    resourcePaths: [release/app.yaml, release/db.yaml]
    targetPath: platform
  - repositoryFullName: acme/tools
`;

describe('importChartsList', () => {
  it('turns charts_list entries into git components with the newest-tag policy', () => {
    const imported = importChartsList(chartsList, 'charts_list.yaml', { tokenFile: 'token' });
    expect(imported.components).toEqual([
      {
        name: 'compass-charts',
        git: { url: 'https://github.com/acme/compass-charts.git', tokenFile: 'token' },
        tag: { policy: 'newest' },
        paths: ['release/app.yaml', 'release/db.yaml'],
        targetPath: 'platform',
      },
      {
        name: 'tools',
        git: { url: 'https://github.com/acme/tools.git', tokenFile: 'token' },
        tag: { policy: 'newest' },
      },
    ]);
    expect(parse(formatImportedRelease(imported, 'v2.7.0'))).toMatchObject({
      kind: 'Release',
      name: 'compass-oem',
      version: 'v2.7.0',
    });
  });

  it('keeps the reviewed tags of release_charts.yaml as pinned', () => {
    const text = chartsList.replace('    targetPath: platform', '    targetPath: platform\n    tag: v1.3.0-alpha.6');
    expect(
      importChartsList(text, 'release_charts.yaml', { gitBase: 'https://git.local/' }).components[0],
    ).toMatchObject({
      git: { url: 'https://git.local/acme/compass-charts.git' },
      tag: { policy: 'pinned', value: 'v1.3.0-alpha.6' },
    });
  });

  it('names the broken entry', () => {
    expect(() => importChartsList('spec:\n  - repositoryFullName: nope\n', 'charts_list.yaml')).toThrow(
      /spec\[0\]\.repositoryFullName must be "org\/repo"/,
    );
  });
});
