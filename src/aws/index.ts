// The AWS layer's public surface. Bundled on its own (dist/aws.js) and loaded only through
// `await import('../aws')`, so that nothing pays for the SDK until the first live call.

export { listProfiles, resolveCredentialsKey, ENVIRONMENT_PROFILE, namedProfile, credentialsLabel, defaultCredentialsKey, sharedFilePaths, findSyntaxProblems } from './profiles';
export { roleCredentialsKey, roleOfKey, assumedRoleOf, keyOfAssumedRole, accountLabel } from './credentialsKey';
export type { RoleKey } from './credentialsKey';
export type { ProfileInfo, ProfileKind } from './profiles';
export { AwsError, toAwsError, isThrottlingError } from './errors';
export type { AwsErrorCode, ErrorContext } from './errors';
export { ClientPool, CallCounter, endpointOf } from './clients';
export type { ClientPoolOptions, Service } from './clients';
export { DEFAULT_RETRY_POLICY, backoffDelay, withThrottleRetry } from './retry';
export type { RetryPolicy } from './retry';
export { loadTarget, inventoryFromRaw, AURORA_ENGINES, FILTER_VALUES_MAX, PAGE_SIZE } from './loader';
export type { RawTargetData, TargetLoad, TargetLoadOptions } from './loader';
export { loadLiveInventories, enabledRegions, mapWithConcurrency, DEFAULT_CONCURRENCY } from './live';
export { DEFAULT_LIMITS, RequestLimiter, Semaphore } from './throughput';
export type { RequestLimits } from './throughput';
export { loadOrganization, accountsLine, accountRegions, loadAccountTarget, accountError, summaryOf, DEFAULT_ACCOUNT_CONCURRENCY } from './org/audit';
export type { OrgRequest, OrgResult, OrgProgress, OrgSummary } from './org/audit';
export { listOrganization, sourceLabel } from './org/scope';
export type { OrgSource, OrgAccountStatus, AccountOutcome } from './org/scope';
export { sourceProblem } from './org/discovery';
export { collectOrganization, ACCOUNTS_FILE } from './org/collect';
export type { OrgCollectResult } from './org/collect';
export type { LiveRequest, LiveResult, LiveError } from './live';
export { runPlan } from './executor';
export type { RunOptions, RunResult, RunEvent, ExecStep } from './executor';
export { backoutRun, computeBackoutSteps, planBackout } from './backout';
export type { BackoutPreview, GroupLookup } from './backout';
export { JournalError, listRuns, readRun } from './journal';
export type { JournalRun, JournalStep, JournalSummary, RunStatus, StepStatus } from './journal';
export { readState, normaliseSnapshot, diffNormalised } from './state';
export type { StateSnapshot } from './state';
export { checkPreconditions } from './preconditions';
export { collectEvidence, evidenceDocuments, writeEvidenceFolder } from './collect';
export type { CollectRequest, CollectResult } from './collect';
