/**
 * The one irreversible call an executor run makes. `leave` and `transfer`
 * share every other step (fresh collection, gate, confirmation, tag export,
 * audit, recheck, retries, verification); what differs is this value.
 */
import type { MemberPort, Membership } from './aws-port.js';
import { mapLeaveError, type MappedLeaveError } from './errors-map.js';
import { mapTransferError } from './errors-map-transfer.js';
import type { LeavePlan } from './gate.js';

export interface MembershipChange {
  /** The command, which also names the audit events (`leave.decision`, `leave.outcome`). */
  command: 'leave' | 'transfer';
  /** The AWS operation, for messages. */
  operation: string;
  /** The outcome word once it is done and verified (`left`). */
  doneOutcome: 'left' | 'transferred';
  /** What happens, for the plan, the confirmation and the summary: "leave organization o-…". */
  describe(plan: LeavePlan): string;
  /** The same, done: "left organization o-…". */
  described(plan: LeavePlan): string;
  /** One attempt, as the member. Throws AWS errors unchanged. */
  call(member: MemberPort, plan: LeavePlan): Promise<{ requestId?: string }>;
  /** An AWS error in words, with the rule that should have caught it and the exit code. */
  mapError(err: unknown, accountId: string): MappedLeaveError;
  /** True when DescribeOrganization as the member shows the change done. */
  done(membership: Membership, plan: LeavePlan): boolean;
  /** Said when the call succeeded but verification did not see it done. */
  notVerified: string;
}

/** `leavegate leave`: LeaveOrganization; done when the member is in no organization. */
export const LEAVE: MembershipChange = {
  command: 'leave',
  operation: 'LeaveOrganization',
  doneOutcome: 'left',
  describe: (plan) => `leave organization ${plan.organizationId}`,
  described: (plan) => `left organization ${plan.organizationId}`,
  call: (member) => member.leaveOrganization(),
  mapError: mapLeaveError,
  done: (m) => m.status === 'not-in-organization',
  notVerified: 'DescribeOrganization as the member still shows an organization',
};

/** The transfer a plan carries; a transfer plan without one is a bug, never a call. */
function transferOf(plan: LeavePlan): NonNullable<LeavePlan['transfer']> {
  if (plan.transfer === undefined)
    throw new Error('internal: a transfer plan without its handshake');
  return plan.transfer;
}

/**
 * `leavegate transfer`: AcceptHandshake of the open invitation, as the member
 * (DESIGN §8); done when the member's organization is the target.
 */
export const TRANSFER: MembershipChange = {
  command: 'transfer',
  operation: 'AcceptHandshake',
  doneOutcome: 'transferred',
  describe: (plan) =>
    `move from organization ${plan.organizationId} to ${transferOf(plan).targetOrganizationId} (accept handshake ${transferOf(plan).handshakeId})`,
  described: (plan) =>
    `moved from organization ${plan.organizationId} to ${transferOf(plan).targetOrganizationId} (handshake ${transferOf(plan).handshakeId} accepted)`,
  call: (member, plan) => member.acceptHandshake(transferOf(plan).handshakeId),
  mapError: mapTransferError,
  done: (m, plan) =>
    m.status === 'member' && m.organizationId === transferOf(plan).targetOrganizationId,
  notVerified: 'DescribeOrganization as the member does not name the target organization yet',
};
