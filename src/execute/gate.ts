/**
 * The gate: a pure function from a fresh evaluation and the member's identity
 * to a plan, or a refusal that lists every reason (changesets' "plan, then
 * apply"). It trusts nothing it can recheck: the verdict is recomputed from
 * the rule results, and an empty evaluation never authorizes anything.
 */
import { accountImpact, type ImpactView } from '../report/impact.js';
import type { AccountReport, Report, RuleResult, RulePackInfo } from '../report/types.js';
import type { Tag } from '../snapshot/types.js';
import { decides, verdictOf } from '../gate/verdict.js';
import { sameRole } from '../arn.js';
import { invitationFound } from './gate-transfer.js';

export { sameRole };

/** Who the member credentials are, and what organization they see. */
export interface IdentityFacts {
  /** sts:GetCallerIdentity with the member credentials. */
  caller: { ok: true; arn: string; account: string } | { ok: false; error: string };
  /** organizations:DescribeOrganization with the member credentials. */
  membership:
    | { status: 'member'; organizationId: string; managementAccountId: string }
    | { status: 'not-in-organization' }
    | { status: 'unknown'; error: string };
}

export interface GateInput {
  accountId: string;
  /** The report of the evaluation just made for this run (never an earlier one). */
  report: Report;
  identity: IdentityFacts;
  /** The management account id seen from the management side (snapshot.organization). */
  managementAccountId?: string | undefined;
  /**
   * The principal the SCP and IAM rules were evaluated for when it was set
   * explicitly (`--principal`); it must be the role that makes the call.
   */
  evaluatedPrincipalArn?: string | undefined;
  /** A transfer: the handshake `--handshake` names; it must be the open invitation the report found. */
  handshakeId?: string | undefined;
}

export type RefusalKind =
  | 'already-out'
  | 'management-account'
  | 'identity-mismatch'
  | 'identity-unknown'
  | 'organization-mismatch'
  | 'principal-mismatch'
  | 'handshake-mismatch'
  | 'not-evaluated'
  | 'blocked'
  | 'unknown';

export interface RefusalReason {
  /** The rule that blocks, when a rule does. */
  rule?: string;
  status?: RuleResult['status'];
  message: string;
  remediation?: string;
}

export interface Refusal {
  kind: RefusalKind;
  /** 0 only for `already-out` (nothing to do); otherwise 1 blocked, 2 configuration, 3 unknown. */
  exitCode: 0 | 1 | 2 | 3;
  /** One line, subject first. */
  summary: string;
  reasons: RefusalReason[];
}

/** Everything apply needs to act on one account, decided up front. */
export interface LeavePlan {
  accountId: string;
  accountName?: string;
  organizationId: string;
  managementAccountId: string;
  /** The member principal that will call LeaveOrganization (session ARN). */
  callerArn: string;
  rulePacks: RulePackInfo[];
  /** Tags to export before the call (AWS deletes them on leaving). */
  tags: Tag[];
  /** Rules that passed only because a valid waiver applies (shown to the user). */
  waived: RuleResult[];
  /** Warning rules that failed or are unknown: shown before the confirmation, never blocking. */
  warnings: RuleResult[];
  /** Every rule's status for the account (for the audit record). */
  ruleStatuses: Record<string, RuleResult['status']>;
  /** A direct transfer: the handshake accepted and the organization joined. */
  transfer?: { handshakeId: string; targetOrganizationId: string };
  /** What changes when it leaves (DESIGN §7): printed before the confirmation, the checklist after the call. */
  impact: ImpactView;
}

export type GateDecision = { ok: true; plan: LeavePlan } | { ok: false; refusal: Refusal };

function refusal(
  kind: RefusalKind,
  exitCode: Refusal['exitCode'],
  summary: string,
  reasons: RefusalReason[] = [],
): Refusal {
  return { kind, exitCode, summary, reasons };
}

function refused(refusal: Refusal): GateDecision {
  return { ok: false, refusal };
}

function ruleReason(r: RuleResult): RefusalReason {
  const reason: RefusalReason = { rule: r.id, status: r.status, message: r.message };
  // Remediation may be absent (plugin rules): say nothing rather than an empty "fix:".
  const remediation: string | undefined = r.remediation;
  if (remediation !== undefined && remediation !== '') reason.remediation = remediation;
  return reason;
}

