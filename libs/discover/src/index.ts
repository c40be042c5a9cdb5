export { discoverImages, type DiscoverOptions, type DiscoveryResult } from './discover';
export type { DiscoveredImage, DiscoveryProblem, Finding, SourcePosition } from './finding';
export {
  formatImagesJson,
  formatImagesList,
  toJson,
  writeImagesOutput,
  type ImagesOutputOptions,
} from './images-output';
