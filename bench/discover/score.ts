/**
 * Recall and precision of static image discovery against the fixtures under
 * test/fixtures/charts/<name>/: discovery reads only `input/`; the truth is read by this scorer alone:
 *
 *   expected-images.txt    what `helm template` renders with default values (normalised references)
 *   expected-optional.txt  what a setting switches on (metrics, volumePermissions, disabled subcharts)
 *   expected-tests.txt     `helm test` pods' images
 *   SOURCE.md              present on fixtures reconstructed from a named public chart
 *
 * Scored twice: with the defaults (optional images listed: truth = images + optional) and with
 * optional images excluded (truth = images). Test images are scored apart, against images.json's
 * `test: true` marks, since they stay out of images.list.
 *
 *   node -r @swc-node/register bench/discover/score.ts [--json]
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLineList } from '@dockyard/files';
import { discoverImages, type DiscoveredImage } from '@dockyard/discover';

export interface Score {
  expected: number;
  found: number;
  truePositives: number;
  missed: string[];
  extra: string[];
}

export interface FixtureScore extends Score {
  fixture: string;
  /** Modelled on a real public chart (SOURCE.md names it), rather than written alongside the code. */
  realWorldShape: boolean;
  /** Optional images excluded. */
  excludingOptional: Score;
  /** Images marked `test: true`. */
  tests: Score;
  /** Optional images found without `enabledBy`, or default ones marked optional. */
  wrongOptionalMarks: string[];
}

export const FIXTURES = join(__dirname, '../../test/fixtures/charts');

export async function scoreFixtures(root = FIXTURES): Promise<FixtureScore[]> {
  const scores: FixtureScore[] = [];
  for (const fixture of (await readdir(root)).sort()) {
    const dir = join(root, fixture);
    const input = join(dir, 'input');
    const [rendered, optional, tests] = await Promise.all(
      ['expected-images.txt', 'expected-optional.txt', 'expected-tests.txt'].map((f) => truth(join(dir, f))),
    );
    const all = (await discoverImages([input], { relativeTo: input })).images;
    const withoutOptional = (await discoverImages([input], { relativeTo: input, optional: 'exclude' })).images;
    const listed = (images: DiscoveredImage[]) => new Set(images.filter((i) => !i.test).map((i) => i.ref));
    const defaults = score(new Set([...rendered, ...optional]), listed(all));
    const wrongOptionalMarks = all
      .filter((i) => !i.test && (optional.has(i.ref) ? !i.enabledBy : rendered.has(i.ref) && i.enabledBy))
      .map((i) => i.ref);
    scores.push({
      fixture,
      realWorldShape: existsSync(join(dir, 'SOURCE.md')),
      ...defaults,
      excludingOptional: score(rendered, listed(withoutOptional)),
      tests: score(tests, new Set(all.filter((i) => i.test).map((i) => i.ref))),
      wrongOptionalMarks,
    });
  }
  return scores;
}

async function truth(file: string): Promise<Set<string>> {
  if (!existsSync(file)) return new Set();
  return new Set(parseLineList(await readFile(file, 'utf8')).map((l) => l.value));
}

function score(expected: Set<string>, found: Set<string>): Score {
  return {
    expected: expected.size,
    found: found.size,
    truePositives: [...found].filter((r) => expected.has(r)).length,
    missed: [...expected].filter((r) => !found.has(r)),
    extra: [...found].filter((r) => !expected.has(r)),
  };
}

export interface Totals {
  recall: number;
  precision: number;
  expected: number;
  found: number;
  truePositives: number;
}

export function totals(scores: Score[]): Totals {
  const expected = scores.reduce((n, s) => n + s.expected, 0);
  const found = scores.reduce((n, s) => n + s.found, 0);
  const truePositives = scores.reduce((n, s) => n + s.truePositives, 0);
  return {
    recall: expected === 0 ? 1 : truePositives / expected,
    precision: found === 0 ? 1 : truePositives / found,
    expected,
    found,
    truePositives,
  };
}

const percent = (t: Totals) =>
  `recall ${(t.recall * 100).toFixed(1)}% (${t.truePositives}/${t.expected}), precision ${(t.precision * 100).toFixed(1)}% (${t.truePositives}/${t.found})`;

async function main(): Promise<void> {
  const scores = await scoreFixtures();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ scores, totals: totals(scores) }, null, 2));
    return;
  }
  console.log('| fixture | shape | expected | found | correct | missed | extra |');
  console.log('| --- | --- | ---: | ---: | ---: | --- | --- |');
  for (const s of scores) {
    const problems = [
      ...s.wrongOptionalMarks.map((r) => `${r} (optional mark wrong)`),
      ...s.tests.missed.map((r) => `${r} (test pod)`),
    ];
    console.log(
      `| ${s.fixture} | ${s.realWorldShape ? 'real-world' : 'own'} | ${s.expected} | ${s.found} | ${s.truePositives} | ${[...s.missed, ...problems].join('<br>') || '–'} | ${[...s.extra, ...s.tests.extra.map((r) => `${r} (test mark)`)].join('<br>') || '–'} |`,
    );
  }
  for (const [label, group] of [
    ['all fixtures', scores],
    ['real-world shapes', scores.filter((s) => s.realWorldShape)],
    ['own fixtures', scores.filter((s) => !s.realWorldShape)],
  ] as const) {
    console.log(
      `\n${label}: default ${percent(totals(group))}; --exclude-optional ${percent(totals(group.map((s) => s.excludingOptional)))}; test pods ${percent(totals(group.map((s) => s.tests)))}; optional marks wrong: ${group.reduce((n, s) => n + s.wrongOptionalMarks.length, 0)}`,
    );
  }
}

if (require.main === module) void main();
