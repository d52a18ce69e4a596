/**
 * The executor pipeline shared by `leave` and `transfer`: validate every
 * input, identify the member credentials, collect afresh and evaluate (the
 * real clock), export tags, then per account gate (pure) → confirm → apply
 * (audit, recheck, the change's call, verify). Returns the exit code and
 * never exits.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { snapshotSha256 } from '../check.js';
import type { GateConfig } from '../check.js';
import { errorMessage } from '../collect/errors.js';
import type { CollectOptions } from '../collect/index.js';
import { LeavegateError, UsageError } from '../errors.js';
import { DEFAULT_MEMBER_ROLE } from '../facts/derive.js';
import { writeFileAtomically } from '../io.js';
import { toolVersion } from '../paths.js';
import type { Report } from '../report/types.js';
import { saveSnapshotFile, serializeSnapshot } from '../snapshot/load.js';
import type { Snapshot } from '../snapshot/types.js';
import { printable, printableLines } from '../text.js';
import { applyChange } from './apply.js';
import { appendAuditRecord } from './audit.js';
import type { AuditDecisionRecord, AuditRecord } from './audit.js';
import type { AwsPort } from './aws-port.js';
import type { MembershipChange } from './change.js';
import { factsFingerprint } from './drift.js';
import { alreadyOut, decide, reasonLine } from './gate.js';
import type { IdentityFacts } from './gate.js';
import type { LeaveDeps, LeaveIo, LeaveOptions, LeavePort } from './options.js';
import { renderChecklist, renderPlan, renderRefusal } from './render.js';
import { DEFAULT_RETRY_POLICY, RateGate } from './retry.js';
import { buildTagsExport, mergeTagsExports, restoreTagsScript } from './tags-export.js';
import type { TagsExport } from './tags-export.js';

/** LeaveOrganization accepts at most 5 accounts per second per organization. */
const MIN_CALL_INTERVAL_MS = 200;

/** Everything a run settled before its first account. */
interface Run {
  change: MembershipChange;
  options: LeaveOptions;
  io: LeaveIo;
  deps: LeaveDeps;
  accounts: string[];
  dryRun: boolean;
  outDir: string;
  auditFile: string;
  memberRole: string;
  runId: string;
  version: string;
  config: GateConfig;
  port: LeavePort;
  operatorArn: string | undefined;
  identities: Map<string, IdentityFacts>;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  out: (line: string) => void;
  err: (line: string) => void;
  audit: (record: AuditRecord) => Promise<void>;
  rateGate: RateGate;
}

/** The fresh evaluation of this run: never an earlier snapshot or report. */
interface Evaluation {
  snapshot: Snapshot;
  sha256: string;
  report: Report;
  reportSha256?: string;
  reportFile: string;
  tagsFile: string;
}

interface AccountResult {
  accountId: string;
  exitCode: number;
  line: string;
}

/** Exit code of the run: usage/config (2) over blocked (1) over unknown (3). */
function worst(codes: number[]): number {
  for (const c of [2, 1, 3]) if (codes.includes(c)) return c;
  return codes.find((c) => c !== 0) ?? 0;
}

/**
 * Runs one executor command. Exit code: 0 every account done (or already
 * out, or the dry run found it ready), 1 blocked / refused by AWS / changed
 * since the evaluation, 2 usage or configuration (including an unconfirmed
 * run) or an unexpected error, 3 readiness unknown.
 */
export async function runChange(
  change: MembershipChange,
  options: LeaveOptions,
  io: LeaveIo,
  deps: LeaveDeps,
): Promise<number> {
  const err = (line: string) => io.stderr.write(`${line}\n`);
  let port: LeavePort | undefined;
  try {
    const run = await prepare(change, options, io, deps, (p) => (port = p));
    const evaluation = await evaluateFresh(run);
    const results: AccountResult[] = [];
    const skipped: string[] = [];
    for (const accountId of run.accounts) {
      if (results.some((r) => r.exitCode !== 0) && options.keepGoing !== true) {
        skipped.push(accountId);
        continue;
      }
      results.push(await processAccount(run, evaluation, accountId));
    }
    return summarize(run, results, skipped);
  } catch (e) {
    if (e instanceof LeavegateError) {
      err(`leavegate: error [${e.code}] ${printableLines(e.message)}`);
      return e.exitCode;
    }
    // A crash is never exit 1 ("blocked"): 2, with one line saying what failed.
    err(`leavegate: ${change.command} failed: ${printable(errorMessage(e))}`);
    return 2;
  } finally {
    port?.close?.();
  }
}

