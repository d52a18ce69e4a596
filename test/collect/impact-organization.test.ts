/**
 * The organization-level impact sources (DESIGN §7) on their edge cases:
 * pagination, access denied, a service not in use, the CloudFormation
 * delegated-admin fallback. Every client is mocked; nothing leaves the process.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import {
  DescribeStackSetCommand,
  ListStackInstancesCommand,
  ListStackSetsCommand,
} from '@aws-sdk/client-cloudformation';
import { IAMClient, ListOrganizationsFeaturesCommand } from '@aws-sdk/client-iam';
import {
  ListAWSServiceAccessForOrganizationCommand,
  ListPoliciesCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { SearchProvisionedProductsCommand } from '@aws-sdk/client-service-catalog';
import {
  DescribePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListInstancesCommand,
  ListPermissionSetsCommand,
} from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import controlTower from '../../src/collect/sources/control-tower.js';
import identityCenter from '../../src/collect/sources/identity-center.js';
import organizationPolicies from '../../src/collect/sources/organization-policies.js';
import rootAccessFeatures from '../../src/collect/sources/root-access-features.js';
import stackSets from '../../src/collect/sources/stack-sets.js';
import type { ClientPool } from '../../src/collect/index.js';
import { impactMocks } from '../harness/impact-mocks.js';
import { MEMBER, OTHER, orgContext, testPool } from '../harness/source-context.js';

const orgs = mockClient(OrganizationsClient);
const iam = mockClient(IAMClient);
const m = impactMocks();
const denied = (name = 'AccessDeniedException') =>
  Object.assign(new Error('not allowed'), { name });
const codes = (o: { errors?: readonly { source: string; code: string }[] }) =>
  (o.errors ?? []).map((e) => `${e.source} ${e.code}`);

let pool: ClientPool;
beforeEach(() => {
  pool = testPool();
  orgs.reset().onAnyCommand().resolves({});
  iam.reset().onAnyCommand().rejects(new Error('unexpected IAM call'));
  m.reset();
});
afterEach(() => pool.destroy());

describe('stackSets', () => {
  const summary = (name: string, model = 'SERVICE_MANAGED') => ({
    StackSetName: name,
    PermissionModel: model as 'SERVICE_MANAGED',
    Status: 'ACTIVE' as const,
  });

  test('SELF denied: read as DELEGATED_ADMIN and say so; instances of every page; self-managed left out', async () => {
    m.cloudformation
      .on(ListStackSetsCommand, { CallAs: 'SELF' })
      .rejects(denied())
      .on(ListStackSetsCommand, { CallAs: 'DELEGATED_ADMIN' })
      .resolves({ Summaries: [summary('ss'), summary('mine', 'SELF_MANAGED')] });
    m.cloudformation.on(DescribeStackSetCommand).resolves({
      StackSet: {
        StackSetName: 'ss',
        PermissionModel: 'SERVICE_MANAGED',
        AutoDeployment: { Enabled: true },
      },
    });
    m.cloudformation
      .on(ListStackInstancesCommand)
      .resolvesOnce({ Summaries: [{ Account: OTHER, Region: 'eu-west-1' }], NextToken: 't' })
      .resolvesOnce({ Summaries: [{ Account: MEMBER, Region: 'us-east-1', Status: 'CURRENT' }] });
    const out = await stackSets.collect(orgContext(pool));
    expect(out.errors ?? []).toEqual([]);
    expect(out.value).toEqual([
      {
        name: 'ss',
        permissionModel: 'SERVICE_MANAGED',
        status: 'ACTIVE',
        callAs: 'DELEGATED_ADMIN',
        autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
        instances: [
          { accountId: MEMBER, region: 'us-east-1', status: 'CURRENT' },
          { accountId: OTHER, region: 'eu-west-1' },
        ],
      },
    ]);
    expect(m.cloudformation.commandCalls(DescribeStackSetCommand)[0]!.args[0].input).toEqual({
      StackSetName: 'ss',
      CallAs: 'DELEGATED_ADMIN',
    });
  });

  test('a caller that is not the management account asks as DELEGATED_ADMIN only', async () => {
    m.cloudformation.on(ListStackSetsCommand).resolves({ Summaries: [] });
    const out = await stackSets.collect(orgContext(pool, { callerAccountId: OTHER }));
    expect(out.value).toEqual([]);
    const asked = m.cloudformation
      .commandCalls(ListStackSetsCommand)
      .map((c) => c.args[0].input.CallAs);
    expect(asked).toEqual(['DELEGATED_ADMIN']);
  });

  test('a failure other than denied does not fall back, and one unreadable StackSet leaves the field absent', async () => {
    m.cloudformation.on(ListStackSetsCommand).rejects(denied('ThrottlingException'));
    expect(codes(await stackSets.collect(orgContext(pool)))).toEqual([
      'cloudformation:ListStackSets ThrottlingException',
    ]);
    m.cloudformation.reset().onAnyCommand().resolves({});
    m.cloudformation.on(ListStackSetsCommand).resolves({ Summaries: [summary('a'), summary('b')] });
    m.cloudformation
      .on(DescribeStackSetCommand)
      .resolves({ StackSet: { StackSetName: 'a' } })
      .on(DescribeStackSetCommand, { StackSetName: 'b' })
      .rejects(denied());
    const out = await stackSets.collect(orgContext(pool));
    expect(out.value).toBeUndefined();
    expect(codes(out)).toEqual(['cloudformation:DescribeStackSet AccessDeniedException']);
  });
});

describe('identityCenter', () => {
  const INSTANCE = 'arn:aws:sso:::instance/ssoins-1';
  const ps = (n: number) => `${INSTANCE}/ps-${n}`;

  test('no instance in the region: null only when trusted access for SSO is off', async () => {
    m.ssoAdmin.on(ListInstancesCommand).resolves({ Instances: [] });
    expect(await identityCenter.collect(orgContext(pool))).toEqual({ value: null });
    orgs.on(ListAWSServiceAccessForOrganizationCommand).resolves({
      EnabledServicePrincipals: [{ ServicePrincipal: 'sso.amazonaws.com' }],
    });
    const elsewhere = await identityCenter.collect(orgContext(pool));
    expect(elsewhere.value).toBeUndefined();
    expect(codes(elsewhere)).toEqual(['sso-admin:ListInstances InstanceNotInRegion']);
  });

  test('permission sets of every page; assignments only for in-scope accounts; a failed one stays absent', async () => {
    m.ssoAdmin.on(ListInstancesCommand).resolves({ Instances: [{ InstanceArn: INSTANCE }] });
    m.ssoAdmin
      .on(ListPermissionSetsCommand)
      .resolvesOnce({ PermissionSets: [ps(1)], NextToken: 't' })
      .resolvesOnce({ PermissionSets: [ps(2)] });
    m.ssoAdmin.on(DescribePermissionSetCommand).callsFake((i: { PermissionSetArn: string }) => ({
      PermissionSet: { Name: i.PermissionSetArn.endsWith('1') ? 'Admin' : 'Read' },
    }));
    m.ssoAdmin
      .on(ListAccountsForProvisionedPermissionSetCommand)
      .resolves({ AccountIds: [MEMBER, OTHER] });
    m.ssoAdmin
      .on(ListAccountAssignmentsCommand, { PermissionSetArn: ps(1) })
      .resolves({ AccountAssignments: [{ PrincipalType: 'GROUP', PrincipalId: 'g-1' }] })
      .on(ListAccountAssignmentsCommand, { PermissionSetArn: ps(2) })
      .rejects(denied());
    const out = await identityCenter.collect(orgContext(pool, {}, [MEMBER]));
    expect(out.value?.permissionSets).toEqual([
      {
        arn: ps(1),
        name: 'Admin',
        accounts: [
          { accountId: MEMBER, assignments: [{ principalType: 'GROUP', principalId: 'g-1' }] },
          { accountId: OTHER },
        ],
      },
      { arn: ps(2), name: 'Read', accounts: [{ accountId: MEMBER }, { accountId: OTHER }] },
    ]);
    expect(out.errors?.map((e) => e.entry())).toEqual([
      expect.objectContaining({ accountId: MEMBER, source: 'sso-admin:ListAccountAssignments' }),
    ]);
    const asked = m.ssoAdmin
      .commandCalls(ListAccountAssignmentsCommand)
      .map((c) => c.args[0].input.AccountId);
    expect(asked).toEqual([MEMBER, MEMBER]);
  });
});

describe('organizationPolicies', () => {
  test('per enabled type except SCPs, every page, targets per policy', async () => {
    orgs
      .on(ListPoliciesCommand, { Filter: 'TAG_POLICY' })
      .resolvesOnce({ Policies: [{ Id: 'p-t1', Name: 'T1', Type: 'TAG_POLICY' }], NextToken: 'n' })
      .resolvesOnce({
        Policies: [{ Id: 'p-t2', Name: 'T2', Type: 'TAG_POLICY', AwsManaged: false }],
      });
    orgs
      .on(ListTargetsForPolicyCommand, { PolicyId: 'p-t1' })
      .resolves({ Targets: [{ TargetId: 'r-ab12' }] });
    const ctx = orgContext(pool, { policyTypes: ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'] });
    expect((await organizationPolicies.collect(ctx)).value).toEqual([
      { id: 'p-t1', name: 'T1', type: 'TAG_POLICY', awsManaged: false, targets: ['r-ab12'] },
      { id: 'p-t2', name: 'T2', type: 'TAG_POLICY', awsManaged: false, targets: [] },
    ]);
    const filters = orgs.commandCalls(ListPoliciesCommand).map((c) => c.args[0].input.Filter);
    expect(filters).toEqual(['TAG_POLICY', 'TAG_POLICY']);
  });

  test('only SCPs enabled: [] without a call; unknown types or a denied target read: absent', async () => {
    expect(await organizationPolicies.collect(orgContext(pool))).toEqual({ value: [] });
    expect(orgs.commandCalls(ListPoliciesCommand)).toHaveLength(0);
    const unknown = await organizationPolicies.collect(
      orgContext(pool, { policyTypes: undefined! }),
    );
    expect(codes(unknown)).toEqual(['organizations:ListRoots IncompleteResult']);
    orgs
      .on(ListPoliciesCommand)
      .resolves({ Policies: [{ Id: 'p-b', Name: 'B', Type: 'BACKUP_POLICY' }] });
    orgs.on(ListTargetsForPolicyCommand).rejects(denied());
    const out = await organizationPolicies.collect(
      orgContext(pool, { policyTypes: ['BACKUP_POLICY'] }),
    );
    expect(out.value).toBeUndefined();
    expect(out.errors?.[0]?.message).toMatch(/^organizations:ListTargetsForPolicy \(p-b\): /);
  });
});

describe('controlTower and rootAccessFeatures', () => {
  test('controlTower: trusted access off is null without a Service Catalog call; unknown is absent', async () => {
    expect(await controlTower.collect(orgContext(pool))).toEqual({ value: null });
    expect(m.serviceCatalog.commandCalls(SearchProvisionedProductsCommand)).toHaveLength(0);
    orgs.on(ListAWSServiceAccessForOrganizationCommand).rejects(denied());
    const out = await controlTower.collect(orgContext(pool));
    expect(out.value).toBeUndefined();
    expect(codes(out)).toEqual(['service-catalog:SearchProvisionedProducts AccessDeniedException']);
  });

  test('rootAccessFeatures: IAM without trusted access has none; denied is absent', async () => {
    iam.on(ListOrganizationsFeaturesCommand).rejects(denied('ServiceAccessNotEnabledException'));
    expect(await rootAccessFeatures.collect(orgContext(pool))).toEqual({ value: [] });
    iam.on(ListOrganizationsFeaturesCommand).rejects(denied());
    await expect(rootAccessFeatures.collect(orgContext(pool))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});
