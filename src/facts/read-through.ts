/**
 * What each collected part of the snapshot is read through, so that a fact
 * that could not be derived says why (the errors of exactly those sources)
 * and how to fix that. A fact declares the parts it `reads`; this table is
 * the only place that knows which AWS calls fill them.
 */
import type { FixContext } from './fixes.js';
import { fixForErrors } from './fixes.js';
import type { Index } from './snapshot-index.js';
import { OPERATIONS, type Operation } from '../collect/sources/ids.js';

/** Every IAM read of the principal's policies (the collector names the exact call that failed). */
const IAM_POLICY_READS: readonly Operation[] = OPERATIONS.filter((o) => o.startsWith('iam:'));

/** Why a fact is missing, and how to fix that. */
export interface Gap {
  why: string;
  fix: string;
}

/**
 * What each collected part of the snapshot is read through: the sources
 * whose errors explain its absence (organization-wide or the account's own),
 * and what to do when no error says why (it was not asked for).
 */
export const READ_THROUGH = {
  organization: {
    orgWide: true,
    sources: ['organizations:DescribeOrganization'],
    notCollected: 'collect again from the management account (organizations:DescribeOrganization)',
  },
  delegatedAdministrators: {
    orgWide: true,
    sources: ['organizations:ListDelegatedAdministrators'],
    notCollected:
      'collect again from the management account (organizations:ListDelegatedAdministrators)',
  },
  policies: {
    orgWide: true,
    sources: [
      'organizations:ListRoots',
      'organizations:ListPolicies',
      'organizations:DescribePolicy',
      'organizations:ListTargetsForPolicy',
      'organizations:ListPoliciesForTarget',
    ],
    notCollected:
      'collect again from the management account (organizations:ListRoots, ListPolicies, ListTargetsForPolicy, DescribePolicy)',
  },
  ouTree: {
    orgWide: false,
    sources: [
      'organizations:ListOrganizationalUnitsForParent',
      'organizations:ListAccountsForParent',
      'organizations:ListParents',
      'organizations:DescribeOrganizationalUnit',
      'organizations:ListPoliciesForTarget',
    ],
    notCollected:
      'collect the organizational unit tree again from the management account (organizations:ListOrganizationalUnitsForParent, ListParents)',
  },
  tags: {
    orgWide: false,
    sources: ['organizations:ListTagsForResource'],
    notCollected: 'collect again from the management account (organizations:ListTagsForResource)',
  },
  contactInformation: {
    orgWide: false,
    sources: ['account:GetContactInformation', 'sts:AssumeRole'],
    notCollected:
      'collect again with the member role (--member-role), or enable trusted access for account.amazonaws.com so the management account reads it (aws organizations enable-aws-service-access --service-principal account.amazonaws.com)',
  },
  supportPlan: {
    orgWide: false,
    sources: ['support:DescribeSeverityLevels', 'sts:AssumeRole'],
    notCollected:
      'collect again with the member role (--member-role): support:DescribeSeverityLevels is called in the member account',
  },
  principal: {
    orgWide: false,
    sources: ['sts:AssumeRole', 'sts:GetCallerIdentity', 'iam:GetRole', 'iam:GetUser'],
    notCollected:
      'collect again with the member role (--member-role): the principal is read in the member account',
  },
  handshakes: {
    orgWide: false,
    sources: ['organizations:ListHandshakesForAccount', 'sts:AssumeRole'],
    notCollected:
      'collect again for a transfer (check --transfer-to, or transfer) with the member role (--member-role): organizations:ListHandshakesForAccount is called in the member account',
  },
  identityPolicies: {
    orgWide: false,
    sources: IAM_POLICY_READS,
    notCollected:
      'collect again with the member role (--member-role): identity policies are read in the member account',
  },
} as const satisfies Record<
  string,
  { orgWide: boolean; sources: readonly Operation[]; notCollected: string }
>;

/** Why `part` of the snapshot is missing for an account, and how to fix that. */
export function collectionGap(
  index: Index,
  context: FixContext,
  part: keyof typeof READ_THROUGH,
): Gap {
  const { orgWide, sources, notCollected } = READ_THROUGH[part];
  const errors = orgWide ? index.orgErrors : index.errorsByAccount.get(context.accountId);
  const from = new Set<string>(sources);
  const relevant = (errors ?? []).filter((e) => from.has(e.source));
  const why =
    relevant.length === 0
      ? 'not collected'
      : relevant.map((e) => `${e.code} from ${e.source}: ${e.message}`).join('; ');
  return { why, fix: fixForErrors(relevant, context, notCollected) };
}

/** A part of the snapshot a fact can read. */
export type SnapshotPart = keyof typeof READ_THROUGH;
