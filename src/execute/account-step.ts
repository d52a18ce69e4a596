/**
 * The executor's per-account step: gate (pure) → confirm → apply (audit,
 * recheck, the change's call, verify), with a summary line for each account.
 */
import { snapshotSha256 } from '../check.js';
import type { Report } from '../report/types.js';
import { serializeSnapshot } from '../snapshot/load.js';
import type { Snapshot } from '../snapshot/types.js';
import { printable, printableLines } from '../text.js';
import { applyChange } from './apply.js';
import type { ApplyContext, ApplyDeps } from './apply.js';
import type { AuditDecisionRecord } from './audit.js';
import { factsFingerprint } from './drift.js';
import type { FactsFingerprint } from './drift.js';
import { alreadyOut, decide, reasonLine } from './gate.js';
import type { GateDecision, LeavePlan, Refusal } from './gate.js';
import { renderChecklist, renderPlan, renderRefusal } from './render.js';
import { DEFAULT_RETRY_POLICY } from './retry.js';
import { collectOptions, evaluate } from './run-context.js';
import type { AccountResult, Evaluation, Run } from './run-context.js';

/** The gate for one account, on a snapshot and the report evaluated from it. */
type AccountGate = (snapshot: Snapshot, report: Report) => GateDecision;

/** One account: already out, refused by the gate, not confirmed, or applied. */
export async function processAccount(
  run: Run,
  evaluation: Evaluation | undefined,
  accountId: string,
): Promise<AccountResult> {
  const identity = run.identities.get(accountId)!;
  if (alreadyOut(identity, accountId)) return recordAlreadyOut(run, accountId);
  // Every account that is not already out was collected and evaluated.
  if (evaluation === undefined) throw new Error(`internal: ${accountId} was not evaluated`);
  const { snapshot, report } = evaluation;
  const factsBefore = factsFingerprint(snapshot, accountId);
  const shared: Partial<AuditDecisionRecord> = {
    organizationId: report.snapshot.organizationId,
    rulePacks: report.rulePacks,
    ...(report.inputs !== undefined && { clock: report.inputs.clock }),
    snapshotSha256: evaluation.sha256,
    reportFile: evaluation.reportFile,
    factsSha256: factsBefore.sha256,
    ...(evaluation.reportSha256 !== undefined && { reportSha256: evaluation.reportSha256 }),
    ...(identity.caller.ok && { callerArn: identity.caller.arn }),
  };
  const gate: AccountGate = (fresh, freshReport) =>
    decide({
      accountId,
      report: freshReport,
      identity,
      managementAccountId: fresh.organization?.managementAccountId,
      evaluatedPrincipalArn: run.options.gate?.principalArn,
      handshakeId: run.config.transfer?.handshakeId,
    });
  const decision = gate(snapshot, report);
  if (!decision.ok) return recordRefusal(run, accountId, decision.refusal, shared);
  const { plan } = decision;
  run.out(renderPlan(run.change, plan, run.dryRun));
  const unconfirmed = await confirm(run, accountId, plan, shared);
  if (unconfirmed !== undefined) return unconfirmed;
  return apply(run, evaluation, plan, factsBefore, gate);
}

function decisionRecord(
  run: Run,
  accountId: string,
  decision: AuditDecisionRecord['decision'],
  extra: Partial<AuditDecisionRecord>,
): AuditDecisionRecord {
  return {
    schemaVersion: 1,
    event: `${run.change.command}.decision`,
    time: run.now().toISOString(),
    runId: run.runId,
    tool: { name: 'leavegate', version: run.version },
    accountId,
    decision,
    ...(run.operatorArn !== undefined && { operatorArn: run.operatorArn }),
    ...(run.config.transfer?.handshakeId !== undefined && {
      handshakeId: run.config.transfer.handshakeId,
    }),
    ...extra,
  };
}

async function recordAlreadyOut(run: Run, accountId: string): Promise<AccountResult> {
  const summary = `account ${accountId} is not in an organization (already left): nothing to do`;
  await run.audit(
    decisionRecord(run, accountId, 'already-out', { reasons: [summary], exitCode: 0 }),
  );
  run.out(summary);
  return { accountId, exitCode: 0, line: `${accountId}  already out` };
}

