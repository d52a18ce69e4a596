/**
 * `leavegate leave`: fresh collect + evaluate, gate (pure), confirm, export
 * tags and audit, recheck, LeaveOrganization, verify. The CLI calls runLeave
 * and maps nothing: runLeave returns the exit code and never exits.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { evaluateSnapshot, loadGateConfig, snapshotSha256 } from '../check.js';
import type { CheckInputs, GateConfig } from '../check.js';
import { collect, errorMessage } from '../collect/index.js';
import type { CollectOptions } from '../collect/index.js';
import { createClientPool } from '../collect/client-pool.js';
import type { ClientPool } from '../collect/client-pool.js';
import { LeavegateError, UsageError } from '../errors.js';
import { DEFAULT_MEMBER_ROLE } from '../facts/derive.js';
import { toolVersion } from '../paths.js';
import { writeReports } from '../report/index.js';
import type { Report } from '../report/types.js';
import { saveSnapshotFile, serializeSnapshot } from '../snapshot/load.js';
import type { Snapshot } from '../snapshot/types.js';
import { applyLeave } from './apply.js';
import type { ApplyResult } from './apply.js';
import { appendAuditRecord } from './audit.js';
import type { AuditDecisionRecord, AuditRecord } from './audit.js';
import { createAwsPort } from './aws-port.js';
import type { AwsPort } from './aws-port.js';
import { factsFingerprint } from './drift.js';
import { alreadyOut, decide, reasonLine } from './gate.js';
import type { IdentityFacts, LeavePlan, Refusal } from './gate.js';
import { DEFAULT_RETRY_POLICY, RateGate } from './retry.js';
import type { RetryPolicy } from './retry.js';
import { buildTagsExport, mergeTagsExports, restoreTagsScript } from './tags-export.js';
import type { TagsExport } from './tags-export.js';

export type { AwsPort, MemberPort, Membership, CallerIdentity } from './aws-port.js';
export type {
  GateDecision,
  GateInput,
  IdentityFacts,
  LeavePlan,
  Refusal,
  RefusalKind,
} from './gate.js';
import { printable } from '../text.js';
import type { FailOn } from '../gate/verdict.js';
import { writeFileAtomically } from '../io.js';
export type { ApplyResult, ApplyOutcome } from './apply.js';
export type { AuditRecord, AuditDecisionRecord, AuditOutcomeRecord } from './audit.js';
export { decide } from './gate.js';
export { mapLeaveError } from './errors-map.js';

/** `leavegate leave` options (the CLI flags, parsed). */
export interface LeaveOptions {
  /** Target account ids (12 digits), processed in this order. */
  accounts: string[];
  /** Do everything except the LeaveOrganization call. */
  dryRun?: boolean;
  /** Confirm without a prompt (required when stdin is not a terminal). */
  yes?: boolean;
  /** Continue with the next account after a refusal or failure. */
  keepGoing?: boolean;
  /** Report, snapshot and tag export directory (default `reports`). */
  outDir?: string;
  /** JSON-lines audit log (default `<outDir>/audit.jsonl`, i.e. `reports/audit.jsonl`). */
  auditLog?: string;
  attestationsFile?: string;
  rulesDirs?: string[];
  plugins?: string[];
  waiversFile?: string;
  /** Role assumed in the member (default OrganizationAccountAccessRole); it also makes the call. */
  memberRole?: string;
  externalId?: string;
  /** Principal evaluated for P3/P4 (default: the member role). */
  principalArn?: string;
  /** `warning`: warning rules block as blockers do (`--fail-on warning`). */
  failOn?: FailOn;
  /** argv after the program name, redacted (report provenance). */
  commandLine?: string[];
  profile?: string;
  region?: string;
  /** Base for relative paths (default process.cwd()). */
  cwd?: string;
}

/** Where runLeave talks to the user, and its clock (injectable for tests). */
export interface LeaveIo {
  stdout: { write(text: string): void };
  stderr: { write(text: string): void };
  /** True when the user can answer a prompt (stdin and stdout are terminals). */
  isTTY: boolean;
  /** Asks one question on the terminal and resolves with the answer line. */
  prompt(question: string): Promise<string>;
  /** Wall clock (default `() => new Date()`). */
  now?: () => Date;
  /** Delay used for backoff and rate limiting (default setTimeout). */
  sleep?: (ms: number) => Promise<void>;
}

