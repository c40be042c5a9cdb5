import { hasCode } from '@dockyard/errors';
import { describe, expect, it } from 'vitest';
import { formatLocation, locationName, locationSyntaxHelp, namedLocation, parseLocation } from './transports';

describe('locations', () => {
  it('parses each transport and formats it back', () => {
    for (const text of [
      'docker://127.0.0.1:5000/app:v1',
      'oci:/tmp/layout:app:v1',
      'docker-archive:/tmp/a.tar:app:v1',
      'registry-dir:/tmp/r:app:v1',
    ])
      expect(formatLocation(parseLocation(text))).toBe(text);
    expect(locationName(parseLocation('docker://127.0.0.1:5000/team/app:v1'))).toMatchObject({
      repository: 'team/app',
      tag: 'v1',
    });
  });

  it('names another image at the same place', () => {
    const renamed = namedLocation(parseLocation('oci:/tmp/layout:app:v1'), { repository: 'web', tag: 'v2' });
    expect(formatLocation(renamed)).toBe('oci:/tmp/layout:web:v2');
  });

  it('refuses text that names no transport, listing the syntax of each', () => {
    let failure: unknown;
    try {
      parseLocation('/tmp/layout');
    } catch (err) {
      failure = err;
    }
    expect((failure as Error).message).toMatch(/^"\/tmp\/layout" is not a location; use one of docker:\/\/.*oci:DIR/);
    expect(hasCode(failure, 'LOCATION_INVALID')).toBe(true);
    expect(locationSyntaxHelp().split('\n').length).toBeGreaterThanOrEqual(4);
  });
});
