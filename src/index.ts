/**
 * leavegate as a library: the same pipeline as the CLI.
 *
 *   collect (AWS) -> Snapshot -> evaluateSnapshot(snapshot, sha256, await loadGateConfig(...)) -> Report -> writeReports
 *
 * Everything after collection is pure and runs offline. The AWS collector and
 * the executor are separate entry points (`collect`, `runLeave`) so that
 * offline users never load the AWS SDK.
 */
export { evaluateSnapshot, exitCodeFor, loadGateConfig, snapshotSha256 } from './check.js';
export type { CheckInputs, GateConfig } from './check.js';
export { compareReports } from './compare.js';
export type { Comparison, AccountChange } from './compare.js';
export {
  InputError,
  LeavegateError,
  UsageError,
  CollectError,
  ExecuteRefusedError,
  formatIssue,
} from './errors.js';
export type { ErrorCode, Issue, Result } from './errors.js';
export { deriveFacts } from './facts/derive.js';
export { BUILTIN_FACTS } from './facts/registry.js';
export { loadAttestationsFile, validateAttestations } from './facts/load-attestations.js';
export type * from './facts/types.js';
export { evaluateAccounts } from './gate/index.js';
export { runRules } from './engine/evaluate.js';
export { evaluateScpChain, evaluateIdentity, principalFromArn } from './policy/index.js';
export type {
  Decision,
  PolicyInput,
  ScpLevel,
  PrincipalContext,
  ConditionTrace,
  StatementRef,
  Verdict as PolicyVerdict,
  ScpEvaluationInput,
  IdentityEvaluationInput,
} from './policy/types.js';
export { builtinRulesDir, loadRulePack, validateRule, vocabulary } from './rules/load.js';
export { loadPlugin, validatePlugin } from './rules/plugins.js';
export { loadWaiversFile, validateWaivers } from './gate/waivers.js';
export type * from './rules/types.js';
export * from './report/index.js';
export { loadSnapshotFile, saveSnapshotFile, validateSnapshot } from './snapshot/load.js';
export type * from './snapshot/types.js';
import type { Snapshot } from './snapshot/types.js';
import type { CollectOptions } from './collect/index.js';
export type { CollectOptions };
export { schemaPath, validateSchema } from './schema.js';

/** Live collection from AWS (loads the AWS SDK on first use). */
export async function collect(options: CollectOptions): Promise<Snapshot> {
  const mod = await import('./collect/index.js');
  return mod.collect(options);
}
