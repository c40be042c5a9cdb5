import type { Command } from '../command';

/** A verb as `--help` lists it. Its module, and the engines that module imports, load only when it runs. */
export interface Verb {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/** Every verb of `dockyard`, in the order `--help` lists them. */
export const verbs: Verb[] = [
  {
    name: 'validate',
    summary: 'check project.yaml files and workspace rules',
    load: async () => (await import('./validate.ts')).validateCommand,
  },
  {
    name: 'resolve',
    summary: 'pin component versions into project.lock.yaml',
    load: async () => (await import('./resolve.ts')).resolveCommand,
  },
  {
    name: 'collect',
    summary: 'fetch locked component files into dist/<project>/collect',
    load: async () => (await import('./collect.ts')).collectCommand,
  },
  {
    name: 'images',
    summary: 'list the images charts, manifests and shim lists will run',
    load: async () => (await import('./images.ts')).imagesCommand,
  },
  {
    name: 'sync',
    summary: 'copy the images of list files (or a project) to one or more registries',
    load: async () => (await import('./sync.ts')).syncCommand,
  },
  {
    name: 'copy',
    summary: 'copy an image between registries, OCI layouts, docker archives and registry storage',
    load: async () => (await import('./copy.ts')).copyCommand,
  },
  {
    name: 'build',
    summary: 'build a COPY/ADD-only Dockerfile or Kubefile daemonless, or an AppImage / Release image project',
    load: async () => (await import('./build.ts')).buildCommand,
  },
  {
    name: 'bundle',
    summary: 'write, verify or push a Release installer or Plugin package (byte-identical, deduplicated, deltas)',
    load: async () => (await import('./bundle.ts')).bundleCommand,
  },
  {
    name: 'sign',
    summary: 'sign a bundle: <bundle>.sigstore.json with its SLSA provenance (Sigstore bundle, key pair, offline)',
    load: async () => (await import('./sign.ts')).signCommand,
  },
  {
    name: 'verify',
    summary: 'check a signed bundle offline with a public key, and print the provenance it was signed with',
    load: async () => (await import('./verify.ts')).verifyCommand,
  },
  {
    name: 'inventory',
    summary: 'list what a registry holds as a bundle inventory (for bundle --since)',
    load: async () => (await import('./inventory.ts')).inventoryCommand,
  },
  {
    name: 'publish',
    summary: 'upload a bundle to S3/OSS object stores and push it to registries as an OCI artifact',
    load: async () => (await import('./publish.ts')).publishCommand,
  },
  {
    name: 'prepare',
    summary: "fetch a ContainerImage project's openEuler base archives (sha256-checked) into the content store",
    load: async () => (await import('./prepare.ts')).prepareCommand,
  },
  {
    name: 'check',
    summary: 'run a built ContainerImage on every arch: OS, arch, timezone, os-release VERSION, its test script',
    load: async () => (await import('./check.ts')).checkCommand,
  },
  {
    name: 'ci',
    summary: 'the steps of the CI workflows: affected plan, shards, run times, /build comments, job summary',
    load: async () => (await import('./ci.ts')).ciCommand,
  },
];
