/** project.yaml texts for the Nx suites: small, valid unless the name says otherwise, line numbers stable. */

export interface PluginFixture {
  name: string;
  port: number;
  slot: string;
  version?: string;
  description?: string;
}

export function pluginYaml({
  name,
  port,
  slot,
  version = 'v0.1.0',
  description = `${name} plugin`,
}: PluginFixture): string {
  return [
    'kind: Plugin',
    `name: ${name}`,
    'releaseRegistry: harbor.example.com',
    'spec:',
    `  version: ${version}`,
    `  description: ${description}`,
    '  service:',
    `    port: ${port}`,
    `    image: harbor.example.com/release/compass-plugins-${name}:${version}`,
    '  modules:',
    `    - name: ${name}`,
    `      slots: [${slot}]`,
    '',
  ].join('\n');
}

export function releaseYaml(name: string, ships: { plugins?: string[]; appImages?: string[] } = {}): string {
  const lines = ['kind: Release', `name: ${name}`, 'version: v1.0.0'];
  if (ships.plugins || ships.appImages) lines.push('ships:');
  if (ships.plugins) lines.push(`  plugins: [${ships.plugins.join(', ')}]`);
  if (ships.appImages) lines.push(`  appImages: [${ships.appImages.join(', ')}]`);
  return [...lines, ''].join('\n');
}

export function appImageYaml(name: string): string {
  return [
    'kind: AppImage',
    `name: ${name}`,
    'versions: ["1.25.3"]',
    'arches: [amd64]',
    `repository: docker.io/labring/${name}`,
    '',
  ].join('\n');
}

/** The sealos version folder an AppImage needs to validate (its versions fall back to latest/). */
export function appImageLayout(root: string): Record<string, string> {
  return {
    [`${root}/latest/init.sh`]: '#!/usr/bin/env bash\nmkdir -p manifests\n',
    [`${root}/latest/Kubefile`]: 'FROM scratch\nCOPY manifests manifests\n',
    [`${root}/latest/entrypoint.sh`]: '#!/usr/bin/env bash\nkubectl apply -f manifests/\n',
  };
}

export function containerImageYaml(name: string): string {
  return [
    'kind: ContainerImage',
    `name: ${name}`,
    'versions: ["24.03-LTS"]',
    'arches: [amd64, arm64]',
    'base:',
    '  repo: https://repo.openeuler.org',
    'registries:',
    '  - registry: docker.io',
    `    repository: openeuler/${name}`,
    '',
  ].join('\n');
}

export function cloudImageYaml(name: string): string {
  return [
    'kind: CloudImage',
    `name: ${name}`,
    'versions: ["24.03-LTS"]',
    'arches: [x86_64]',
    'source:',
    '  repo: https://repo.openeuler.org',
    '',
  ].join('\n');
}

/** One valid project of every kind; the Release ships the Plugin and the AppImage. */
export function everyKind(): Record<string, string> {
  return {
    'releases/product/project.yaml': releaseYaml('product', { plugins: ['alerts'], appImages: ['web'] }),
    'plugins/alerts/project.yaml': pluginYaml({ name: 'alerts', port: 8081, slot: 'sidebar.alerts' }),
    'releases/apps/web/project.yaml': appImageYaml('web'),
    ...appImageLayout('releases/apps/web'),
    'releases/containers/base/project.yaml': containerImageYaml('base'),
    'releases/cloud/vm/project.yaml': cloudImageYaml('vm'),
  };
}

export const EVERY_KIND_PROJECTS = {
  product: 'Release',
  alerts: 'Plugin',
  web: 'AppImage',
  base: 'ContainerImage',
  vm: 'CloudImage',
} as const;