/** Validates every input before AWS is called, then identifies the member credentials. */
async function prepare(
  change: MembershipChange,
  options: LeaveOptions,
  io: LeaveIo,
  deps: LeaveDeps,
  onPort: (port: LeavePort) => void,
): Promise<Run> {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const err = (line: string) => io.stderr.write(`${line}\n`);
  const accounts = validateAccounts(change, options.accounts);
  const dryRun = options.dryRun === true;
  if (!dryRun && options.yes !== true && !io.isTTY) {
    // Nothing is called at all: no terminal to confirm on and no --yes.
    throw new UsageError(
      `${change.command}: refusing to proceed without confirmation: stdin is not a terminal, so pass --yes to confirm (or --dry-run to see what would happen)`,
    );
  }
  const cwd = options.cwd ?? process.cwd();
  const outDir = resolve(cwd, options.outDir ?? 'reports');
  const auditFile = resolve(cwd, options.auditLog ?? join(outDir, 'audit.jsonl'));
  const memberRole = options.memberRole ?? DEFAULT_MEMBER_ROLE;
  const config = await deps.loadGateConfig({ ...options.gate, memberRole, cwd });
  // The gate must be asked about the call this run makes.
  if ((change.command === 'transfer') !== (config.mode === 'transfer'))
    throw new UsageError(`${change.command}: the gate was configured for ${config.mode}`);
  if (change.command === 'transfer' && config.transfer?.handshakeId === undefined)
    throw new UsageError('transfer: say which invitation to accept: --handshake h-...');
  const port = deps.createPort({
    memberRole,
    ...(options.externalId !== undefined && { externalId: options.externalId }),
    ...(options.profile !== undefined && { profile: options.profile }),
    ...(options.region !== undefined && { region: options.region }),
  });
  onPort(port);
  const operatorArn = await port.operatorIdentity().then(
    (id) => id.arn,
    (e: unknown) => {
      err(`${change.command}: cannot identify the management-side caller: ${errorMessage(e)}`);
      return undefined;
    },
  );
  // Who the member credentials are and where the account is, before collecting.
  const identities = new Map<string, IdentityFacts>();
  for (const id of accounts) identities.set(id, await probeIdentity(port, id));
  const now = io.now ?? (() => new Date());
  const sleep = io.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    ...{ change, options, io, deps, accounts, dryRun, outDir, auditFile, memberRole, config },
    ...{ port, operatorArn, identities, now, sleep, out, err },
    runId: randomUUID(),
    version: toolVersion(),
    audit: (record) => appendAuditRecord(auditFile, record),
    rateGate: new RateGate(MIN_CALL_INTERVAL_MS, () => now().getTime(), sleep),
  };
}

function collectOptions(run: Run, ids: string[]): CollectOptions {
  const { options, port } = run;
  const principalArn = options.gate?.principalArn;
  return {
    scope: { accounts: ids },
    memberRole: run.memberRole,
    concurrency: Math.min(8, Math.max(1, ids.length)),
    progress: false,
    ...(port.pool !== undefined && { pool: port.pool }),
    ...(options.externalId !== undefined && { externalId: options.externalId }),
    ...(principalArn !== undefined && { principalArn }),
    ...(run.config.mode === 'transfer' && { handshakes: true }),
    ...(options.profile !== undefined && { profile: options.profile }),
    ...(options.region !== undefined && { region: options.region }),
  };
}

/**
 * Evaluates on the real clock (DESIGN §4.1): every evaluation of the run, the
 * recheck included, reads it afresh.
 */
function evaluate(run: Run, snapshot: Snapshot, sha256: string): Promise<Report> {
  return run.deps.evaluateSnapshot(snapshot, sha256, {
    ...run.config,
    now: run.now(),
    clockSource: 'clock',
  });
}

