import * as cloudImage from '@dockyard/kinds/cloud-image';
import type { ParsedArgs } from '../command';

/** `dockyard prepare PROJECT` for a CloudImage: the base images into the content store. */
export async function prepareCloudImage(project: cloudImage.CloudImageProject): Promise<number> {
  const { store, bases } = await cloudImage.prepareProject(project);
  for (const base of bases)
    console.log(`${base.fetched ? 'fetched' : 'present'} ${base.version} ${base.arch} ${base.digest} ${base.url}`);
  console.log(
    `${bases.filter((b) => b.fetched).length} fetched, ${bases.filter((b) => !b.fetched).length} already in ${store.dir}`,
  );
  return 0;
}

/** `dockyard build PROJECT` for a CloudImage: every version × arch into dist/<name>/<version>/<arch>/. */
export async function buildCloudImage(project: cloudImage.CloudImageProject): Promise<number> {
  const builds = await cloudImage.buildProject(project, { log: (line) => console.error(line) });
  for (const build of builds) {
    const qcow2 = Object.keys(build.sha256).find((f) => f.endsWith('.qcow2'))!;
    console.log(
      `${build.version} ${build.arch}: ${build.outDir} (${qcow2} sha256:${build.sha256[qcow2]}, ${build.packages.length} rpms)`,
    );
  }
  return 0;
}

/** `dockyard check PROJECT` for a CloudImage: offline, and booted for amd64; JUnit in dist/<name>/check. */
export async function checkCloudImage(project: cloudImage.CloudImageProject): Promise<number> {
  const result = await cloudImage.checkProject(project);
  for (const c of result.cases)
    console.log(
      `${c.failure === undefined ? 'ok  ' : 'FAIL'} ${c.suite} ${c.name}${c.failure === undefined ? '' : `: ${c.failure}`}`,
    );
  console.log(`${result.cases.length - result.failed} passed, ${result.failed} failed; report ${result.report}`);
  return result.failed ? 1 : 0;
}

/** `dockyard publish PROJECT [--dry-run]` for a CloudImage. */
export async function publishCloudImage(
  project: cloudImage.CloudImageProject,
  values: ParsedArgs['values'],
): Promise<number> {
  const dryRun = Boolean(values['dry-run']);
  const result = await cloudImage.publishProject(project, { dryRun, log: (line) => console.error(line) });
  if (dryRun) {
    for (const line of result.plan) console.log(`would ${line}`);
    return 0;
  }
  for (const o of result.outcomes) {
    if (o.type === 'generic') {
      const bucket = /^[a-z0-9]+:\/\/[^/]+/.exec(o.url)![0];
      for (const u of o.uploads)
        console.log(`${u.status === 'uploaded' ? 'uploaded ' : 'unchanged'} ${bucket}/${u.key}`);
    } else console.log(`${o.reused ? 'found' : 'registered'} ${o.imageId} ${o.name} in ${o.region}`);
  }
  return 0;
}
