/**
 * The one irreversible call an executor run makes. `leave` and `transfer`
 * share every other step (fresh collection, gate, confirmation, tag export,
 * audit, recheck, retries, verification); what differs is this value.
 */
import type { MemberPort, Membership } from './aws-port.js';
import { mapLeaveError, type MappedLeaveError } from './errors-map.js';
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
