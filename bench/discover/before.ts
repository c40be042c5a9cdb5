/**
 * The discovery engine as it was before issue 8 (commit 9f348ad, `includeDisabled` API), scored
 * on today's fixtures with today's truth (expected-images.txt + expected-optional.txt; test pods
 * count as extra, since that engine listed them as workloads), from an export of that commit:
 *
 *   rm -rf /tmp/old && mkdir /tmp/old && git archive 9f348ad libs | tar -x -C /tmp/old
 *   ln -s "$PWD/node_modules" /tmp/old/node_modules
 *   node -r @swc-node/register bench/discover/before.ts /tmp/old
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './score';

type OldDiscover = (
  paths: string[],
  options: { relativeTo: string; includeDisabled: boolean },
) => Promise<{ images: { ref: string }[] }>;

const lines = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
        .filter(Boolean)
    : [];

async function main(oldTree: string, root = FIXTURES): Promise<void> {
  // The old tree is a path known only at run time, so it is loaded with require, not an import.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { discoverImages } = require(join(oldTree, 'libs/discover/src')) as { discoverImages: OldDiscover };
  for (const group of ['real-world', 'own']) {
    for (const includeDisabled of [false, true]) {
      let expected = 0;
      let found = 0;
      let correct = 0;
      for (const fixture of readdirSync(root).sort()) {
        const dir = join(root, fixture);
        if (existsSync(join(dir, 'SOURCE.md')) !== (group === 'real-world')) continue;
        const truth = new Set([
          ...lines(join(dir, 'expected-images.txt')),
          ...lines(join(dir, 'expected-optional.txt')),
        ]);
        const { images } = await discoverImages([join(dir, 'input')], {
          relativeTo: join(dir, 'input'),
          includeDisabled,
        });
        const refs = new Set(images.map((i) => i.ref));
        expected += truth.size;
        found += refs.size;
        correct += [...refs].filter((r) => truth.has(r)).length;
      }
      console.log(
        `${group}, ${includeDisabled ? '--include-disabled' : 'defaults'}: recall ${((100 * correct) / expected).toFixed(1)}% (${correct}/${expected}), precision ${((100 * correct) / found).toFixed(1)}% (${correct}/${found})`,
      );
    }
  }
}

if (!process.argv[2]) throw new Error('usage: before.ts OLD_TREE (an export of commit 9f348ad, see the header)');
void main(process.argv[2]);
