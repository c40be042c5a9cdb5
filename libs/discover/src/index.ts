export { discoverImages, type DiscoverOptions, type DiscoveryResult } from './discover';
export type { DiscoveredImage, DiscoveryProblem, Finding, ImageSource } from './finding';
export { formatImagesJson, formatImagesList, toJson, writeImagesOutput, type ImagesOutputOptions } from './images-output';
export { formatReference, formatWithoutRegistry, parseReference, type ImageReference, type ParseResult } from './reference';
