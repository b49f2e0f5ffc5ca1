// The remediation layer: plans (fix + backout) for findings, and their renderings. Pure.

export { applicableFixes } from './applicable';
export { buildPlan } from './buildPlan';
export type { PlanRequest } from './context';
export { PlanError } from './errors';
export { NEW_GROUP_REF } from './fixes/dedicated';
export { fencedBlock, markdownText, renderMarkdown } from './markdown';
export { describeRule, ipPermissionOf } from './permissions';
export { renderScript, type ScriptPart } from './script';
export { commentText, quoteBash, quotePowerShell, renderCommandLine, type Shell } from './shell';
export { parseAllowedSource } from './sources';
export {
  applyStep, applySteps, ruleSetSignature, simulateAccount, SimulationError, unmetPreconditions,
  type SimulatedAccount, type SimulatedCluster, type SimulatedInstance,
} from './simulate';
