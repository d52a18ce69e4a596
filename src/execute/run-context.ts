/**
 * What the executor pipeline (run.ts) hands its per-account step
 * (account-step.ts): the settled run, its fresh evaluation, and the
 * collection and evaluation both the first pass and the recheck use.
 */
import type { GateConfig } from '../check.js';
import type { CollectOptions } from '../collect/index.js';
import type { Report } from '../report/types.js';
import type { Snapshot } from '../snapshot/types.js';
import type { AuditRecord } from './audit.js';
import type { MembershipChange } from './change.js';
import type { IdentityFacts } from './gate.js';
import type { LeaveDeps, LeaveIo, LeaveOptions, LeavePort } from './options.js';
import type { RateGate } from './retry.js';

/** Everything a run settled before its first account. */
export interface Run {
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
export interface Evaluation {
  snapshot: Snapshot;
  sha256: string;
  report: Report;
  reportSha256?: string;
  reportFile: string;
  tagsFile: string;
}

export interface AccountResult {
  accountId: string;
  exitCode: number;
  line: string;
}

export function collectOptions(run: Run, ids: string[]): CollectOptions {
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
export function evaluate(run: Run, snapshot: Snapshot, sha256: string): Promise<Report> {
  return run.deps.evaluateSnapshot(snapshot, sha256, {
    ...run.config,
    now: run.now(),
    clockSource: 'clock',
  });
}
