/**
 * A synthetic Dockyard workspace at the size of a real platform release: every kind, Releases shipping their own
 * plugins and app images, and a release's worth of images spread over the Releases. Pure: it returns the files,
 * so the test suite (a small one) and the bench script (issue 17's 500 projects and 1,000 images) share it.
 */
export interface ScaleShape {
  projects: number;
  /** Images listed by the Releases (`images.extra`), spread round-robin. */
  images: number;
  /** `host[:port]` the Releases read their images from (`bundle.images.from`); a documentation-only host by default. */
  registry?: string;
}

export interface ScaleProject {
  name: string;
  kind: 'Release' | 'Plugin' | 'AppImage' | 'ContainerImage' | 'CloudImage';
  root: string;
}

export interface ScaleWorkspace {
  files: Record<string, string>;
  projects: ScaleProject[];
  /** Which Release ships each plugin and app image. */
  shippedBy: Map<string, string>;
  /** The image lines (`bench/img-NNNN:v1`), as the registry holds them. */
  images: string[];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** How many projects of each kind: a tenth Releases, a twentieth each container and cloud images, the rest plugins and apps. */
export function kindCounts(projects: number): Record<ScaleProject['kind'], number> {
  const Release = Math.max(1, Math.round(projects / 10));
  const ContainerImage = Math.round(projects / 20);
  const CloudImage = Math.round(projects / 20);
  const rest = Math.max(0, projects - Release - ContainerImage - CloudImage);
  const Plugin = Math.round((rest * 11) / 20);
  return { Release, Plugin, AppImage: rest - Plugin, ContainerImage, CloudImage };
}

export function imageName(index: number): string {
  return `bench/img-${pad(index, 4)}:v1`;
}

export function scaleWorkspace(shape: ScaleShape): ScaleWorkspace {
  const registry = shape.registry ?? 'registry.example.com';
  const counts = kindCounts(shape.projects);
  const files: Record<string, string> = {};
  const projects: ScaleProject[] = [];
  const shippedBy = new Map<string, string>();
  const releases = Array.from({ length: counts.Release }, (_, i) => `release-${pad(i, 3)}`);
  const ships = new Map(releases.map((r) => [r, { plugins: [] as string[], appImages: [] as string[] }]));
  const add = (kind: ScaleProject['kind'], name: string, root: string, text: string) => {
    projects.push({ name, kind, root });
    files[`${root}/project.yaml`] = text;
  };

  for (let i = 0; i < counts.Plugin; i++) {
    const name = `plugin-${pad(i, 4)}`;
    const release = releases[i % releases.length]!;
    ships.get(release)!.plugins.push(name);
    shippedBy.set(name, release);
    add(
      'Plugin',
      name,
      `plugins/${name}`,
      [
        'kind: Plugin',
        `name: ${name}`,
        'releaseRegistry: harbor.example.com',
        'spec:',
        '  version: v0.1.0',
        `  description: synthetic plugin ${i}`,
        '  service:',
        `    port: ${20000 + i}`,
        `    image: harbor.example.com/release/compass-plugins-${name}:v0.1.0`,
        '  modules:',
        `    - name: ${name}`,
        `      slots: [sidebar.${name}]`,
        '',
      ].join('\n'),
    );
  }
  for (let i = 0; i < counts.AppImage; i++) {
    const name = `app-${pad(i, 4)}`;
    const release = releases[i % releases.length]!;
    ships.get(release)!.appImages.push(name);
    shippedBy.set(name, release);
    const root = `apps/${name}`;
    add(
      'AppImage',
      name,
      root,
      [
        'kind: AppImage',
        `name: ${name}`,
        'versions: ["1.0.0"]',
        'arches: [amd64]',
        `repository: ${registry}/apps/${name}`,
        '',
      ].join('\n'),
    );
    files[`${root}/latest/init.sh`] = '#!/usr/bin/env bash\nmkdir -p manifests\n';
    files[`${root}/latest/Kubefile`] = 'FROM scratch\nCOPY manifests manifests\n';
  }
  for (let i = 0; i < counts.ContainerImage; i++) {
    const name = `container-${pad(i, 3)}`;
    add(
      'ContainerImage',
      name,
      `containers/${name}`,
      [
        'kind: ContainerImage',
        `name: ${name}`,
        'versions: ["24.03-LTS"]',
        'arches: [amd64, arm64]',
        'base:',
        '  repo: https://repo.openeuler.org',
        'registries:',
        `  - registry: ${registry}`,
        `    repository: containers/${name}`,
        '',
      ].join('\n'),
    );
  }
  for (let i = 0; i < counts.CloudImage; i++) {
    const name = `cloud-${pad(i, 3)}`;
    add(
      'CloudImage',
      name,
      `cloud/${name}`,
      [
        'kind: CloudImage',
        `name: ${name}`,
        'versions: ["24.03-LTS"]',
        'arches: [x86_64]',
        'source:',
        '  repo: https://repo.openeuler.org',
        '',
      ].join('\n'),
    );
  }
  const images = Array.from({ length: shape.images }, (_, i) => imageName(i));
  releases.forEach((name, r) => {
    const shipped = ships.get(name)!;
    const own = images.filter((_, i) => i % releases.length === r);
    const lines = ['kind: Release', `name: ${name}`, 'version: v1.0.0'];
    if (shipped.plugins.length || shipped.appImages.length) lines.push('ships:');
    if (shipped.plugins.length) lines.push(`  plugins: [${shipped.plugins.join(', ')}]`);
    if (shipped.appImages.length) lines.push(`  appImages: [${shipped.appImages.join(', ')}]`);
    if (own.length) {
      lines.push('images:', '  extra:', ...own.map((image) => `    - ${image}`));
      lines.push('bundle:', '  images:', `    from: ${registry}`, '    format: registry-dir');
    }
    add('Release', name, `releases/${name}`, [...lines, ''].join('\n'));
  });
  return { files, projects, shippedBy, images };
}
