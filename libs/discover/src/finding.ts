import type { ImageRef } from '../../oci/src/reference';

/** Where an image was found: the file (relative to the scan root) and the YAML key path or line. */
export interface ImageSource {
  file: string;
  keyPath?: string;
  line?: number;
}

/** One sighting of an image reference. */
export interface Finding {
  /** The reference as it would be rendered, before normalisation. */
  text: string;
  source: ImageSource;
  /** True when the image sits under `enabled: false` or a disabled subchart: helm would not render it. */
  disabled?: boolean;
  /** Values scan: the path of the image's map in the chart's effective values. */
  valuesPath?: string;
  /** Template scan: the `.Values` paths the rendered line read. */
  valuesRead?: string[];
}

export interface DiscoveredImage extends ImageRef {
  /** Normalised reference, e.g. `docker.io/library/nginx:1.25`. */
  ref: string;
  sources: ImageSource[];
}

/** A file that could not be read or parsed; discovery carries on without it. */
export interface DiscoveryProblem {
  file: string;
  message: string;
}
