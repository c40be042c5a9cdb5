export { streamToFileAtomic, tempPathFor, writeFileAtomic } from './atomic-write';
export { parseLineList, type ListLine } from './line-list';
export { makeDirectory } from './make-directory';
export { forgetTemp, sweepStaleTemps, trackTemp } from './temp-files';
