import type { Finding } from './finding';
import { unquote } from './template-images';

/**
 * Base images of a Dockerfile or Kubefile: `FROM` lines, with `ARG` defaults substituted,
 * skipping `scratch` and references to earlier build stages.
 */
export function imagesInDockerfile(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const args = new Map<string, string>();
  const stages = new Set<string>();
  logicalLines(text).forEach(({ line, number }) => {
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/i.exec(line);
    if (arg) {
      if (arg[2] !== undefined) args.set(arg[1], unquote(arg[2].trim()));
      return;
    }
    const from = /^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(line);
    if (!from) return;
    const image = from[1].replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}?/g, (_, name: string, fallback?: string) => args.get(name) ?? fallback ?? '');
    const isEarlierStage = stages.has(image.toLowerCase());
    if (from[2]) stages.add(from[2].toLowerCase());
    if (image === '' || image.toLowerCase() === 'scratch' || isEarlierStage) return;
    findings.push({ text: image, source: { file, keyPath: 'FROM', line: number } });
  });
  return findings;
}

function logicalLines(text: string): { line: string; number: number }[] {
  const lines: { line: string; number: number }[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (pending === '' && (trimmed === '' || trimmed.startsWith('#'))) return;
    if (pending === '') start = index + 1;
    if (trimmed.endsWith('\\')) {
      pending += `${trimmed.slice(0, -1)} `;
      return;
    }
    lines.push({ line: (pending + trimmed).trim(), number: start });
    pending = '';
  });
  return lines;
}
