import { DockyardError } from '@dockyard/errors';
import { DockerfileParser } from 'dockerfile-ast';

/**
 * openEuler's Dockerfile for base images (EulerPublisher's default): the rootfs of the arch being built, UTC as
 * the timezone and no shell timeout, bash as the command. Used when a project names no `dockerfile:`.
 */
export const DEFAULT_BASE_DOCKERFILE = `FROM scratch
ARG TARGETARCH
ADD openEuler-docker-rootfs.$TARGETARCH.tar.xz /
RUN ln -sf /usr/share/zoneinfo/UTC /etc/localtime && sed -i "s/TMOUT=300/TMOUT=0/g" /etc/bashrc
CMD ["bash"]
`;

/** The build-context name a Dockerfile `ADD`s the base rootfs of one arch by. */
export function rootfsContextName(arch: string): string {
  return `openEuler-docker-rootfs.${arch}.tar.xz`;
}

export interface DockerfileFacts {
  /** Whether some instruction runs a command, so only a container engine can build it. */
  runs: boolean;
}

/** What decides how a Dockerfile is built; refuses what cannot be built offline with Docker's legacy builder. */
export function dockerfileFacts(text: string, file: string): DockerfileFacts {
  const parsed = DockerfileParser.parse(text);
  const syntax = parsed.getDirectives().find((d) => d.getName().toLowerCase() === 'syntax');
  if (syntax) {
    throw new DockyardError(
      `${file}:${syntax.getRange().start.line + 1}: "# syntax=${syntax.getValue()}" asks BuildKit to fetch a frontend image from the network, which this build does not use (remove the line; Docker's built-in Dockerfile syntax reads the rest)`,
      { code: 'DOCKERFILE_REFUSED' },
    );
  }
  const keywords = parsed.getInstructions().map((i) => i.getKeyword().toUpperCase());
  return { runs: keywords.includes('RUN') || keywords.includes('ONBUILD') };
}
