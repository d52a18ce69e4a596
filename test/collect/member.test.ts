/**
 * The member view of an IAM user principal (moto's seeded org uses roles):
 * its own inline and attached policies, then each group's, in a stable order;
 * a failed group read leaves the identity policies absent, never a partial
 * list. GetAccountAuthorizationDetails is refused here, so these are the
 * per-policy reads (the fast path is test/collect/principal-details.test.ts);
 * when they fail too, the refusal is recorded beside their error.
 * Every client is mocked (aws-sdk-client-mock); nothing leaves the process.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { AccountClient } from '@aws-sdk/client-account';
import {
  GetAccountAuthorizationDetailsCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListOrganizationsFeaturesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  ListParentsCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SupportClient } from '@aws-sdk/client-support';
import { mockClient } from 'aws-sdk-client-mock';
import { impactMocks } from '../harness/impact-mocks.js';
import { collect, createClientPool } from '../../src/collect/index.js';
import type { ClientPool, MemberSession } from '../../src/collect/index.js';

const MGMT = '111111111111';
const MEMBER = '222222222222';
const ROOT = 'r-ab12';
const USER_ARN = `arn:aws:iam::${MEMBER}:user/ops/leaver`;
const MANAGED = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const GROUP_MANAGED = `arn:aws:iam::${MEMBER}:policy/GroupLeave`;

const orgs = mockClient(OrganizationsClient);
const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
// The impact sources' clients answer "none" (their own tests are test/collect/impact-*.test.ts).
const impact = impactMocks();
const accountApi = mockClient(AccountClient);
const support = mockClient(SupportClient);

const GAAD_DENIED = Object.assign(new Error('not authorized: iam:GetAccountAuthorizationDetails'), {
  name: 'AccessDenied',
});
// Recorded only when the per-policy reads fail as well (errors[] is sorted by source).
const gaadRefused = expect.objectContaining({
  accountId: MEMBER,
  source: 'iam:GetAccountAuthorizationDetails',
  code: 'AccessDenied',
});

const doc = (sid: string): string =>
  encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid }] }));

function fakePool(): ClientPool {
  const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };
  const session: MemberSession = {
    kind: 'member',
    accountId: MEMBER,
    roleArn: `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`,
    credentials: () => Promise.resolve(credentials),
  };
  // Real pool, mocked clients (aws-sdk-client-mock stubs every instance); no AssumeRole.
  return { ...createClientPool({ credentials, region: 'us-east-1' }), member: () => session };
}

beforeEach(() => {
  for (const m of [orgs, sts, iam, accountApi, support]) m.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: MGMT });
  orgs.onAnyCommand().resolves({});
  orgs.on(DescribeOrganizationCommand).resolves({
    Organization: { Id: 'o-abc1234567', FeatureSet: 'ALL', MasterAccountId: MGMT },
  });
  orgs.on(ListRootsCommand).resolves({ Roots: [{ Id: ROOT, PolicyTypes: [] }] });
  orgs.on(DescribeAccountCommand).resolves({ Account: { Id: MEMBER, State: 'ACTIVE' } });
  orgs.on(ListParentsCommand).resolves({ Parents: [{ Id: ROOT, Type: 'ROOT' }] });
  accountApi.onAnyCommand().resolves({});
  support.onAnyCommand().resolves({});
  // The one organization-level IAM read (centralized root access): none enabled.
  iam.on(ListOrganizationsFeaturesCommand).resolves({ EnabledFeatures: [] });
  iam.on(GetAccountAuthorizationDetailsCommand).rejects(GAAD_DENIED);
  impact.reset();
  iam.on(GetUserCommand).resolves({
    User: {
      Arn: USER_ARN,
      UserName: 'leaver',
      UserId: 'AIDA',
      Path: '/ops/',
      CreateDate: new Date(),
      Tags: [{ Key: 'team', Value: 'platform' }],
    },
  });
  iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ['Own'] });
  iam.on(GetUserPolicyCommand).resolves({ PolicyDocument: doc('Own') });
  iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: MANAGED }] });
  iam.on(ListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'leavers' }] as never });
  iam.on(ListGroupPoliciesCommand).resolves({ PolicyNames: ['GroupInline'] });
  iam.on(GetGroupPolicyCommand).resolves({ PolicyDocument: doc('GroupInline') });
  iam
    .on(ListAttachedGroupPoliciesCommand)
    .resolves({ AttachedPolicies: [{ PolicyArn: GROUP_MANAGED }] });
  iam.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: 'v1' } });
  iam
    .on(GetPolicyVersionCommand, { PolicyArn: MANAGED })
    .resolves({ PolicyVersion: { Document: doc('Managed') } })
    .on(GetPolicyVersionCommand, { PolicyArn: GROUP_MANAGED })
    .resolves({ PolicyVersion: { Document: doc('GroupManaged') } });
});

afterEach(() => {
  for (const m of [orgs, sts, iam, accountApi, support]) m.reset();
});

const run = () =>
  collect({
    scope: { accounts: [MEMBER] },
    memberRole: 'OrganizationAccountAccessRole',
    principalArn: USER_ARN,
    concurrency: 4,
    progress: false,
    pool: fakePool(),
  });

test("a user's own policies, then each group's, in order; tags from GetUser", async () => {
  const snapshot = await run();
  const principal = snapshot.accounts[0]!.principal!;
  expect(principal.arn).toBe(USER_ARN);
  expect(principal.tags).toEqual({ team: 'platform' });
  expect(principal.identityPolicyNames).toEqual([
    'inline:Own',
    MANAGED,
    'group:leavers:inline:GroupInline',
    GROUP_MANAGED,
  ]);
  expect(principal.identityPolicies).toEqual(
    ['Own', 'Managed', 'GroupInline', 'GroupManaged'].map((sid) => ({
      Version: '2012-10-17',
      Statement: [{ Sid: sid }],
    })),
  );
  expect(principal.permissionsBoundary).toBeNull();
  expect(snapshot.errors).toEqual([]);
});

test("a group's policies that cannot be listed leave identityPolicies absent, with the error", async () => {
  iam
    .on(ListAttachedGroupPoliciesCommand)
    .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
  const snapshot = await run();
  const principal = snapshot.accounts[0]!.principal!;
  expect(principal.arn).toBe(USER_ARN);
  expect(principal).not.toHaveProperty('identityPolicies');
  expect(principal).not.toHaveProperty('identityPolicyNames');
  expect(snapshot.errors).toEqual([
    gaadRefused,
    expect.objectContaining({
      accountId: MEMBER,
      source: 'iam:ListAttachedGroupPolicies',
      code: 'AccessDenied',
    }),
  ]);
});

test('a customer managed policy attached to the user and its group, and its boundary, is read once', async () => {
  iam
    .on(ListAttachedUserPoliciesCommand)
    .resolves({ AttachedPolicies: [{ PolicyArn: GROUP_MANAGED }] });
  iam.on(GetUserCommand).resolves({
    User: {
      Arn: USER_ARN,
      UserName: 'leaver',
      UserId: 'AIDA',
      Path: '/ops/',
      CreateDate: new Date(),
      PermissionsBoundary: {
        PermissionsBoundaryArn: GROUP_MANAGED,
        PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      },
    },
  });
  const snapshot = await run();
  const principal = snapshot.accounts[0]!.principal!;
  expect(principal.identityPolicyNames).toEqual([
    'inline:Own',
    GROUP_MANAGED,
    'group:leavers:inline:GroupInline',
    GROUP_MANAGED,
  ]);
  expect(principal.permissionsBoundary).toEqual({
    Version: '2012-10-17',
    Statement: [{ Sid: 'GroupManaged' }],
  });
  expect(iam.commandCalls(GetPolicyCommand, { PolicyArn: GROUP_MANAGED })).toHaveLength(1);
  expect(iam.commandCalls(GetPolicyVersionCommand, { PolicyArn: GROUP_MANAGED })).toHaveLength(1);
});

test('a GetUser answer without the user leaves the principal absent, never tags {} and no boundary', async () => {
  iam.on(GetUserCommand).resolves({});
  const snapshot = await run();
  expect(snapshot.accounts[0]).not.toHaveProperty('principal');
  expect(snapshot.errors).toEqual([
    gaadRefused,
    expect.objectContaining({ accountId: MEMBER, source: 'iam:GetUser', code: 'IncompleteResult' }),
  ]);
});
