/**
 * The AWS operations collection calls, as the snapshot's `errors[].source`
 * names them, and the ids of the registered sources (each the operation that
 * defines it). The facts layer refers to sources by these ids.
 */

/** Every `service:Operation` that can appear in `errors[].source`. */
export const OPERATIONS = [
  'sts:GetCallerIdentity',
  'sts:AssumeRole',
  'organizations:DescribeOrganization',
  'organizations:ListRoots',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListAccountsForParent',
  'organizations:ListAccounts',
  'organizations:DescribeAccount',
  'organizations:ListParents',
  'organizations:DescribeOrganizationalUnit',
  'organizations:ListPolicies',
  'organizations:DescribePolicy',
  'organizations:ListTargetsForPolicy',
  'organizations:ListPoliciesForTarget',
  'organizations:ListDelegatedAdministrators',
  'organizations:ListDelegatedServicesForAccount',
  'organizations:ListAWSServiceAccessForOrganization',
  'organizations:ListTagsForResource',
  'organizations:ListHandshakesForAccount',
  'iam:GetRole',
  'iam:GetUser',
  'iam:ListRolePolicies',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListUserPolicies',
  'iam:GetUserPolicy',
  'iam:ListAttachedUserPolicies',
  'iam:ListGroupsForUser',
  'iam:ListGroupPolicies',
  'iam:GetGroupPolicy',
  'iam:ListAttachedGroupPolicies',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'account:GetContactInformation',
  'support:DescribeSeverityLevels',
] as const;

export type Operation = (typeof OPERATIONS)[number];

/** The ids of the registered sources (src/collect/sources/index.ts). */
export const SOURCE_IDS = [
  'organizations:DescribePolicy',
  'organizations:ListDelegatedAdministrators',
  'organizations:ListAWSServiceAccessForOrganization',
  'organizations:ListTagsForResource',
  'account:GetContactInformation',
  'iam:GetRole',
  'support:DescribeSeverityLevels',
  'organizations:ListHandshakesForAccount',
] as const satisfies readonly Operation[];

export type SourceId = (typeof SOURCE_IDS)[number];
