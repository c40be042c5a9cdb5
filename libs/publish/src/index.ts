export * from './object-store';
export * from './upload';
export * from './oci-artifact';
export * from './publish-targets';
