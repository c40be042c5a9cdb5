import { describe, expect, it } from 'vitest';
import { parseChallenge } from './challenge';

describe('parseChallenge', () => {
  it('reads realm, service and several scopes of a bearer challenge', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a:pull repository:b:pull,push"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.example.com/token',
        service: 'registry.example.com',
        scope: 'repository:a:pull repository:b:pull,push',
      },
    });
  });

  it('reads basic challenges and ignores unknown schemes', () => {
    expect(parseChallenge('Basic realm="dockyard-test"')).toEqual({
      scheme: 'basic',
      params: { realm: 'dockyard-test' },
    });
    expect(parseChallenge('Negotiate abc')).toBeUndefined();
    expect(parseChallenge(undefined)).toBeUndefined();
  });
});
