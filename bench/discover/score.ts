/**
 * Recall and precision of static image discovery against the fixtures under
 * test/fixtures/charts/<name>/: discovery reads only `input/`; the expected list
 * (`expected-images.txt`, normalised references) is read by this scorer alone.
 *
 *   node -r @swc-node/register bench/discover/score.ts [--json]
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { discoverImages } from '../../libs/discover/src';

export interface FixtureScore {
  fixture: string;
  expected: number;
  found: number;
  truePositives: number;
  missed: string[];
  extra: string[];
}

export const FIXTURES = join(__dirname, '../../test/fixtures/charts');

export async function scoreFixtures(root = FIXTURES): Promise<FixtureScore[]> {
  const scores: FixtureScore[] = [];
  for (const fixture of (await readdir(root)).sort()) {
    const input = join(root, fixture, 'input');
    const expected = new Set(
      (await readFile(join(root, fixture, 'expected-images.txt'), 'utf8'))
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#')),
    );
    const { images } = await discoverImages([input], { relativeTo: input });
    const found = new Set(images.map((i) => i.ref));
    scores.push({
      fixture,
      expected: expected.size,
      found: found.size,
      truePositives: [...found].filter((r) => expected.has(r)).length,
      missed: [...expected].filter((r) => !found.has(r)),
      extra: [...found].filter((r) => !expected.has(r)),
    });
  }
  return scores;
}

export function totals(scores: FixtureScore[]): { recall: number; precision: number; expected: number; found: number; truePositives: number } {
  const expected = scores.reduce((n, s) => n + s.expected, 0);
  const found = scores.reduce((n, s) => n + s.found, 0);
  const truePositives = scores.reduce((n, s) => n + s.truePositives, 0);
  return { recall: truePositives / expected, precision: found === 0 ? 1 : truePositives / found, expected, found, truePositives };
}

async function main(): Promise<void> {
  const scores = await scoreFixtures();
  const sum = totals(scores);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ scores, ...sum }, null, 2));
    return;
  }
  console.log('| fixture | expected | found | correct | missed | extra |');
  console.log('| --- | ---: | ---: | ---: | --- | --- |');
  for (const s of scores) {
    console.log(`| ${s.fixture} | ${s.expected} | ${s.found} | ${s.truePositives} | ${s.missed.join('<br>') || '–'} | ${s.extra.join('<br>') || '–'} |`);
  }
  console.log(`\nrecall ${(sum.recall * 100).toFixed(1)}% (${sum.truePositives}/${sum.expected}), precision ${(sum.precision * 100).toFixed(1)}% (${sum.truePositives}/${sum.found})`);
}

if (require.main === module) void main();