/** The collaborators runLeave uses; tests replace them. */
export interface LeaveDeps {
  loadGateConfig(inputs: CheckInputs): Promise<GateConfig>;
  evaluateSnapshot(snapshot: Snapshot, sha256: string, config: GateConfig): Promise<Report>;
  collect(options: CollectOptions): Promise<Snapshot>;
  writeReports(report: Report, options: { formats: ['json']; outDir: string }): Promise<string[]>;
  /**
   * The AWS port for member calls, plus (optionally) the client pool behind it,
   * which collect then shares so member roles are assumed once.
   */
  createPort(options: {
    memberRole: string;
    externalId?: string;
    profile?: string;
    region?: string;
  }): LeavePort;
  retry?: RetryPolicy;
  verify?: { attempts: number; delayMs: number };
  random?: () => number;
}

/** LeaveOrganization accepts at most 5 accounts per second per organization. */
const MIN_CALL_INTERVAL_MS = 200;

/** The port runLeave uses, with what to release at the end. */
export type LeavePort = AwsPort & { pool?: ClientPool; close?: () => void };

const defaultDeps: LeaveDeps = {
  loadGateConfig,
  evaluateSnapshot,
  collect,
  writeReports,
  createPort(options) {
    const pool = createClientPool({ ...options, sessionName: 'leavegate-leave' });
    return { ...createAwsPort(pool), pool, close: () => pool.destroy() };
  },
};

/** Exit code of the run: usage/config (2) over blocked (1) over unknown (3). */
function worst(codes: number[]): number {
  for (const c of [2, 1, 3]) if (codes.includes(c)) return c;
  return codes.find((c) => c !== 0) ?? 0;
}

/**
 * Runs `leavegate leave`. Returns the exit code: 0 every account left (or was
 * already out, or the dry run found it ready), 1 blocked / refused by AWS /
 * changed since the evaluation, 2 usage or configuration (including an
 * unconfirmed run), 3 readiness unknown.
 */
