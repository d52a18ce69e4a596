/**
 * leavegate as a library: the same pipeline as the CLI.
 *
 *   collect (AWS) -> Snapshot -> evaluateSnapshot(snapshot, sha256, await loadGateConfig(...)) -> Report -> writeReports
 *
 * Everything after collection is pure and runs offline. The AWS collector and
 * the executor (`collect`, `runLeave`, `runTransfer`) load the AWS SDK on
 * first use, so offline users never load it. What is exported here is the
 * API (README "Library"); escaping helpers and renderer internals are not.
 * The declarations depend on no devDependency's types.
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
export type * from './report/types.js';
export { renderJson, assertValidReport, validateReport, loadReportFile } from './report/json.js';
export { verdictOf, overallVerdict, countWarnings } from './gate/verdict.js';
export { renderHtml, type HtmlOptions } from './report/html.js';
export { renderJunit } from './report/junit.js';
export { renderMarkdown, type MarkdownOptions } from './report/markdown.js';
export {
  writeReports,
  renderReport,
  isReportFormat,
  REPORT_FORMATS,
  REPORT_FILES,
  type ReportFormat,
  type WriteReportsOptions,
} from './report/write.js';
export { loadSnapshotFile, saveSnapshotFile, validateSnapshot } from './snapshot/load.js';
export type * from './snapshot/types.js';
import type { Snapshot } from './snapshot/types.js';
import type { CollectOptions } from './collect/index.js';
import type { LeaveDeps, LeaveIo, LeaveOptions } from './execute/options.js';
import type { Report } from './report/types.js';
import { renderSarif as renderSarifText } from './report/sarif.js';
export type { CollectOptions };
export type { LeaveDeps, LeaveIo, LeaveOptions, LeavePort, AwsAccess } from './execute/options.js';
export { schemaPath, validateSchema } from './schema.js';

/**
 * report.sarif (SARIF 2.1.0) as text. Declared here with its own type so that
 * the public declarations do not reach the SARIF object model, whose types
 * are a devDependency.
 */
export const renderSarif: (report: Report) => string = renderSarifText;

/** Live collection from AWS (loads the AWS SDK on first use). */
export async function collect(options: CollectOptions): Promise<Snapshot> {
  const mod = await import('./collect/index.js');
  return mod.collect(options);
}

/**
 * `leavegate leave`: fresh collection, the gate, confirmation through `io`,
 * tag export, audit record, recheck, LeaveOrganization, verification.
 * Resolves to the exit code (0 done, 1 blocked, 2 error or refused, 3 unknown).
 * Loads the executor and the AWS SDK on first use.
 */
export async function runLeave(
  options: LeaveOptions,
  io: LeaveIo,
  deps?: LeaveDeps,
): Promise<number> {
  const mod = await import('./execute/index.js');
  return mod.runLeave(options, io, deps);
}

/**
 * `leavegate transfer`: runLeave's pipeline with AcceptHandshake as the call
 * (`options.gate` must be a transfer gate: `mode: 'transfer'`, `transfer.handshakeId`).
 */
export async function runTransfer(
  options: LeaveOptions,
  io: LeaveIo,
  deps?: LeaveDeps,
): Promise<number> {
  const mod = await import('./execute/index.js');
  return mod.runTransfer(options, io, deps);
}
