/**
 * The audit log: JSON lines appended and fsync'd before the function returns,
 * so a record written before LeaveOrganization survives a crash right after it.
 */
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ClockSource, RulePackInfo, RuleStatus } from '../report/types.js';
import type { Tag } from '../snapshot/types.js';

/** What the executor decided for one account. */
export type AuditDecision =
  'leave' | 'transfer' | 'dry-run' | 'refused' | 'already-out' | 'not-confirmed' | 'drifted';

/** Written once per account before anything irreversible (or instead of it). */
export interface AuditDecisionRecord {
  schemaVersion: 1;
  event: 'leave.decision' | 'transfer.decision';
  time: string;
  /** Ties the records of one `leave` run together. */
  runId: string;
  tool: { name: 'leavegate'; version: string };
  accountId: string;
  accountName?: string;
  organizationId?: string | null;
  /** The member principal that will call (or would have called) LeaveOrganization. */
  callerArn?: string;
  /** The identity running leavegate (management-side credentials), when known. */
  operatorArn?: string;
  decision: AuditDecision;
  /** Why, for anything but `leave` / `dry-run`. */
  reasons?: string[];
  exitCode?: number;
  rulePacks?: RulePackInfo[];
  /** The evaluation clock: always the real clock for leave (`--now` is refused). */
  clock?: { now: string; source: ClockSource };
  /** sha256 of the snapshot that was evaluated. */
  snapshotSha256?: string;
  /** sha256 of report.json as written. */
  reportSha256?: string;
  /** sha256 over the facts the rules read for this account (drift.ts), at evaluation and at the recheck. */
  factsSha256?: string;
  recheckFactsSha256?: string;
  reportFile?: string;
  tagsFile?: string;
  tagCount?: number;
  /** The tags AWS deletes on leaving, kept here too (the log is append-only; tags.json may be moved). */
  tags?: Tag[];
  /** Status of every rule for this account at the evaluation. */
  rules?: Record<string, RuleStatus>;
  /** A transfer: the handshake accepted (or that was asked for), and the organization it joins. */
  handshakeId?: string;
  targetOrganizationId?: string;
}

/** The outcome of the call, written after it. */
export interface AuditOutcomeRecord {
  schemaVersion: 1;
  event: 'leave.outcome' | 'transfer.outcome';
  time: string;
  runId: string;
  accountId: string;
  outcome: 'left' | 'transferred' | 'already-out' | 'refused-by-aws' | 'failed' | 'unverified';
  attempts: number;
  /** AWS request id of the last LeaveOrganization attempt. */
  requestId?: string;
  /** DescribeOrganization as the member answered AWSOrganizationsNotInUseException. */
  verified: boolean;
  error?: { code: string; message: string; rules: string[] };
}

export type AuditRecord = AuditDecisionRecord | AuditOutcomeRecord;

/** Appends one record as a JSON line and fsyncs the file before returning. */
export async function appendAuditRecord(file: string, record: AuditRecord): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const handle = await open(file, 'a', 0o600);
  try {
    // One write per record: O_APPEND keeps concurrent runs' lines whole.
    await handle.write(`${JSON.stringify(record)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
