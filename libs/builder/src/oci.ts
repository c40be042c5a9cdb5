// The builder's one doorway into libs/oci: everything it uses from the engine comes through its index.
export * from '@dockyard/oci';