/** One reason on one line: `rule (status): message`, or the message alone. */
export function reasonLine(r: RefusalReason): string {
  const rule =
    r.rule === undefined ? '' : `${r.rule}${r.status === undefined ? '' : ` (${r.status})`}: `;
  return `${rule}${r.message}`;
}

/** A waived result counts only when it carries its waiver (reason, owner, expiry). */
function passes(r: RuleResult): boolean {
  return r.status === 'pass' || (r.status === 'waived' && r.waiver !== undefined);
}

/**
 * True when the member credentials are the target account's own and it sees
 * no organization. "Not in an organization" said by credentials of another
 * account is about that account, not the target.
 */
export function alreadyOut(identity: IdentityFacts, accountId: string): boolean {
  return (
    identity.caller.ok &&
    identity.caller.account === accountId &&
    identity.membership.status === 'not-in-organization'
  );
}

/**
 * Decides whether `accountId` may leave now. Order matters: facts about the
 * caller come first (an account already out has nothing to evaluate), then
 * the evaluation.
 */
export function decide(input: GateInput): GateDecision {
  const { accountId, report, identity } = input;
  const { caller, membership } = identity;
  const who = `account ${accountId}`;

  if (alreadyOut(identity, accountId)) {
    return refused(
      refusal('already-out', 0, `${who} is not in an organization (already left): nothing to do`),
    );
  }
  const management = managementAccountRefusal(input, who);
  if (management !== undefined) return refused(management);
  if (!caller.ok) return refused(callerUnknownRefusal(who, caller.error));
  if (caller.account !== accountId) return refused(identityMismatchRefusal(who, caller));
  // Only 'unknown' gets here: the target's own "not in an organization" returned above.
  if (membership.status !== 'member') return refused(membershipUnknownRefusal(who, membership));
  const mismatch =
    principalMismatchRefusal(who, input.evaluatedPrincipalArn, caller.arn) ??
    organizationMismatchRefusal(who, report, membership.organizationId);
  if (mismatch !== undefined) return refused(mismatch);

  const account: AccountReport | undefined = report.accounts.find((a) => a.accountId === accountId);
  if (account === undefined || account.rules.length === 0)
    return refused(notEvaluatedRefusal(who, account));
  const rules = ruleRefusal(who, account, report.failOn);
  if (rules !== undefined) return refused(rules);
  // AWS deletes the tags on leaving: without the inventory there is nothing to restore from.
  if (account.tags === undefined) return refused(tagsNotCollectedRefusal(who));

  const transfer =
    input.handshakeId === undefined ? undefined : invitationFound(account, input.handshakeId);
  if (transfer !== undefined && !transfer.ok) return refused(transfer.refusal);

  const plan: LeavePlan = {
    ...(transfer !== undefined && { transfer: transfer.value }),
    accountId,
    organizationId: membership.organizationId,
    managementAccountId: membership.managementAccountId,
    callerArn: caller.arn,
    rulePacks: report.rulePacks,
    tags: account.tags,
    waived: account.rules.filter((r) => r.status === 'waived'),
    warnings: account.rules.filter((r) => !decides(r, report.failOn) && !passes(r)),
    ruleStatuses: Object.fromEntries(account.rules.map((r) => [r.id, r.status])),
    impact: accountImpact(account),
  };
  if (account.name !== undefined) plan.accountName = account.name;
  return { ok: true, plan };
}

function managementAccountRefusal(input: GateInput, who: string): Refusal | undefined {
  const { identity, accountId } = input;
  const mgmt =
    identity.membership.status === 'member'
      ? identity.membership.managementAccountId
      : input.managementAccountId;
  if (mgmt !== accountId && input.managementAccountId !== accountId) return undefined;
  return refusal(
    'management-account',
    1,
    `${who} is the management account of its organization, which cannot leave`,
    [
      {
        rule: 'member-account',
        message: 'the management account cannot leave its organization',
        remediation: 'remove the member accounts and delete the organization instead',
      },
    ],
  );
}

function callerUnknownRefusal(who: string, error: string): Refusal {
  return refusal('identity-unknown', 3, `${who}: cannot establish the member identity: ${error}`, [
    {
      message: error,
      remediation:
        'check that --member-role exists in the account and trusts the credentials leavegate runs with',
    },
  ]);
}

