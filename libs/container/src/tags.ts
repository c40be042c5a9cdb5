/** The tag of an openEuler version: lower-cased (`22.03-LTS-SP1` → `22.03-lts-sp1`). */
export function versionTag(version: string): string {
  return version.toLowerCase();
}

/** A base image's tags: its version tag, then the `tags:` table's extras for that version (in their order). */
export function baseTags(version: string, table: Record<string, string[]> = {}): string[] {
  const key = Object.keys(table).find((k) => k.toLowerCase() === version.toLowerCase());
  return [...new Set([versionTag(version), ...(key ? table[key]! : [])])];
}

/** openEuler's short OS code in app tags: `22.03-lts-sp3` → `2203sp3`, `22.03-lts` → `2203lts`, `23.09` → `2309`. */
export function osCode(osVersion: string): string {
  const [number, ...rest] = osVersion.toLowerCase().split('-');
  const suffix = rest.join('-');
  const sp = /^lts-(sp\d+)$/.exec(suffix);
  return `${number!.replace(/\./g, '')}${sp ? sp[1] : suffix.replace(/-/g, '')}`;
}

/** The default tag of an app image: `<appVersion>-oe<os code>` (`1.2.0` on `22.03-lts-sp3` → `1.2.0-oe2203sp3`). */
export function appTag(appVersion: string, osVersion: string): string {
  return `${appVersion}-oe${osCode(osVersion)}`;
}

/** Orders dotted versions numerically part by part (`1.10` after `1.9`); non-numeric parts compare as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const order = x !== '' && y !== '' && Number.isInteger(nx) && Number.isInteger(ny) ? nx - ny : x.localeCompare(y);
    if (order !== 0) return Math.sign(order);
  }
  return 0;
}
