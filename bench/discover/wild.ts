/**
 * Recall and precision of `dockyard images --json` on real public charts (issue 20), each chart's
 * own `artifacthub.io/images` (bitnami: `images`) annotation taken as the truth and removed from the copy discovery
 * reads. Test pods are left out (the annotation does not list them). An extra image is "warned"
 * when a warning names the file:line it was found at; the others are wrong without a warning.
 *
 *   node -r @swc-node/register bench/discover/wild.ts [--cli tools/cli/bin/dockyard.cjs] CHART_DIR... [--json]
 *
 * `--cli` runs another checkout's CLI (the engine before a change). The charts come from outside
 * the repository (bench/README.md says which and how).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { checkReference, formatReference } from '@dockyard/oci';

/** Bitnami's source tree keeps the list as `images`; its published charts carry it as `artifacthub.io/images`. */
const ANNOTATIONS = ['artifacthub.io/images', 'images'];

interface Listed {
  ref: string;
  test?: boolean;
  sources: { file: string; line?: number }[];
}

interface ChartScore {
  chart: string;
  expected: number;
  found: number;
  correct: number;
  missed: string[];
  extra: string[];
  extraUnwarned: string[];
  warnings: number;
  subchartImages: number;
}

/** A digest names the image: `repo:tag@sha256:…` (the tag kept for people) and `repo@sha256:…` pull the same thing. */
const normalise = (text: string) => {
  const checked = checkReference(text.trim());
  if (!checked.ok) return text.trim();
  return formatReference(checked.ref.digest ? { ...checked.ref, tag: undefined } : checked.ref);
};

function scoreChart(dir: string, cli: string): ChartScore | undefined {
  const chartFile = join(dir, 'Chart.yaml');
  const document = parseDocument(readFileSync(chartFile, 'utf8'));
  const key = ANNOTATIONS.find((k) => typeof document.getIn(['annotations', k]) === 'string');
  if (key === undefined) return undefined;
  const annotation = document.getIn(['annotations', key]) as string;
  const truth = new Set((parse(annotation) as { image: string }[]).map((entry) => normalise(entry.image)));
  document.deleteIn(['annotations', key]);
  const work = mkdtempSync(join(tmpdir(), 'wild-'));
  try {
    const copy = join(work, basename(dir));
    cpSync(dir, copy, { recursive: true });
    writeFileSync(join(copy, 'Chart.yaml'), document.toString());
    const run = spawnSync('node', [cli, 'images', basename(dir), '--json'], { cwd: work, encoding: 'utf8' });
    const stdout = run.status === 0 ? run.stdout : '[]';
    const stderr = run.stderr;
    // Bitnami's list names the chart's own images only; its vendored subcharts' are counted apart.
    const own = (image: Listed) => image.sources.some((s) => !s.file.startsWith(`${basename(dir)}/charts/`));
    const all = (JSON.parse(stdout) as Listed[]).filter((i) => !i.test).map((i) => ({ ...i, ref: normalise(i.ref) }));
    const listed = all.filter(own);
    const warnings = stderr.split('\n').filter((l) => l.startsWith('warning:'));
    const found = new Set(listed.map((i) => i.ref));
    const extra = listed.filter((i) => !truth.has(i.ref));
    const warned = (image: Listed) =>
      image.sources.some((s) => warnings.some((w) => w.includes(`${s.file}:${s.line ?? ''}`)));
    return {
      chart: dir,
      expected: truth.size,
      found: found.size,
      correct: [...found].filter((r) => truth.has(r)).length,
      missed: [...truth].filter((r) => !found.has(r)),
      extra: extra.map((i) => i.ref),
      extraUnwarned: extra.filter((i) => !warned(i)).map((i) => i.ref),
      warnings: warnings.length,
      subchartImages: all.length - listed.length,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main(args: string[]): void {
  const cliAt = args.indexOf('--cli');
  const cli = resolve(cliAt >= 0 ? args[cliAt + 1] : join(__dirname, '../../tools/cli/bin/dockyard.cjs'));
  const charts = args.filter(
    (a, i) => !a.startsWith('--') && (cliAt < 0 || i !== cliAt + 1) && existsSync(join(a, 'Chart.yaml')),
  );
  const scores = charts.flatMap((dir) => scoreChart(dir, cli) ?? []);
  if (args.includes('--json')) {
    console.log(JSON.stringify(scores, null, 2));
    return;
  }
  const pct = (a: number, b: number) => (b === 0 ? '–' : `${((100 * a) / b).toFixed(1)}%`);
  console.log(
    '| chart | expected | found | correct | missed | extra (unwarned) |\n| --- | ---: | ---: | ---: | --- | --- |',
  );
  for (const s of scores)
    console.log(
      `| ${s.chart} | ${s.expected} | ${s.found} | ${s.correct} | ${s.missed.join(' ') || '–'} | ${s.extra.map((e) => (s.extraUnwarned.includes(e) ? `${e} (unwarned)` : e)).join(' ') || '–'} |`,
    );
  const sum = (key: 'expected' | 'found' | 'correct') => scores.reduce((n, s) => n + s[key], 0);
  const unwarned = scores.reduce((n, s) => n + s.extraUnwarned.length, 0);
  console.log(
    `\nsubchart images (not in the charts' own lists, not scored): ${scores.reduce((n, s) => n + s.subchartImages, 0)}`,
  );
  console.log(
    `${scores.length} charts: recall ${pct(sum('correct'), sum('expected'))} (${sum('correct')}/${sum('expected')}), precision ${pct(sum('correct'), sum('found'))} (${sum('correct')}/${sum('found')}), extra without a warning: ${unwarned}`,
  );
}

main(process.argv.slice(2));
