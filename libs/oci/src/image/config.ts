import type { Platform } from '../manifest';
import { DockyardError } from '@dockyard/errors';

/** The image configuration (OCI image-spec config.md; Docker's is a superset with the same names). */
export interface ImageConfig {
  created?: string;
  author?: string;
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
  config?: ContainerConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: HistoryEntry[];
  [extension: string]: unknown;
}

export interface ContainerConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number };
  Shell?: string[];
  OnBuild?: string[] | null;
  ArgsEscaped?: boolean;
  [extension: string]: unknown;
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export function configPlatform(config: Pick<ImageConfig, 'os' | 'architecture' | 'variant'>): Platform {
  return { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) };
}

/** `linux/amd64` → a platform; `linux/arm64/v8` keeps the variant. */
export function parsePlatform(text: string): Platform {
  const [os, architecture, variant] = text.split('/');
  if (!os || !architecture)
    throw new DockyardError(`"${text}" is not a platform; write OS/ARCH[/VARIANT], e.g. linux/amd64`, {
      code: 'PLATFORM_INVALID',
    });
  return { os, architecture, ...(variant ? { variant } : {}) };
}
