export { nxAffectedLister, planAffected, type AffectedLister, type AffectedPlan } from './affected-plan';
export { shardProjects, medianSeconds, type Shard } from './shard';
export { mergeRunTimes, projectTimesFromProfile, readRunTimes, writeRunTimes, type RunTimes } from './run-times';
export { workspaceProjects, type WorkspaceProject } from './workspace-projects';
export {
  buildRequest,
  parseBuildCommand,
  MEMBER_ASSOCIATIONS,
  type BuildRequest,
  type IssueCommentEvent,
} from './build-request';
export { buildAnswer, type BuildOutcome } from './build-answer';
export { appendJobSummary, postIssueComment, type GitHubAccess } from './github';
export { imageChanges, summaryMarkdown, type ImageChanges, type ReleaseChanges } from './release-changes';
export { keepInventories, releaseSummaries, type SummaryInput } from './release-summary';
export { s3CacheObjects, type CacheObjects } from './cache-objects';
export { nxCacheServer, type CacheEvent, type CacheTokens } from './nx-cache-server';
