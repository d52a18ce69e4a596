/**
 * The seeded organization the live integration tests share: one account per
 * way to be blocked or unknown, and one that is ready.
 *
 *   root  (RootGuard, FullAWSAccess)
 *   ├─ Workloads (WorkloadsGuard)
 *   │  ├─ Prod (ProdGuard: deny LeaveOrganization except to OrganizationAccountAccessRole)
 *   │  │  └─ ready        tagged role with inline+managed policies and a boundary, AccountGuard,
 *   │  │                   paid support, VERIFIED phone
 *   │  ├─ delegated       delegated administrator for guardduty
 *   │  └─ no-role         member role deleted (AssumeRole denied)
 *   ├─ Sandbox (DenyLeave)
 *   │  └─ scp-blocked
 *   ├─ Restricted (FullAWSAccess detached; only AllowReadOnly)
 *   │  └─ restricted
 *   └─ no-contact        no contact information
 */
import { awsError } from './aws-proxy.js';
import type { ProxyHandler } from './aws-proxy.js';
import { COMPLETE_CONTACT, missingOperationHandlers } from './aws-fakes.js';
import type { FakeAccountFacts } from './aws-fakes.js';
import { seedOrganization } from './moto-seed.js';
import type { OrgSpec, SeededOrg } from './moto-seed.js';

const allowLeave = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Leave', Effect: 'Allow', Action: 'organizations:LeaveOrganization', Resource: '*' },
  ],
};

const deny = (sid: string, action: string) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: sid, Effect: 'Deny', Action: action, Resource: '*' }],
});

/** The organization, as moto-seed builds it. */
export const SCENARIO_SPEC: OrgSpec = {
  ous: [
    { name: 'Workloads' },
    { name: 'Prod', parent: 'Workloads' },
    { name: 'Sandbox' },
    { name: 'Restricted' },
  ],
  accounts: [
    {
      name: 'ready',
      parent: 'Prod',
      tags: { CostCenter: '42', Owner: 'payments' },
      role: {
        tags: { team: 'platform' },
        inline: { LeavePolicy: allowLeave },
        managed: {
          ReadOrg: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'organizations:Describe*', Resource: '*' }],
          },
        },
        boundary: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'organizations:*', Resource: '*' }],
        },
      },
    },
    { name: 'delegated', parent: 'Workloads', role: { inline: { LeavePolicy: allowLeave } } },
    { name: 'no-role', parent: 'Workloads', role: 'deleted' },
    { name: 'scp-blocked', parent: 'Sandbox', role: { inline: { LeavePolicy: allowLeave } } },
    { name: 'restricted', parent: 'Restricted', role: { inline: { LeavePolicy: allowLeave } } },
    {
      name: 'no-contact',
      tags: { Owner: 'nobody' },
      role: { inline: { LeavePolicy: allowLeave } },
    },
  ],
  policies: [
    { name: 'RootGuard', document: deny('NoVpcDelete', 'ec2:DeleteVpc'), targets: ['root'] },
    {
      name: 'WorkloadsGuard',
      document: deny('NoBucketDelete', 's3:DeleteBucket'),
      targets: ['Workloads'],
    },
    {
      name: 'ProdGuard',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'OnlyAccessRoleMayLeave',
            Effect: 'Deny',
            Action: 'organizations:LeaveOrganization',
            Resource: '*',
            Condition: {
              ArnNotLike: {
                'aws:PrincipalArn': 'arn:aws:iam::*:role/OrganizationAccountAccessRole',
              },
            },
          },
        ],
      },
      targets: ['Prod'],
    },
    { name: 'AccountGuard', document: deny('NoUsers', 'iam:CreateUser'), targets: ['ready'] },
    {
      name: 'DenyLeave',
      document: deny('DenyLeave', 'organizations:LeaveOrganization'),
      targets: ['Sandbox'],
    },
    {
      name: 'AllowReadOnly',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 'ec2:Describe*'], Resource: '*' }],
      },
      targets: ['Restricted'],
    },
  ],
  detachFullAwsAccess: ['Restricted'],
  delegatedAdmins: [{ account: 'delegated', servicePrincipal: 'guardduty.amazonaws.com' }],
  trustedServices: ['account.amazonaws.com'],
};

/** What the fake Account and Support APIs say about each scenario account. */
export function scenarioFacts(org: SeededOrg): (accountId: string) => FakeAccountFacts | undefined {
  const byId: Record<string, FakeAccountFacts> = {
    [org.accounts.ready!]: {
      contact: COMPLETE_CONTACT,
      verificationStatus: 'VERIFIED',
      support: true,
    },
    [org.accounts['no-contact']!]: { contact: null },
  };
  return (id) => byId[id];
}

/**
 * Proxy handlers for the scenario: the missing operations, and AssumeRole of
 * the deleted role answered AccessDenied as AWS does (moto assumes any role).
 */
export function scenarioHandlers(org: SeededOrg): Record<string, ProxyHandler> {
  const deleted = `arn:aws:iam::${org.accounts['no-role']!}:role/OrganizationAccountAccessRole`;
  return {
    ...missingOperationHandlers(scenarioFacts(org), org.managementAccountId),
    'sts:AssumeRole': (req) =>
      req.params.RoleArn === deleted
        ? awsError(
            req,
            'AccessDenied',
            `User is not authorized to perform: sts:AssumeRole on resource: ${deleted}`,
            403,
          )
        : undefined,
  };
}

/** Seeds the scenario organization in a fresh management account. */
export function seedScenario(motoUrl: string): Promise<SeededOrg> {
  return seedOrganization(motoUrl, SCENARIO_SPEC);
}
