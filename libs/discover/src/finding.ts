import type { ImageRef } from '@dockyard/oci';

/** Where an image was found: the file (relative to the scan root) and the YAML key path or line. */
export interface SourcePosition {
  file: string;
  keyPath?: string;
  line?: number;
}

/** One sighting of an image reference. */
export interface Finding {
  /** The reference as it would be rendered, before normalisation. */
  text: string;
  source: SourcePosition;
  /**
   * Not rendered with the default values: the settings (in `--set` form, from the top chart's
   * values, e.g. `metrics.enabled=true`) that switch it on. Absent when the defaults render it.
   */
  optional?: string[];
  /** A `helm test` pod's image (`templates/tests/` or a `helm.sh/hook: test` resource). */
  test?: boolean;
  /** Why no reference can be known for this sighting: it is reported as a warning, never listed. */
  unresolved?: string;
  /**
   * Template scan: a line inside a block no setting switches on (`if .Values.dashboards` with
   * none configured). Not an image; the values it mentions are accounted for.
   */
  neverRendered?: boolean;
  /** Values scan: the path of the image's map in the chart's effective values. */
  valuesPath?: string;
  /** Template scan: the `.Values` paths the rendered line read. */
  valuesRead?: string[];
  /** The chart's own validation rejects its values (`fail` messages): why a reference it renders may be empty or broken. */
  chartFails?: string[];
  /** Template scan of an unresolved line whose values shape is listed in its place: that shape's path. */
  fallback?: string;
  /** Template scan of an unresolved line: the `.Values` paths it mentions. */
  mentions?: string[];
}

export interface DiscoveredImage extends ImageRef {
  /** Normalised reference, e.g. `docker.io/library/nginx:1.25`. */
  ref: string;
  sources: SourcePosition[];
  /** Present when no sighting renders with default values: the settings that switch the image on. */
  enabledBy?: string[];
  /** Every sighting is a `helm test` pod: listed in images.json, left out of images.list and bundles unless asked. */
  test?: boolean;
}

/** A file that could not be read or parsed, or an image that could not be resolved; discovery carries on without it. */
export interface DiscoveryProblem {
  file: string;
  line?: number;
  message: string;
}
