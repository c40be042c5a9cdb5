import semver from 'semver';
import { parse } from 'yaml';
import { sha256Digest } from '@dockyard/oci';
import { httpGet } from './http-fetch';
import { redactUrl } from './redact-url';
import { SourceError } from './source-error';

export interface HelmChartVersion {
  version: string;
  /** Absolute download URL of the chart archive. */
  url: string;
  /** `sha256:<hex>` of the archive. */
  digest: string;
}

interface IndexEntry {
  version?: unknown;
  urls?: unknown;
  digest?: unknown;
}

/**
 * The newest version of `chart` in a Helm repository's `index.yaml` that satisfies `range`
 * (absent: the newest release; pre-releases only when the range names one, as Helm does).
 */
export async function resolveHelmChart(
  repo: string,
  chart: string,
  range: string | undefined,
): Promise<HelmChartVersion> {
  const base = repo.endsWith('/') ? repo : `${repo}/`;
  const indexUrl = new URL('index.yaml', base).toString();
  const shownIndex = redactUrl(indexUrl);
  let index: { entries?: Record<string, IndexEntry[]> };
  try {
    index = parse((await httpGet(indexUrl)).toString('utf8')) ?? {};
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw new SourceError(
      `${shownIndex} is not a valid Helm repository index: ${(err as Error).message}`,
      'check helm.repo',
      undefined,
      err,
    );
  }
  const entries = index.entries?.[chart];
  if (!Array.isArray(entries) || entries.length === 0) {
    const known = Object.keys(index.entries ?? {})
      .slice(0, 10)
      .join(', ');
    throw new SourceError(
      `chart ${chart} is not in ${shownIndex}`,
      known ? `charts there: ${known}` : 'check helm.repo and helm.chart',
    );
  }
  const wanted = range ?? '*';
  if (!semver.validRange(wanted, { loose: true }))
    throw new SourceError(`"${wanted}" is not a semver range`, 'write a range such as "15.x" or "^15.2.0"');
  const candidates = entries
    .filter((e) => typeof e.version === 'string' && semver.valid(e.version, { loose: true }))
    .filter((e) => semver.satisfies(e.version as string, wanted, { loose: true, includePrerelease: /-/.test(wanted) }))
    .sort((a, b) => semver.rcompare(a.version as string, b.version as string, true));
  const picked = candidates[0];
  if (!picked)
    throw new SourceError(
      `no version of chart ${chart} in ${shownIndex} matches "${wanted}"`,
      `versions there: ${entries
        .slice(0, 8)
        .map((e) => String(e.version))
        .join(', ')}`,
    );
  const first = Array.isArray(picked.urls) ? picked.urls[0] : undefined;
  if (typeof first !== 'string')
    throw new SourceError(
      `${shownIndex} lists no download URL for ${chart} ${String(picked.version)}`,
      'fix the repository index',
    );
  const url = new URL(first, base).toString();
  const digest =
    typeof picked.digest === 'string' && /^[0-9a-f]{64}$/.test(picked.digest)
      ? `sha256:${picked.digest}`
      : sha256Digest(await httpGet(url));
  return { version: picked.version as string, url, digest };
}

/** Downloads a locked chart archive and refuses it unless its sha256 matches the lock. */
export async function downloadHelmChart(locked: HelmChartVersion): Promise<Buffer> {
  const content = await httpGet(locked.url);
  const digest = sha256Digest(content);
  if (digest !== locked.digest) {
    throw new SourceError(
      `${redactUrl(locked.url)} has digest ${digest}, but the lock file expects ${locked.digest}`,
      'the chart was re-published under the same version; run `dockyard resolve` and review the change',
    );
  }
  return content;
}
