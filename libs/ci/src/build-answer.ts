import { stripVTControlCharacters } from 'node:util';
import type { BuildRequest } from './build-request';

export interface BuildOutcome {
  ok: boolean;
  /** What the build printed (Nx's output of the targets that ran). */
  log: string;
  /** A link to the workflow run, for the full log. */
  runUrl?: string;
}

/** Lines of a build's log that name a result: digests, and where they were pushed. */
function resultLines(log: string): string[] {
  return log
    .split('\n')
    .map((l) => stripVTControlCharacters(l).trimEnd())
    .filter((l) => /sha256:[0-9a-f]{12,}/.test(l));
}

const fence = (lines: string[]) => ['```', ...lines.map((l) => l.replace(/```/g, "'''")), '```'];

/** The comment answering a build command: what was built and pushed, or the error, or why nothing ran. */
export function buildAnswer(request: BuildRequest, outcome?: BuildOutcome): string {
  if (request.status === 'ignored') return '';
  if (request.status === 'refused') return `@${request.author} ✋ not building: ${request.reason}`;
  const what = `${request.project}${request.version ? ` ${request.version}` : ''}`;
  const from = request.folder ? ` from \`${request.root}/${request.folder}\`` : '';
  const run = outcome?.runUrl ? ` ([run](${outcome.runUrl}))` : '';
  if (!outcome) return `@${request.author} 🏗️ building ${what}${from}: ${request.targets.join(', ')}${run}`;
  if (outcome.ok) {
    const results = resultLines(outcome.log);
    return [
      `@${request.author} ✅ built ${what}${from}${run}`,
      '',
      ...(results.length ? fence(results.slice(-60)) : ['(no digests printed)']),
    ].join('\n');
  }
  const tail = outcome.log.trimEnd().split('\n').slice(-40);
  return [`@${request.author} ❌ building ${what}${from} failed${run}`, '', ...fence(tail)].join('\n');
}
