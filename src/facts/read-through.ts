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

/** IAM reads of the root user's credentials, not of the principal's policies. */
const ROOT_READS: readonly Operation[] = ['iam:ListOrganizationsFeatures', 'iam:GetAccountSummary'];

/** Every IAM read of the principal's policies (the collector names the exact call that failed). */
const IAM_POLICY_READS: readonly Operation[] = OPERATIONS.filter(
  (o) => o.startsWith('iam:') && !ROOT_READS.includes(o),
);

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
  // --- The impact sources (DESIGN §7) ---
  stackSets: {
    orgWide: true,
    sources: [
      'cloudformation:ListStackSets',
      'cloudformation:DescribeStackSet',
      'cloudformation:ListStackInstances',
    ],
    notCollected:
      'collect again from the management account, or as the CloudFormation delegated administrator (--call-as DELEGATED_ADMIN), with cloudformation:ListStackSets, DescribeStackSet and ListStackInstances; service-managed StackSets need trusted access for member.org.stacksets.cloudformation.amazonaws.com',
  },
  identityCenter: {
    orgWide: true,
    sources: [
      'sso-admin:ListInstances',
      'sso-admin:ListPermissionSets',
      'sso-admin:DescribePermissionSet',
      'sso-admin:ListAccountsForProvisionedPermissionSet',
      'sso-admin:ListAccountAssignments',
    ],
    notCollected:
      'collect again from the management account or the IAM Identity Center delegated administrator, in the Identity Center home Region (--region), with sso:ListInstances, sso:ListPermissionSets, sso:DescribePermissionSet, sso:ListAccountsForProvisionedPermissionSet and sso:ListAccountAssignments',
  },
  controlTower: {
    orgWide: true,
    sources: [
      'organizations:ListAWSServiceAccessForOrganization',
      'service-catalog:SearchProvisionedProducts',
      'service-catalog:GetProvisionedProductOutputs',
    ],
    notCollected:
      'collect again from the management account with organizations:ListAWSServiceAccessForOrganization and, when trusted access for controltower.amazonaws.com is on, servicecatalog:SearchProvisionedProducts and servicecatalog:GetProvisionedProductOutputs (the Account Factory products, in the Control Tower home Region)',
  },
  organizationPolicies: {
    orgWide: true,
    sources: [
      'organizations:ListRoots',
      'organizations:ListPolicies',
      'organizations:ListTargetsForPolicy',
    ],
    notCollected:
      'collect again from the management account with organizations:ListRoots, ListPolicies and ListTargetsForPolicy for every enabled policy type (RCPs, tag, backup, AI opt-out, declarative policies)',
  },
  trustedServices: {
    orgWide: true,
    sources: ['organizations:ListAWSServiceAccessForOrganization'],
    notCollected:
      'collect again from the management account (organizations:ListAWSServiceAccessForOrganization)',
  },
  rootAccessFeatures: {
    orgWide: true,
    sources: ['iam:ListOrganizationsFeatures'],
    notCollected: 'collect again from the management account (iam:ListOrganizationsFeatures)',
  },
  rootCredentials: {
    orgWide: false,
    sources: ['sts:AssumeRoot', 'iam:GetAccountSummary'],
    notCollected:
      'collect again from the management account with sts:AssumeRoot on the account (task policy arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials) and iam:GetAccountSummary in the root session',
  },
  ramShares: {
    orgWide: false,
    sources: ['ram:GetResourceShares', 'ram:GetResourceShareAssociations', 'sts:AssumeRole'],
    notCollected:
      'collect again with the member role (--member-role): ram:GetResourceShares (resource owner SELF and OTHER-ACCOUNTS) and ram:GetResourceShareAssociations are called in the member account',
  },
  savingsPlans: {
    orgWide: false,
    sources: ['savingsplans:DescribeSavingsPlans', 'sts:AssumeRole'],
    notCollected:
      'collect again with the member role (--member-role): savingsplans:DescribeSavingsPlans is called in the member account',
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
