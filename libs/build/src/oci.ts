// The builder's one doorway into libs/oci: everything it uses from the engine comes through here.
export * from '../../oci/src/media-types';
export * from '../../oci/src/manifest';
export * from '../../oci/src/digest';
export * from '../../oci/src/image/model';
export * from '../../oci/src/image/mutate';
export * from '../../oci/src/image/config';
export * from '../../oci/src/image/read';
export { ContentStore } from '../../oci/src/store/content-store';
export { sortTarEntries, tarStream, type TarEntry } from '../../oci/src/tarball/tar-writer';
export { indexTar } from '../../oci/src/tarball/tar-reader';
