/**
 * Whether `location` (DOCKYARD_STORE) names a shared tier (`docker://HOST/REPOSITORY`, `s3://BUCKET/PREFIX`) rather
 * than a local folder. A module of its own, without the tiers' clients, because the Nx plugin asks it while it infers
 * targets (a bundle's target caches only descriptors when a shared tier holds the bundle).
 */
export function isSharedStoreLocation(location: string | undefined): location is string {
  return location !== undefined && /^(docker|s3):\/\//.test(location);
}
