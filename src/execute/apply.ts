/**
 * Applies one account's plan: recheck the facts, audit, make the change's
 * call (retried, rate-limited), audit the outcome, verify.
 * Effects go through injected functions only (AWS port, recheck, audit sink,
 * clock), so every path is testable without a network.
 */
import { errorMessage } from '../collect/errors.js';
import type { MemberPort } from './aws-port.js';
import type { AuditDecisionRecord, AuditOutcomeRecord, AuditRecord } from './audit.js';
import { changedParts } from './drift.js';
import type { FactPart, FactsFingerprint } from './drift.js';
import type { MappedLeaveError } from './errors-map.js';
import { LEAVE, type MembershipChange } from './change.js';
import { reasonLine } from './gate.js';
import type { LeavePlan, Refusal } from './gate.js';
import { withRetry } from './retry.js';
import type { RateGate, RetryOutcome, RetryPolicy, Sleep } from './retry.js';

/** What each fingerprint part covers, for the drift refusal. */
const PART_WORDS: Record<FactPart, string> = {
  organization: 'organization settings (trusted service access included)',
  account: 'the account record (state, tags, principal policies, contact information)',
  ouPath: 'its OU path',
  policies: 'SCPs attached on its path',
  delegatedAdministrators: 'its delegated-administrator registrations',
  errors: 'what could be collected (collection errors differ)',
};

/** Run-wide facts copied into each audit record. */
export interface ApplyContext {
  runId: string;
  toolVersion: string;
  operatorArn?: string;
  snapshotSha256: string;
  /** The evaluation clock the decision was taken on. */
  clock?: AuditDecisionRecord['clock'];
  reportSha256?: string;
  reportFile?: string;
  tagsFile: string;
  /** Fingerprint of the facts the evaluation read for this account. */
  factsBefore: FactsFingerprint;
  dryRun: boolean;
}

/** What the recheck right before the call found. */
export interface Recheck {
  /** Fingerprint of the re-collected facts. */
  facts: FactsFingerprint;
  /**
   * Set when the gate, run again on the re-collected and re-evaluated account,
   * no longer lets it leave (an attestation or waiver expired since the
   * evaluation, a plugin fact changed).
   */
  refusal?: Refusal;
}

