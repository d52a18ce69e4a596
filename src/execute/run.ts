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
import { errorMessage } from '../collect/errors.js';
import { LeavegateError, UsageError } from '../errors.js';
import { DEFAULT_MEMBER_ROLE } from '../facts/derive.js';
import { writeFileAtomically } from '../write-file.js';
import { toolVersion } from '../paths.js';
import { saveSnapshotFile, serializeSnapshot } from '../snapshot/load.js';
import { printable, printableLines } from '../text.js';
import { processAccount } from './account-step.js';
import { appendAuditRecord } from './audit.js';
import type { AwsPort } from './aws-port.js';
import type { MembershipChange } from './change.js';
import { alreadyOut } from './gate.js';
import type { IdentityFacts } from './gate.js';
import type { LeaveDeps, LeaveIo, LeaveOptions, LeavePort } from './options.js';
import { RateGate } from './retry.js';
import { collectOptions, evaluate } from './run-context.js';
import type { AccountResult, Evaluation, Run } from './run-context.js';
import { buildTagsExport, mergeTagsExports, restoreTagsScript } from './tags-export.js';
import type { TagsExport } from './tags-export.js';

/** LeaveOrganization accepts at most 5 accounts per second per organization. */
const MIN_CALL_INTERVAL_MS = 200;

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