function identityMismatchRefusal(who: string, caller: { arn: string; account: string }): Refusal {
  return refusal(
    'identity-mismatch',
    2,
    `${who}: the member credentials belong to account ${caller.account} (${caller.arn}), not to the target`,
    [
      {
        message: `caller ${caller.arn} is in account ${caller.account}`,
        remediation: 'check --member-role, --profile and the credentials in the environment',
      },
    ],
  );
}

function membershipUnknownRefusal(
  who: string,
  membership: Exclude<IdentityFacts['membership'], { status: 'member' }>,
): Refusal {
  const error = membership.status === 'unknown' ? membership.error : 'no organization';
  return refusal(
    'identity-unknown',
    3,
    `${who}: cannot tell which organization it belongs to: ${error}`,
    [
      {
        message: error,
        remediation: 'allow organizations:DescribeOrganization for the member role',
      },
    ],
  );
}

function principalMismatchRefusal(
  who: string,
  evaluated: string | undefined,
  callerArn: string,
): Refusal | undefined {
  if (evaluated === undefined || sameRole(evaluated, callerArn)) return undefined;
  return refusal(
    'principal-mismatch',
    2,
    `${who}: the rules were evaluated for ${evaluated}, but LeaveOrganization would be called as ${callerArn}`,
    [
      {
        message: 'the SCP and IAM verdicts are about a different principal than the one that calls',
        remediation:
          'to leave as that principal, pass its role name as --member-role (and drop --principal)',
      },
    ],
  );
}

function organizationMismatchRefusal(
  who: string,
  report: Report,
  organizationId: string,
): Refusal | undefined {
  if (report.snapshot.organizationId === organizationId) return undefined;
  return refusal(
    'organization-mismatch',
    2,
    `${who} is in organization ${organizationId}, but the evaluation was of ${report.snapshot.organizationId ?? 'no organization'}`,
    [
      {
        message:
          'the management credentials and the member account belong to different organizations',
        remediation:
          'run with the management account of the organization the member is in (--profile)',
      },
    ],
  );
}

function notEvaluatedRefusal(who: string, account: AccountReport | undefined): Refusal {
  return refusal('not-evaluated', 3, `${who} was not evaluated (no rule results): refusing`, [
    {
      message:
        account === undefined
          ? 'the account is missing from the report'
          : 'no rule produced a result',
      remediation: 'check the collection errors and the loaded rule packs (leavegate rules list)',
    },
  ]);
}

/** Blocked by a failing rule, or unknown when the verdict is not a clean `ready`. */
function ruleRefusal(
  who: string,
  account: AccountReport,
  failOn: Report['failOn'],
): Refusal | undefined {
  // Severity (DESIGN §4.4): warnings decide only under --fail-on warning, exactly as in check.
  const deciding = account.rules.filter((r) => decides(r, failOn));
  const failed = deciding.filter(
    (r) => r.status === 'fail' || (r.status === 'waived' && r.waiver === undefined),
  );
  const unknown = deciding.filter((r) => r.status === 'unknown');
  if (failed.length > 0) {
    return refusal(
      'blocked',
      1,
      `${who} is blocked by ${failed.length} rule(s): ${failed.map((r) => r.id).join(', ')}`,
      [...failed, ...unknown].map(ruleReason),
    );
  }
  if (
    unknown.length > 0 ||
    account.verdict !== 'ready' ||
    verdictOf(account, failOn) !== 'ready' ||
    !deciding.every(passes)
  ) {
    return refusal(
      'unknown',
      3,
      `${who}: readiness unknown for ${unknown.length} rule(s): ${unknown.map((r) => r.id).join(', ')}`,
      unknown.map(ruleReason),
    );
  }
  return undefined;
}

function tagsNotCollectedRefusal(who: string): Refusal {
  return refusal(
    'unknown',
    3,
    `${who}: its tags were not collected, so they cannot be exported before leaving`,
    [
      {
        rule: 'tags-inventoried',
        message: 'tags not collected',
        remediation: 'allow organizations:ListTagsForResource for the management credentials',
      },
    ],
  );
}
