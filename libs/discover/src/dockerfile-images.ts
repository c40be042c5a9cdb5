import { DockerfileParser } from 'dockerfile-ast';
import type { Finding } from './finding';

/**
 * Base images of a Dockerfile or Kubefile: `FROM` lines read with dockerfile-ast (the parser the
 * builder uses, so both agree on continuations, comments, quoting and escapes), with the
 * defaults of the `ARG`s declared before the first `FROM` substituted (`${X}`, `${X:-default}`),
 * skipping `scratch` and references to earlier build stages.
 */
export function imagesInDockerfile(file: string, text: string): Finding[] {
  const dockerfile = DockerfileParser.parse(text);
  const args = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    const value = property?.getValue();
    if (property && value !== null && value !== undefined) args.set(property.getName(), value);
  }
  const stages = new Set<string>();
  const findings: Finding[] = [];
  for (const from of dockerfile.getFROMs()) {
    const written = from.getImage() ?? '';
    const image = written.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (_, braced?: string, modifier?: string, word?: string, bare?: string) => {
        const value = args.get((braced ?? bare)!);
        if (modifier === '+') return value ? (word ?? '') : '';
        return value || (modifier === '-' ? (word ?? '') : (value ?? ''));
      },
    );
    const isEarlierStage = stages.has(image.toLowerCase());
    const stage = from.getBuildStage();
    if (stage) stages.add(stage.toLowerCase());
    if (image === '' || image.toLowerCase() === 'scratch' || isEarlierStage) continue;
    findings.push({ text: image, source: { file, keyPath: 'FROM', line: from.getRange().start.line + 1 } });
  }
  return findings;
}
