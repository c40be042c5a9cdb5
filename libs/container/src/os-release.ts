/** The fields of an /etc/os-release text (`KEY="value"` lines). */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) fields[match[1]!] = match[2]!.replace(/^(["'])(.*)\1$/, '$2');
  }
  return fields;
}

/**
 * openEuler's VERSION as a tag: lower-cased, spaces → `-`, parentheses dropped (`22.03 (LTS-SP1)` → `22.03-lts-sp1`),
 * the form EulerPublisher's check compares with the tag.
 */
export function versionAsTag(version: string): string {
  return version.toLowerCase().replace(/[()]/g, '').trim().replace(/\s+/g, '-');
}