async function recordRefusal(
  run: Run,
  accountId: string,
  refusal: Refusal,
  shared: Partial<AuditDecisionRecord>,
): Promise<AccountResult> {
  run.out(renderRefusal(refusal));
  await run.audit(
    decisionRecord(run, accountId, refusal.kind === 'already-out' ? 'already-out' : 'refused', {
      ...shared,
      reasons: [refusal.summary, ...refusal.reasons.map(reasonLine)],
      exitCode: refusal.exitCode,
    }),
  );
  const line = `${accountId}  refused (${refusal.kind}, exit ${refusal.exitCode})`;
  return { accountId, exitCode: refusal.exitCode, line };
}

/** Asks for the account id unless --yes or --dry-run; the not-confirmed result when it does not match. */
async function confirm(
  run: Run,
  accountId: string,
  plan: LeavePlan,
  shared: Partial<AuditDecisionRecord>,
): Promise<AccountResult | undefined> {
  if (run.dryRun || run.options.yes === true) return undefined;
  const answer = await run.io.prompt(
    `Type the account id ${accountId} to let it ${run.change.describe(plan)} (this cannot be undone): `,
  );
  if (answer.trim() === accountId) return undefined;
  const message = `account ${accountId}: not confirmed (the answer did not match the account id): nothing was called`;
  run.out(message);
  await run.audit(
    decisionRecord(run, accountId, 'not-confirmed', {
      ...shared,
      reasons: [message],
      exitCode: 2,
    }),
  );
  return { accountId, exitCode: 2, line: `${accountId}  not confirmed` };
}

async function apply(
  run: Run,
  evaluation: Evaluation,
  plan: LeavePlan,
  factsBefore: FactsFingerprint,
  gate: AccountGate,
): Promise<AccountResult> {
  const { accountId } = plan;
  const { report } = evaluation;
  const ctx: ApplyContext = {
    runId: run.runId,
    toolVersion: run.version,
    ...(run.operatorArn !== undefined && { operatorArn: run.operatorArn }),
    snapshotSha256: evaluation.sha256,
    ...(report.inputs !== undefined && { clock: report.inputs.clock }),
    ...(evaluation.reportSha256 !== undefined && { reportSha256: evaluation.reportSha256 }),
    reportFile: evaluation.reportFile,
    tagsFile: evaluation.tagsFile,
    factsBefore,
    dryRun: run.dryRun,
  };
  const result = await applyChange(run.change, plan, ctx, applyDeps(run, accountId, gate));
  run.out(printableLines(result.message));
  // The call went through (verified or not yet): what is left to do by hand.
  if (result.outcome === run.change.doneOutcome || result.outcome === 'unverified')
    run.out(renderChecklist(accountId, plan.impact));
  const rid = result.requestId === undefined ? '' : `  request id ${result.requestId}`;
  return { accountId, exitCode: result.exitCode, line: `${accountId}  ${result.outcome}${rid}` };
}

function applyDeps(run: Run, accountId: string, gate: AccountGate): ApplyDeps {
  return {
    member: run.port.member(accountId),
    // The same gate again on a fresh collection and evaluation: time moves on
    // (attestations and waivers expire) and plugin facts read what they like.
    recheck: async () => {
      const fresh = await run.deps.collect(collectOptions(run, [accountId]));
      const freshSha256 = snapshotSha256(serializeSnapshot(fresh));
      const again = gate(fresh, await evaluate(run, fresh, freshSha256));
      return {
        facts: factsFingerprint(fresh, accountId),
        ...(!again.ok && { refusal: again.refusal }),
      };
    },
    audit: run.audit,
    rateGate: run.rateGate,
    retry: run.deps.retry ?? DEFAULT_RETRY_POLICY,
    verify: run.deps.verify ?? { attempts: 5, delayMs: 1000 },
    sleep: run.sleep,
    now: run.now,
    ...(run.deps.random !== undefined && { random: run.deps.random }),
    log: (line) => run.err(`${run.change.command}: ${printable(line)}`),
  };
}
