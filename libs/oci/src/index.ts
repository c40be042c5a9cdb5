export * from './reference';
export * from './reserved-host';
export * from './digest';
export * from './media-types';
export * from './manifest';
export * from './auth/credentials';
export { lookupDockerConfig } from './auth/docker-config';
export { DEFAULT_RETRY } from './transport/retry';
export { basicAuthorization } from './transport/basic';
export * from './remote/errors';
export * from './remote/registry';
export * from './remote/manifests';
export * from './remote/blobs';
export * from './remote/uploads';
export * from './remote/catalog';
export * from './location/types';
export * from './location/registry-pool';
export * from './location/transport';
export * from './location/transports';
export { repoTag } from './location/docker-archive';
export { openBundle, splitImageName } from './location/bundle';
export * from './image/model';
export * from './image/config';
export * from './image/read';
export * from './image/mutate';
export * from './store/content-store';
export * from './copy/scheduler';
export * from './copy/copy-image';
export * from './copy/platform-filter';
export * from './tarball/tar-writer';
export { paddingFor } from './tarball/tar-header';
export * from './tarball/tar-reader';
export * from './tarball/compression';
export * from './tarball/tar-image-store';
export { BundleArchive, BUNDLE_INVENTORY, bundleFileDescriptor, type BundleContents } from './tarball/bundle-archive';
export { archiveReadError, bundleFileCompression } from './tarball/damaged-archive';
export { deterministicGzip } from './tarball/deterministic-gzip';
export {
  DockerArchiveWriter,
  dockerArchiveMembers,
  type ArchiveImage,
  type ArchiveMember,
} from './tarball/docker-archive-writer';
export { OciLayout, ociBlobPath } from './layout/oci-layout';
export { completeLayout, keepLayout, layoutBlobs, LayoutNotStoredError } from './layout/stored-layout';
export { RegistryStorage } from './registry-dir/registry-storage';
export * from './sync/image-list';
export * from './sync/sync-plan';
export * from './sync/sync-report';
export * from './sync/run-sync';
export * from './sync/progress';
