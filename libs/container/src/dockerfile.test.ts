import { describe, expect, it } from 'vitest';
import { DEFAULT_BASE_DOCKERFILE, dockerfileFacts, rootfsContextName } from './dockerfile';

describe('dockerfileFacts', () => {
  it('sees the RUN of the default base Dockerfile, which ADDs the per-arch rootfs by its context name', () => {
    expect(dockerfileFacts(DEFAULT_BASE_DOCKERFILE, 'default')).toEqual({ runs: true });
    expect(DEFAULT_BASE_DOCKERFILE).toContain(`ADD ${rootfsContextName('$TARGETARCH')} /`);
  });

  it('finds no RUN in a Dockerfile that only adds files and sets metadata', () => {
    expect(dockerfileFacts('FROM scratch\nADD rootfs.tar /\nCMD ["bash"]\n', 'Dockerfile')).toEqual({ runs: false });
  });

  it('refuses a # syntax= line, naming its file and line', () => {
    const refuse = () => dockerfileFacts('# syntax=docker/dockerfile:1.4\nFROM scratch\n', 'releases/x/Dockerfile');
    expect(refuse).toThrow(expect.objectContaining({ code: 'DOCKERFILE_REFUSED' }));
    expect(refuse).toThrow(/^releases\/x\/Dockerfile:1: "# syntax=docker\/dockerfile:1.4" asks BuildKit/);
  });
});