export interface ApplyDeps {
  member: MemberPort;
  /** Re-collects the account (cheap, scoped), re-evaluates and re-gates it, and fingerprints its facts. */
  recheck: () => Promise<Recheck>;
  audit: (record: AuditRecord) => Promise<void>;
  rateGate: RateGate;
  retry: RetryPolicy;
  /** DescribeOrganization after a successful call: how often and how far apart (eventual consistency). */
  verify: { attempts: number; delayMs: number };
  sleep: Sleep;
  now: () => Date;
  random?: () => number;
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

export type ApplyOutcome =
  | 'left'
  | 'transferred'
  | 'already-out'
  | 'dry-run'
  | 'drifted'
  | 'recheck-failed'
  | 'refused-by-aws'
  | 'failed'
  | 'unverified';

export interface ApplyResult {
  accountId: string;
  outcome: ApplyOutcome;
  exitCode: number;
  /** One line for the summary, subject first. */
  message: string;
  /** Attempts of the call (0 when it was not made). */
  attempts: number;
  requestId?: string;
  error?: MappedLeaveError;
  changed?: FactPart[];
}

/** Applies `plan`. Never throws for AWS failures; an audit write failure throws before the call. */
export async function applyChange(
  change: MembershipChange,
  plan: LeavePlan,
  ctx: ApplyContext,
  deps: ApplyDeps,
): Promise<ApplyResult> {
  const step: Step = { change, plan, ctx, deps, who: `account ${plan.accountId}` };
  // 1. Recompute right before the irreversible step; refuse if the world moved.
  const checked = await recheckBeforeCall(step);
  if (!checked.ok) return checked.result;
  const after = checked.facts;
  if (ctx.dryRun) {
    await deps.audit(decisionRecord(step, 'dry-run', { recheckFactsSha256: after.sha256 }));
    return {
      accountId: plan.accountId,
      outcome: 'dry-run',
      exitCode: 0,
      message: `${step.who}: dry run: would call ${change.operation} as ${plan.callerArn} to ${change.describe(plan)} (facts unchanged since the evaluation)`,
      attempts: 0,
    };
  }
  // 2. The decision is on disk (fsync'd) before AWS hears of it.
  await deps.audit(decisionRecord(step, change.command, { recheckFactsSha256: after.sha256 }));
  // 3. The call.
  const result = await callWithRetries(step);
  return result.ok
    ? accepted(step, result.value.requestId, result.attempts)
    : failed(step, change.mapError(result.error, plan.accountId), result.attempts);
}

/** One applyChange's arguments, handed to each of its steps. */
interface Step {
  change: MembershipChange;
  plan: LeavePlan;
  ctx: ApplyContext;
  deps: ApplyDeps;
  /** `account <id>`, the subject of every message. */
  who: string;
}

function decisionRecord(
  { change, plan, ctx, deps }: Step,
  d: AuditDecisionRecord['decision'],
  extra: Partial<AuditDecisionRecord> = {},
): AuditDecisionRecord {
  const r: AuditDecisionRecord = {
    schemaVersion: 1,
    event: `${change.command}.decision`,
    time: deps.now().toISOString(),
    runId: ctx.runId,
    tool: { name: 'leavegate', version: ctx.toolVersion },
    accountId: plan.accountId,
    organizationId: plan.organizationId,
    callerArn: plan.callerArn,
    decision: d,
    rulePacks: plan.rulePacks,
    snapshotSha256: ctx.snapshotSha256,
    ...(ctx.clock !== undefined && { clock: ctx.clock }),
    factsSha256: ctx.factsBefore.sha256,
    tagsFile: ctx.tagsFile,
    tagCount: plan.tags.length,
    tags: plan.tags,
    rules: plan.ruleStatuses,
    ...(plan.transfer !== undefined && {
      handshakeId: plan.transfer.handshakeId,
      targetOrganizationId: plan.transfer.targetOrganizationId,
    }),
    ...extra,
  };
  if (plan.accountName !== undefined) r.accountName = plan.accountName;
  if (ctx.operatorArn !== undefined) r.operatorArn = ctx.operatorArn;
  if (ctx.reportSha256 !== undefined) r.reportSha256 = ctx.reportSha256;
  if (ctx.reportFile !== undefined) r.reportFile = ctx.reportFile;
  return r;
}

/** The re-collected facts when nothing moved; otherwise the refusal, already audited. */
async function recheckBeforeCall(
  step: Step,
): Promise<{ ok: true; facts: FactsFingerprint } | { ok: false; result: ApplyResult }> {
  const { change, ctx, deps, who } = step;
  let recheck: Recheck;
  try {
    recheck = await deps.recheck();
  } catch (err) {
    const message = `${who}: cannot recheck the organization before leaving: ${errorMessage(err)}`;
    return refusedBeforeCall(step, { outcome: 'recheck-failed', exitCode: 3, reasons: [message] });
  }
  const after = recheck.facts;
  const changed = changedParts(ctx.factsBefore, after);
  if (changed.length > 0) {
    const what = changed.map((p) => `${p}: ${PART_WORDS[p]}`).join('; ');
    const message = `${who}: the organization changed since the evaluation (${what}): refusing; run ${change.command} again to re-evaluate`;
    return refusedBeforeCall(step, {
      outcome: 'drifted',
      exitCode: 1,
      reasons: [message],
      recheckFactsSha256: after.sha256,
      changed,
    });
  }
  const { refusal } = recheck;
  if (refusal !== undefined) {
    const message = `${who}: no longer passes the gate at the recheck: ${refusal.summary}`;
    // 0 only means "already out"; anything the gate refuses here must not read as success.
    const exitCode = refusal.exitCode === 0 ? 1 : refusal.exitCode;
    return refusedBeforeCall(step, {
      outcome: 'drifted',
      exitCode,
      reasons: [message, ...refusal.reasons.map(reasonLine)],
      recheckFactsSha256: after.sha256,
    });
  }
  return { ok: true, facts: after };
}

/** Why the recheck stops the call: the first reason is the summary, the rest its details. */
interface RecheckRefusal {
  outcome: 'recheck-failed' | 'drifted';
  exitCode: number;
  reasons: string[];
  /** Absent when the recheck itself failed. */
  recheckFactsSha256?: string;
  changed?: FactPart[];
}

async function refusedBeforeCall(
  step: Step,
  r: RecheckRefusal,
): Promise<{ ok: false; result: ApplyResult }> {
  const { outcome, exitCode, reasons, recheckFactsSha256, changed } = r;
  await step.deps.audit(
    decisionRecord(step, outcome === 'drifted' ? 'drifted' : 'refused', {
      reasons,
      exitCode,
      ...(recheckFactsSha256 !== undefined && { recheckFactsSha256 }),
    }),
  );
  const [summary, ...details] = reasons;
  const message = [summary, ...details.map((d) => `  - ${d}`)].join('\n');
  const result: ApplyResult = {
    accountId: step.plan.accountId,
    outcome,
    exitCode,
    message,
    attempts: 0,
    ...(changed !== undefined && { changed }),
  };
  return { ok: false, result };
}

/** The change's call, rate-limited, retried while its error maps to `retryable`. */
function callWithRetries({
  change,
  plan,
  deps,
  who,
}: Step): Promise<RetryOutcome<{ requestId?: string }>> {
  const mapError = (err: unknown) => change.mapError(err, plan.accountId);
  return withRetry(
    async () => {
      await deps.rateGate.take();
      return change.call(deps.member, plan);
    },
    (err) => mapError(err).kind === 'retryable',
    deps.retry,
    {
      sleep: deps.sleep,
      ...(deps.random === undefined ? {} : { random: deps.random }),
      onRetry: ({ attempt, delayMs, error }) =>
        deps.log(
          `${who}: attempt ${attempt} failed (${mapError(error).code}); retrying in ${delayMs} ms`,
        ),
    },
  );
}

async function outcomeRecord(
  { change, plan, ctx, deps }: Step,
  attempts: number,
  outcome: AuditOutcomeRecord['outcome'],
  verified: boolean,
  requestId: string | undefined,
  error?: MappedLeaveError,
): Promise<void> {
  await deps.audit({
    schemaVersion: 1,
    event: `${change.command}.outcome`,
    time: deps.now().toISOString(),
    runId: ctx.runId,
    accountId: plan.accountId,
    outcome,
    attempts,
    ...(requestId === undefined ? {} : { requestId }),
    verified,
    ...(error === undefined
      ? {}
      : { error: { code: error.code, message: error.message, rules: error.rules } }),
  });
}

/** AWS accepted the call: done only once verification sees it. */
async function accepted(
  step: Step,
  requestId: string | undefined,
  attempts: number,
): Promise<ApplyResult> {
  const { change, plan, who } = step;
  const verified = await verifyDone(change, plan, step.deps);
  await outcomeRecord(
    step,
    attempts,
    verified ? change.doneOutcome : 'unverified',
    verified,
    requestId,
  );
  const rid = requestId === undefined ? '' : ` (request id ${requestId})`;
  const said = verified
    ? {
        outcome: change.doneOutcome,
        exitCode: 0,
        message: `${who} ${change.described(plan)}${rid}`,
      }
    : {
        outcome: 'unverified' as const,
        exitCode: 1,
        message: `${who}: AWS accepted ${change.operation}${rid}, but ${change.notVerified}: check it before acting on it`,
      };
  return {
    accountId: plan.accountId,
    ...said,
    attempts,
    ...(requestId === undefined ? {} : { requestId }),
  };
}

/** The call failed for good; an `already-out` answer counts as done only when verified. */
async function failed(
  step: Step,
  mapped: MappedLeaveError,
  attempts: number,
): Promise<ApplyResult> {
  const { change, plan, who } = step;
  const requestId = mapped.requestId === undefined ? {} : { requestId: mapped.requestId };
  if (mapped.kind === 'already-out') {
    // Typically an earlier attempt that timed out did succeed; believe it only when verified.
    const verified = await verifyDone(change, plan, step.deps);
    const outcome = verified ? 'already-out' : 'failed';
    await outcomeRecord(step, attempts, outcome, verified, mapped.requestId, mapped);
    if (verified) {
      return {
        accountId: plan.accountId,
        outcome: 'already-out',
        exitCode: 0,
        message: `${who} is no longer in an organization (verified); AWS answered ${mapped.code} on attempt ${attempts}, so an earlier attempt or someone else removed it`,
        attempts,
        ...requestId,
        error: mapped,
      };
    }
  } else {
    const outcome = mapped.kind === 'refused' ? 'refused-by-aws' : 'failed';
    await outcomeRecord(step, attempts, outcome, false, mapped.requestId, mapped);
  }
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  return {
    accountId: plan.accountId,
    outcome: mapped.kind === 'refused' ? 'refused-by-aws' : 'failed',
    exitCode: mapped.exitCode === 0 ? 1 : mapped.exitCode,
    message: `${mapped.message}${tries}. Next: ${mapped.remediation}`,
    attempts,
    ...requestId,
    error: mapped,
  };
}

/** True once DescribeOrganization as the member shows the change done. */
async function verifyDone(
  change: MembershipChange,
  plan: LeavePlan,
  deps: ApplyDeps,
): Promise<boolean> {
  for (let i = 0; i < Math.max(1, deps.verify.attempts); i++) {
    if (i > 0) await deps.sleep(deps.verify.delayMs);
    try {
      const m = await deps.member.describeOrganization();
      if (change.done(m, plan)) return true;
    } catch (err) {
      deps.log(`verify: DescribeOrganization failed: ${errorMessage(err)}`);
    }
  }
  return false;
}

/** `leavegate leave`'s apply: {@link applyChange} with LeaveOrganization. */
export function applyLeave(
  plan: LeavePlan,
  ctx: ApplyContext,
  deps: ApplyDeps,
): Promise<ApplyResult> {
  return applyChange(LEAVE, plan, ctx, deps);
}
