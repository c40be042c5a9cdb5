export { linkFileAtomic, streamToFileAtomic, tempPathFor, writeFileAtomic } from './atomic-write';
export { checkedPath, confinedPath, fieldPath, PathEscapeError, pathProblem, type PathRule } from './confined-path';
export { replaceDirectory, swapDirectory } from './replace-directory';
export { parseLineList, type ListLine } from './line-list';
export { makeDirectory } from './make-directory';
export { onStopSignal } from './stop-signals';
export { forgetTemp, sweepStaleTemps, trackTemp } from './temp-files';
export { processIsAlive } from './process-alive';
export { epochIso, fileCommitTimes, givenSourceDateEpoch, sourceDateEpoch } from './source-date-epoch';
