export { streamToFileAtomic, tempPathFor, writeFileAtomic } from './atomic-write';
export { parseLineList, type ListLine } from './line-list';
