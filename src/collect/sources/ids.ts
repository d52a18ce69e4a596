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
  'cloudformation:ListStackSets',
  'cloudformation:DescribeStackSet',
  'cloudformation:ListStackInstances',
  'sso-admin:ListInstances',
  'sso-admin:ListPermissionSetsProvisionedToAccount',
  'sso-admin:ListAccountAssignments',
  'controltower:ListEnabledBaselines',
  'iam:ListOrganizationsFeatures',
  'sts:AssumeRoot',
  'iam:GetAccountSummary',
  'ram:GetResourceShares',
  'ram:GetResourceShareAssociations',
  'savingsplans:DescribeSavingsPlans',
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
] as const satisfies readonly Operation[];

export type SourceId = (typeof SOURCE_IDS)[number];