export async function runLeave(
  options: LeaveOptions,
  io: LeaveIo,
  deps: LeaveDeps = defaultDeps,
): Promise<number> {
  const now = io.now ?? (() => new Date());
  const sleep = io.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const err = (line: string) => io.stderr.write(`${line}\n`);
  let port: LeavePort | undefined;
  try {
    const accounts = validateAccounts(options.accounts);
    const dryRun = options.dryRun === true;
    if (!dryRun && options.yes !== true && !io.isTTY) {
      // Nothing is called at all: no terminal to confirm on and no --yes.
      throw new UsageError(
        'leave: refusing to proceed without confirmation: stdin is not a terminal, so pass --yes to confirm (or --dry-run to see what would happen)',
      );
    }
    const cwd = options.cwd ?? process.cwd();
    const outDir = resolve(cwd, options.outDir ?? 'reports');
    const auditFile = resolve(cwd, options.auditLog ?? join(outDir, 'audit.jsonl'));
    const memberRole = options.memberRole ?? DEFAULT_MEMBER_ROLE;
    const runId = randomUUID();
    const version = toolVersion();
    const audit = (record: AuditRecord) => appendAuditRecord(auditFile, record);

    // Every input is validated before AWS is called.
    const config = await deps.loadGateConfig({
      attestationsFile: options.attestationsFile,
      rulesDirs: options.rulesDirs,
      plugins: options.plugins,
      waiversFile: options.waiversFile,
      memberRole,
      principalArn: options.principalArn,
      ...(options.failOn !== undefined && { failOn: options.failOn }),
      ...(options.commandLine !== undefined && { commandLine: options.commandLine }),
      cwd,
    });
    // The clock of an irreversible call is the real clock (DESIGN §4.1): every
    // evaluation of this run, the recheck included, reads it afresh.
    const evaluate = (snapshot: Snapshot, sha256: string) =>
      deps.evaluateSnapshot(snapshot, sha256, { ...config, now: now(), clockSource: 'clock' });

    port = deps.createPort({
      memberRole,
      ...(options.externalId === undefined ? {} : { externalId: options.externalId }),
      ...(options.profile === undefined ? {} : { profile: options.profile }),
      ...(options.region === undefined ? {} : { region: options.region }),
    });
    const activePort = port;
    const operatorArn = await activePort.operatorIdentity().then(
      (id) => id.arn,
      (e: unknown) => {
        err(`leave: cannot identify the management-side caller: ${errorMessage(e)}`);
        return undefined;
      },
    );

    // Who the member credentials are and where the account is, before collecting.
    const identities = new Map<string, IdentityFacts>();
    for (const id of accounts) identities.set(id, await probeIdentity(activePort, id));
    const members = accounts.filter((id) => !alreadyOut(identities.get(id)!, id));

    const collectOptions = (ids: string[]): CollectOptions => ({
      scope: { accounts: ids },
      memberRole,
      concurrency: Math.min(8, Math.max(1, ids.length)),
      progress: false,
      ...(activePort.pool === undefined ? {} : { pool: activePort.pool }),
      ...(options.externalId === undefined ? {} : { externalId: options.externalId }),
      ...(options.principalArn === undefined ? {} : { principalArn: options.principalArn }),
      ...(options.profile === undefined ? {} : { profile: options.profile }),
      ...(options.region === undefined ? {} : { region: options.region }),
    });

    // A fresh evaluation for this run: never an earlier snapshot or report.
    let evaluation:
      | {
          snapshot: Snapshot;
          sha256: string;
          report: Report;
          reportSha256?: string;
          reportFile: string;
        }
      | undefined;
    const tagsFile = join(outDir, 'tags.json');
    if (members.length > 0) {
      err(`leave: collecting ${members.length} account(s) and evaluating every rule`);
      const snapshot = await deps.collect(collectOptions(members));
      const sha256 = snapshotSha256(serializeSnapshot(snapshot));
      await saveSnapshotFile(join(outDir, 'snapshot.json'), snapshot);
      const report = await evaluate(snapshot, sha256);
      const written = await deps.writeReports(report, { formats: ['json'], outDir });
      const reportFile = written[0] ?? join(outDir, 'report.json');
      const reportSha256 = await readFile(reportFile).then(snapshotSha256, () => undefined);
      evaluation = {
        snapshot,
        sha256,
        report,
        reportFile,
        ...(reportSha256 === undefined ? {} : { reportSha256 }),
      };
      // AWS deletes the account's tags when it leaves: export them before anything else.
      const fresh = buildTagsExport(
        report.accounts,
        report.snapshot.organizationId,
        now().toISOString(),
      );
      const doc = await mergeWithEarlierExport(tagsFile, fresh);
      await writeFileAtomically(tagsFile, `${JSON.stringify(doc, null, 2)}\n`);
      await writeFileAtomically(join(outDir, 'restore-tags.sh'), restoreTagsScript(doc), {
        mode: 0o755,
      });
      out(`leave: report ${reportFile}; tags ${tagsFile} and ${join(outDir, 'restore-tags.sh')}`);
    }

    const rateGate = new RateGate(MIN_CALL_INTERVAL_MS, () => now().getTime(), sleep);
    const results: { accountId: string; exitCode: number; line: string }[] = [];
    const skipped: string[] = [];
    const decisionRecord = (
      accountId: string,
      decision: AuditDecisionRecord['decision'],
      extra: Partial<AuditDecisionRecord>,
    ): AuditDecisionRecord => ({
      schemaVersion: 1,
      event: 'leave.decision',
      time: now().toISOString(),
      runId,
      tool: { name: 'leavegate', version },
      accountId,
      decision,
      ...(operatorArn === undefined ? {} : { operatorArn }),
      ...extra,
    });

    for (const accountId of accounts) {
      if (results.some((r) => r.exitCode !== 0) && options.keepGoing !== true) {
        skipped.push(accountId);
        continue;
      }
      const identity = identities.get(accountId)!;
      if (alreadyOut(identity, accountId)) {
        const refusal: Refusal = {
          kind: 'already-out',
          exitCode: 0,
          summary: `account ${accountId} is not in an organization (already left): nothing to do`,
          reasons: [],
        };
        await audit(
          decisionRecord(accountId, 'already-out', { reasons: [refusal.summary], exitCode: 0 }),
        );
        out(refusal.summary);
        results.push({ accountId, exitCode: 0, line: `${accountId}  already out` });
        continue;
      }
      // Every account that is not already out was collected and evaluated above.
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
        ...(evaluation.reportSha256 === undefined ? {} : { reportSha256: evaluation.reportSha256 }),
        ...(identity.caller.ok ? { callerArn: identity.caller.arn } : {}),
      };

      const gate = (fresh: Snapshot, freshReport: Report) =>
        decide({
          accountId,
          report: freshReport,
          identity,
          managementAccountId: fresh.organization?.managementAccountId,
          evaluatedPrincipalArn: options.principalArn,
        });
      const decision = gate(snapshot, report);
      if (!decision.ok) {
        const { refusal } = decision;
        out(renderRefusal(refusal));
        await audit(
          decisionRecord(accountId, refusal.kind === 'already-out' ? 'already-out' : 'refused', {
            ...shared,
            reasons: [refusal.summary, ...refusal.reasons.map(reasonLine)],
            exitCode: refusal.exitCode,
          }),
        );
        results.push({
          accountId,
          exitCode: refusal.exitCode,
          line: `${accountId}  refused (${refusal.kind}, exit ${refusal.exitCode})`,
        });
        continue;
      }
      const { plan } = decision;
      out(renderPlan(plan, dryRun));

      if (!dryRun && options.yes !== true) {
        const answer = await io.prompt(
          `Type the account id ${accountId} to let it leave organization ${plan.organizationId} (this cannot be undone): `,
        );
        if (answer.trim() !== accountId) {
          const message = `account ${accountId}: not confirmed (the answer did not match the account id): nothing was called`;
          out(message);
          await audit(
            decisionRecord(accountId, 'not-confirmed', {
              ...shared,
              reasons: [message],
              exitCode: 2,
            }),
          );
          results.push({ accountId, exitCode: 2, line: `${accountId}  not confirmed` });
          continue;
        }
      }

      const result: ApplyResult = await applyLeave(
        plan,
        {
          runId,
          toolVersion: version,
          ...(operatorArn === undefined ? {} : { operatorArn }),
          snapshotSha256: evaluation.sha256,
          ...(report.inputs !== undefined && { clock: report.inputs.clock }),
          ...(evaluation.reportSha256 === undefined
            ? {}
            : { reportSha256: evaluation.reportSha256 }),
          reportFile: evaluation.reportFile,
          tagsFile,
          factsBefore,
          dryRun,
        },
        {
          member: activePort.member(accountId),
          // The same gate again on a fresh collection and evaluation: time moves on
          // (attestations and waivers expire) and plugin facts read what they like.
          recheck: async () => {
            const fresh = await deps.collect(collectOptions([accountId]));
            const freshSha256 = snapshotSha256(serializeSnapshot(fresh));
            const again = gate(fresh, await evaluate(fresh, freshSha256));
            return {
              facts: factsFingerprint(fresh, accountId),
              ...(again.ok ? {} : { refusal: again.refusal }),
            };
          },
          audit,
          rateGate,
          retry: deps.retry ?? DEFAULT_RETRY_POLICY,
          verify: deps.verify ?? { attempts: 5, delayMs: 1000 },
          sleep,
          now,
          ...(deps.random === undefined ? {} : { random: deps.random }),
          log: (line) => err(`leave: ${printable(line)}`),
        },
      );
      out(printable(result.message));
      const rid = result.requestId === undefined ? '' : `  request id ${result.requestId}`;
      results.push({
        accountId,
        exitCode: result.exitCode,
        line: `${accountId}  ${result.outcome}${rid}`,
      });
    }

    const code = worst(results.map((r) => r.exitCode).concat(skipped.length > 0 ? [1] : []));
    out('');
    out(`leave summary${dryRun ? ' (dry run: LeaveOrganization was not called)' : ''}:`);
    for (const r of results) out(`  ${r.line}`);
    for (const id of skipped)
      out(`  ${id}  skipped (an earlier account failed; --keep-going continues)`);
    out(`audit log: ${auditFile}`);
    return code;
  } catch (e) {
    if (e instanceof LeavegateError) {
      err(`leavegate: error [${e.code}] ${printable(e.message)}`);
      return e.exitCode;
    }
    err(`leavegate: leave failed: ${printable(errorMessage(e))}`);
    return 1;
  } finally {
    port?.close?.();
  }
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

