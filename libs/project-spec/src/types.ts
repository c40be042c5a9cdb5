/** Typed views of project.yaml, one per kind. The JSON Schemas in ../schemas are the source of truth. */

export type Kind = 'Release' | 'Plugin' | 'AppImage' | 'ContainerImage' | 'CloudImage';
export const KINDS: readonly Kind[] = ['Release', 'Plugin', 'AppImage', 'ContainerImage', 'CloudImage'];

export type Arch = 'amd64' | 'arm64' | 'loong64' | 'riscv64' | 'ppc64le' | 's390x';

export type RegistryCredentials =
  { usernameEnv: string; passwordEnv: string } | { username: string; passwordFile: string } | { dockerConfig: string };

export interface ObjectStoreTarget {
  url: string;
  endpoint?: string;
  region?: string;
  pathStyle?: boolean;
  credentials?: { accessKeyIdEnv: string; secretAccessKeyEnv: string };
}

/** Where a project's signing key is: a file or an environment variable (never the key), and its passphrase's variable. */
export type SigningSpec = ({ keyFile: string; keyEnv?: never } | { keyEnv: string; keyFile?: never }) & {
  passphraseEnv?: string;
};

export interface OciPublishTarget {
  repository: string;
  insecure?: boolean;
  credentials?: RegistryCredentials;
}

export interface RegistryEndpoint {
  registry: string;
  insecure?: boolean;
  credentials?: RegistryCredentials;
}

export interface SyncSpec {
  from: RegistryEndpoint & { rewrites?: { from: string; to: string }[] };
  to: RegistryEndpoint[];
  lists?: string[];
  concurrency?: number;
}

export interface TagPolicy {
  policy: 'newest' | 'semver' | 'regex' | 'pinned';
  range?: string;
  pattern?: string;
  value?: string;
  prereleases?: boolean;
}

export interface Component {
  name: string;
  git?: { url: string; tokenEnv?: string; tokenFile?: string };
  local?: string;
  helm?: { repo: string; chart: string; version?: string };
  image?: {
    repository: string;
    version?: string;
    pinDigest?: boolean;
    insecure?: boolean;
    credentials?: RegistryCredentials;
  };
  tag?: TagPolicy;
  paths?: string[];
  targetPath?: string;
}

export interface Release {
  kind: 'Release';
  name: string;
  version: string;
  description?: string;
  components?: Component[];
  placeholders?: Record<string, string>;
  images?: {
    stripRegistry?: boolean;
    extra?: string[];
    exclude?: string[];
    optional?: 'include' | 'exclude';
    tests?: 'include' | 'exclude';
  };
  sync?: SyncSpec;
  ships?: { plugins?: string[]; appImages?: string[] };
  bundle?: {
    name?: string;
    file?: string;
    releaseImage?: string;
    images?: {
      format?: 'registry-dir' | 'docker-archive' | 'oci';
      file?: string;
      from?: string;
      platforms?: string[];
      extra?: string[];
    };
    files?: { from?: string; url?: string; sha256?: string; to?: string; mode?: string }[];
  };
  build?: {
    image: string;
    from?: string;
    platforms?: string[];
    insecure?: boolean;
    credentials?: RegistryCredentials;
    files?: { from: string; to: string }[];
  };
  sign?: SigningSpec;
  publish?: { objectStore?: ObjectStoreTarget[]; oci?: OciPublishTarget[] };
}

export interface PluginModule {
  name: string;
  alias?: { zh?: string; en?: string };
  icon?: string;
  sources?: string[];
  slots?: string[];
}

export interface Plugin {
  kind: 'Plugin';
  name: string;
  alias?: string;
  releaseRegistry: string;
  spec: {
    class?: string;
    version: string;
    compassRequirement?: string;
    description?: string;
    note?: string;
    author?: string;
    service: {
      port: number;
      image: string;
      configs?: { envs?: { name: string; value?: string; description?: string }[]; files?: string[] };
      security?: { privileged?: boolean; clusterAccessible?: boolean; apiAccessible?: boolean };
      resources?: { limits?: ResourceList; requests?: ResourceList };
    };
    modules?: PluginModule[];
  };
  images?: string[];
  sync?: SyncSpec;
  sign?: SigningSpec;
  publish?: { objectStore?: ObjectStoreTarget[]; oci?: OciPublishTarget[] };
}

export interface ResourceList {
  cpu?: string | number;
  memory?: string;
}

export interface AppImage {
  kind: 'AppImage';
  name: string;
  description?: string;
  versions: string[];
  arches?: Arch[];
  latestFallback?: boolean;
  repository: string;
  insecure?: boolean;
  credentials?: RegistryCredentials;
  initTimeoutSeconds?: number;
  publish?: { registries?: { repository: string; insecure?: boolean; credentials?: RegistryCredentials }[] };
  chartValues?: Record<string, Record<string, unknown>>;
  /** Signs each pushed manifest digest and attaches its SBOM and provenance. */
  sign?: SigningSpec;
}

export interface ContainerImage {
  kind: 'ContainerImage';
  name: string;
  description?: string;
  versions?: string[];
  arches: Arch[];
  base?: { repo: string; index?: string };
  app?: { meta: string; latest?: boolean };
  dockerfile?: string;
  tags?: Record<string, string[]>;
  registries: (RegistryEndpoint & { repository: string })[];
  check?: { script?: string; timezone?: string };
  /** Signs each pushed manifest digest and attaches its SBOM and provenance. */
  sign?: SigningSpec;
}

export interface CloudImage {
  kind: 'CloudImage';
  name: string;
  description?: string;
  versions: string[];
  /** amd64, arm64; x86_64 and aarch64 are accepted as aliases. */
  arches: ('amd64' | 'arm64' | 'x86_64' | 'aarch64')[];
  source: { repo: string };
  repos?: { url: string; gpgkey?: string }[];
  rpms?: string[];
  cloudConfig?: string;
  targets?: {
    type: 'generic' | 'aws';
    upload?: ObjectStoreTarget;
    region?: string;
    bucket?: string;
    size?: string;
    method?: 'ebs-direct' | 'import';
    credentials?: { accessKeyIdEnv: string; secretAccessKeyEnv: string };
    endpoints?: { ec2?: string; ebs?: string; s3?: string };
  }[];
}

export type ProjectSpec = Release | Plugin | AppImage | ContainerImage | CloudImage;
