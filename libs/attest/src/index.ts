export * from './tool';
export * from './file-digest';
export * from './subject';
export * from './sbom';