function validateAccounts(ids: readonly string[]): string[] {
  if (ids.length === 0) throw new UsageError('leave: say which account leaves: --account ID');
  for (const id of ids) {
    if (!/^\d{12}$/.test(id))
      throw new UsageError(`--account: "${id}" is not a 12-digit AWS account id`);
  }
  const unique = [...new Set(ids)];
  return unique;
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

function renderRefusal(refusal: Refusal): string {
  const lines = [printable(refusal.summary)];
  for (const r of refusal.reasons) {
    lines.push(`  - ${printable(reasonLine(r))}`);
    if (r.remediation !== undefined) lines.push(`    fix: ${printable(r.remediation)}`);
  }
  return lines.join('\n');
}

function renderPlan(plan: LeavePlan, dryRun: boolean): string {
  const name = plan.accountName === undefined ? '' : ` (${printable(plan.accountName)})`;
  const lines = [
    `account ${plan.accountId}${name} is ready: every rule passes${plan.waived.length > 0 ? ` or is waived` : ''}.`,
    `  ${dryRun ? 'would leave' : 'leaves'} organization ${plan.organizationId} (management account ${plan.managementAccountId}) as ${printable(plan.callerArn)}`,
    `  ${plan.tags.length} tag(s) exported (AWS deletes them on leaving)`,
  ];
  for (const w of plan.waived) {
    lines.push(
      `  waived: ${w.id}: ${printable(w.waiver?.reason ?? '')} (owner ${printable(w.waiver?.owner ?? '')}, expires ${w.waiver?.expiresAt ?? ''})`,
    );
  }
  // Warnings never block, but whoever confirms must have read them.
  for (const w of plan.warnings)
    lines.push(`  warning (${w.status}): ${w.id}: ${printable(w.message)}`);
  return lines.join('\n');
}
