export { buildImages, hostPlatform, type BuildRequest, type BuildResult } from './build';
export { baseImageOpener, urlDownloader } from './base-images';
export {
  DockerfileError,
  dockerfileNeedsRun,
  findRunInstruction,
  parseDockerfile,
  type DockerInstruction,
  type ParsedDockerfile,
  type Stage,
} from './dockerfile';
export { GZIP_LEVEL } from './layer-builder';
export { writeBuild, type WrittenBuild } from './write-build';