/** Collects and evaluates the member accounts, writes the report and exports their tags. */
async function evaluateFresh(run: Run): Promise<Evaluation | undefined> {
  const members = run.accounts.filter((id) => !alreadyOut(run.identities.get(id)!, id));
  if (members.length === 0) return undefined;
  const { outDir, deps } = run;
  run.err(
    `${run.change.command}: collecting ${members.length} account(s) and evaluating every rule`,
  );
  const snapshot = await deps.collect(collectOptions(run, members));
  const sha256 = snapshotSha256(serializeSnapshot(snapshot));
  await saveSnapshotFile(join(outDir, 'snapshot.json'), snapshot);
  const report = await evaluate(run, snapshot, sha256);
  const written = await deps.writeReports(report, { formats: ['json'], outDir });
  const reportFile = written[0] ?? join(outDir, 'report.json');
  const reportSha256 = await readFile(reportFile).then(snapshotSha256, () => undefined);
  // AWS deletes the account's tags when it leaves: export them before anything else.
  const tagsFile = join(outDir, 'tags.json');
  const fresh = buildTagsExport(
    report.accounts,
    report.snapshot.organizationId,
    run.now().toISOString(),
  );
  const doc = await mergeWithEarlierExport(tagsFile, fresh);
  await writeFileAtomically(tagsFile, `${JSON.stringify(doc, null, 2)}\n`);
  await writeFileAtomically(join(outDir, 'restore-tags.sh'), restoreTagsScript(doc), {
    mode: 0o755,
  });
  run.out(
    `${run.change.command}: report ${reportFile}; tags ${tagsFile} and ${join(outDir, 'restore-tags.sh')}`,
  );
  return {
    ...{ snapshot, sha256, report, reportFile, tagsFile },
    ...(reportSha256 !== undefined && { reportSha256 }),
  };
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

/** One account: already out, refused by the gate, not confirmed, or applied. */
async function processAccount(
  run: Run,
  evaluation: Evaluation | undefined,
  accountId: string,
): Promise<AccountResult> {
  const identity = run.identities.get(accountId)!;
  if (alreadyOut(identity, accountId)) {
    const summary = `account ${accountId} is not in an organization (already left): nothing to do`;
    await run.audit(
      decisionRecord(run, accountId, 'already-out', { reasons: [summary], exitCode: 0 }),
    );
    run.out(summary);
    return { accountId, exitCode: 0, line: `${accountId}  already out` };
  }
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
  const gate = (fresh: Snapshot, freshReport: Report) =>
    decide({
      accountId,
      report: freshReport,
      identity,
      managementAccountId: fresh.organization?.managementAccountId,
      evaluatedPrincipalArn: run.options.gate?.principalArn,
      handshakeId: run.config.transfer?.handshakeId,
    });
  const decision = gate(snapshot, report);
  if (!decision.ok) {
    const { refusal } = decision;
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
  const { plan } = decision;
  run.out(renderPlan(run.change, plan, run.dryRun));
  if (!run.dryRun && run.options.yes !== true) {
    const answer = await run.io.prompt(
      `Type the account id ${accountId} to let it ${run.change.describe(plan)} (this cannot be undone): `,
    );
    if (answer.trim() !== accountId) {
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
  }
  const result = await applyChange(
    run.change,
    plan,
    {
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
    },
    {
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
    },
  );
  run.out(printableLines(result.message));
  // The call went through (verified or not yet): what is left to do by hand.
  if (result.outcome === run.change.doneOutcome || result.outcome === 'unverified')
    run.out(renderChecklist(accountId, plan.impact));
  const rid = result.requestId === undefined ? '' : `  request id ${result.requestId}`;
  return { accountId, exitCode: result.exitCode, line: `${accountId}  ${result.outcome}${rid}` };
}

function summarize(run: Run, results: AccountResult[], skipped: string[]): number {
  const code = worst(results.map((r) => r.exitCode).concat(skipped.length > 0 ? [1] : []));
  run.out('');
  run.out(
    `${run.change.command} summary${run.dryRun ? ` (dry run: ${run.change.operation} was not called)` : ''}:`,
  );
  for (const r of results) run.out(`  ${r.line}`);
  for (const id of skipped)
    run.out(`  ${id}  skipped (an earlier account failed; --keep-going continues)`);
  run.out(`audit log: ${run.auditFile}`);
  return code;
}

/**
 * An earlier export in the same directory may hold the only copy of the tags
 * of accounts that already left: keep its other entries. An unreadable one is
 * an input error (exit 2) rather than something to overwrite.
 */
async function mergeWithEarlierExport(file: string, fresh: TagsExport): Promise<TagsExport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return fresh;
    throw new LeavegateError(
      'io.failed',
      `${file}: cannot read the earlier tag export: ${errorMessage(e)}`,
    );
  }
  let previous: unknown;
  try {
    previous = JSON.parse(text);
  } catch (e) {
    previous = e;
  }
  const merged = mergeTagsExports(previous, fresh);
  if (!merged.ok) {
    throw new LeavegateError(
      'config.invalid',
      `${file}: ${merged.reason}; it may hold the only copy of tags of accounts that left: move it away or use another --out`,
    );
  }
  return merged.value;
}

function validateAccounts(change: MembershipChange, ids: readonly string[]): string[] {
  if (ids.length === 0) throw new UsageError(`${change.command}: say which account: --account ID`);
  for (const id of ids) {
    if (!/^\d{12}$/.test(id))
      throw new UsageError(`--account: "${id}" is not a 12-digit AWS account id`);
  }
  return [...new Set(ids)];
}

/** Identity facts for the gate, read with the member credentials; failures become values. */
async function probeIdentity(port: AwsPort, accountId: string): Promise<IdentityFacts> {
  const member = port.member(accountId);
  const caller: IdentityFacts['caller'] = await member.getCallerIdentity().then(
    (id) => ({ ok: true as const, arn: id.arn, account: id.account }),
    (e: unknown) => ({
      ok: false as const,
      error: `sts:GetCallerIdentity as the member role: ${errorMessage(e)}`,
    }),
  );
  if (!caller.ok) {
    return { caller, membership: { status: 'unknown', error: 'no member credentials' } };
  }
  const membership: IdentityFacts['membership'] = await member.describeOrganization().then(
    (m) => m,
    (e: unknown) => ({
      status: 'unknown' as const,
      error: `organizations:DescribeOrganization as the member: ${errorMessage(e)}`,
    }),
  );
  return { caller, membership };
}
