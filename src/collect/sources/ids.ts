/**
 * The AWS operations collection calls, as the snapshot's `errors[].source`
 * names them, and the ids of the registered sources (each the operation that
 * defines it). The facts layer refers to sources by these ids.
 */

/** The IAM reads of the principal, its policies and its boundary (the iam:GetRole source). */
export const PRINCIPAL_OPERATIONS = [
  'iam:GetRole',
  'iam:GetUser',
  // The fast path: one paginated read of the principal with its policies.
  'iam:GetAccountAuthorizationDetails',
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
] as const;

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
  ...PRINCIPAL_OPERATIONS,
  'organizations:ListHandshakesForAccount',
  'account:GetContactInformation',
  'support:DescribeSeverityLevels',
  // What breaks when the account goes (DESIGN §7). Services are named as the
  // SDK's service id (sso-admin, service-catalog), like the call counts; the
  // IAM actions are sso:* and servicecatalog:* (README, AWS permissions).
  'cloudformation:ListStackSets',
  'cloudformation:DescribeStackSet',
  'cloudformation:ListStackInstances',
  'sso-admin:ListInstances',
  'sso-admin:ListPermissionSets',
  'sso-admin:DescribePermissionSet',
  'sso-admin:ListAccountsForProvisionedPermissionSet',
  'sso-admin:ListAccountAssignments',
  'service-catalog:SearchProvisionedProducts',
  'service-catalog:GetProvisionedProductOutputs',
  'iam:ListOrganizationsFeatures',
  'ram:GetResourceShares',
  'ram:GetResourceShareAssociations',
  'savingsplans:DescribeSavingsPlans',
  'sts:AssumeRoot',
  'iam:GetAccountSummary',
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
  'organizations:ListRoots',
  'cloudformation:ListStackSets',
  'sso-admin:ListInstances',
  'service-catalog:SearchProvisionedProducts',
  'iam:ListOrganizationsFeatures',
  'ram:GetResourceShares',
  'savingsplans:DescribeSavingsPlans',
  'sts:AssumeRoot',
  'organizations:ListHandshakesForAccount',
] as const satisfies readonly Operation[];

export type SourceId = (typeof SOURCE_IDS)[number];
