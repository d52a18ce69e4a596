/**
 * What an executor run (`leave`, `transfer`) is given: the command's own
 * flags, the gate's inputs exactly as `check` takes them, and how to reach
 * AWS — composed, not reshaped per command.
 */
import type { CheckInputs, GateConfig } from '../check.js';
import type { ClientPool } from '../collect/client-pool.js';
import type { CollectOptions } from '../collect/index.js';
import type { Report } from '../report/types.js';
import type { Snapshot } from '../snapshot/types.js';
import type { AwsPort } from './aws-port.js';
import type { RetryPolicy } from './retry.js';

/** How to reach AWS: the management credentials and the member role. */
export interface AwsAccess {
  /** Role assumed in the member (default OrganizationAccountAccessRole); it also makes the call. */
  memberRole?: string;
  externalId?: string;
  profile?: string;
  region?: string;
}

/** `leavegate leave` / `transfer` options (the CLI flags, parsed). */
export interface LeaveOptions extends AwsAccess {
  /** Target account ids (12 digits), processed in this order. */
  accounts: string[];
  /** Do everything except the irreversible call. */
  dryRun?: boolean;
  /** Confirm without a prompt (required when stdin is not a terminal). */
  yes?: boolean;
  /** Continue with the next account after a refusal or failure. */
  keepGoing?: boolean;
  /** Report, snapshot and tag export directory (default `reports`). */
  outDir?: string;
  /** JSON-lines audit log (default `<outDir>/audit.jsonl`, i.e. `reports/audit.jsonl`). */
  auditLog?: string;
  /**
   * The gate's inputs as `check` takes them. The clock is not among them:
   * an irreversible call is decided on the real clock (`LeaveIo.now`).
   */
  gate?: Omit<CheckInputs, 'now' | 'clockSource' | 'cwd' | 'memberRole'>;
  /** Base for relative paths (default process.cwd()). */
  cwd?: string;
}

/** Where the run talks to the user, and its clock (injectable for tests). */
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

/** The port a run uses, with what to release at the end. */
export type LeavePort = AwsPort & { pool?: ClientPool; close?: () => void };

/** The collaborators a run uses; tests replace them. */
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
