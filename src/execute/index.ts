/**
 * The executor: `leavegate leave` (and, on the same pipeline, `transfer`).
 * Fresh collect + evaluate on the real clock, gate (pure), confirm, export
 * tags and audit, recheck, the irreversible call, verify. The CLI calls
 * runLeave and maps nothing: it returns the exit code and never exits.
 */
import { evaluateSnapshot, loadGateConfig } from '../check.js';
import { collect } from '../collect/index.js';
import { createClientPool } from '../collect/client-pool.js';
import { writeReports } from '../report/index.js';
import { createAwsPort } from './aws-port.js';
import { LEAVE, TRANSFER } from './change.js';
import type { LeaveDeps, LeaveIo, LeaveOptions } from './options.js';
import { runChange } from './run.js';

export type { AwsPort, MemberPort, Membership, CallerIdentity } from './aws-port.js';
export type {
  GateDecision,
  GateInput,
  IdentityFacts,
  LeavePlan,
  Refusal,
  RefusalKind,
} from './gate.js';
export type { ApplyResult, ApplyOutcome } from './apply.js';
export type { AuditRecord, AuditDecisionRecord, AuditOutcomeRecord } from './audit.js';
export type { AwsAccess, LeaveDeps, LeaveIo, LeaveOptions, LeavePort } from './options.js';
export type { MembershipChange } from './change.js';
export { LEAVE, TRANSFER } from './change.js';
export { decide } from './gate.js';
export { mapLeaveError } from './errors-map.js';
export { mapTransferError } from './errors-map-transfer.js';
export { runChange } from './run.js';

/** The real collaborators: SDK port and client pool, the gate, the report writer. */
export const defaultDeps: LeaveDeps = {
  loadGateConfig,
  evaluateSnapshot,
  collect,
  writeReports,
  createPort(options) {
    const pool = createClientPool({ ...options, sessionName: 'leavegate-leave' });
    return { ...createAwsPort(pool), pool, close: () => pool.destroy() };
  },
};

/** Runs `leavegate leave` (see {@link runChange}). */
export function runLeave(
  options: LeaveOptions,
  io: LeaveIo,
  deps: LeaveDeps = defaultDeps,
): Promise<number> {
  return runChange(LEAVE, options, io, deps);
}

/**
 * Runs `leavegate transfer` (see {@link runChange}): the same pipeline with
 * AcceptHandshake as the call. `options.gate` must be a transfer gate
 * (`mode: 'transfer'`, `transfer.handshakeId`).
 */
export function runTransfer(
  options: LeaveOptions,
  io: LeaveIo,
  deps: LeaveDeps = defaultDeps,
): Promise<number> {
  return runChange(TRANSFER, options, io, deps);
}
