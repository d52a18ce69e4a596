/**
 * The principal's fast path (src/collect/sources/principal-details.ts):
 * iam:GetAccountAuthorizationDetails read page by page until the principal
 * and its customer managed documents are seen, and its fallback to the
 * per-policy calls — refused → the same principal as the per-policy path
 * with no error; both refused → the field absent with both reasons. Every
 * client is mocked (aws-sdk-client-mock); nothing leaves the process.
 */
import { beforeEach, expect, test } from '@jest/globals';
import { AccountClient } from '@aws-sdk/client-account';
import {
  GetAccountAuthorizationDetailsCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListOrganizationsFeaturesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import type {
  GetAccountAuthorizationDetailsCommandInput,
  GetAccountAuthorizationDetailsCommandOutput,
  RoleDetail,
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
const ROLE = 'OrganizationAccountAccessRole';
const ROLE_ARN = `arn:aws:iam::${MEMBER}:role/${ROLE}`;
const CUSTOMER = `arn:aws:iam::${MEMBER}:policy/Leavers`;
const BOUNDARY = `arn:aws:iam::${MEMBER}:policy/Boundary`;
const MANAGED = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

const orgs = mockClient(OrganizationsClient);
const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
const impact = impactMocks();
const accountApi = mockClient(AccountClient);
const support = mockClient(SupportClient);

const denied = (what: string) =>
  Object.assign(new Error(`not authorized to perform ${what}`), { name: 'AccessDenied' });
const statement = (sid: string) => ({ Version: '2012-10-17', Statement: [{ Sid: sid }] });
const doc = (sid: string): string => encodeURIComponent(JSON.stringify(statement(sid)));

const roleDetail: RoleDetail = {
  RoleName: ROLE,
  Arn: ROLE_ARN,
  Path: '/',
  Tags: [{ Key: 'team', Value: 'platform' }],
  RolePolicyList: [
    { PolicyName: 'Leave', PolicyDocument: doc('Leave') },
    { PolicyName: 'Zeta', PolicyDocument: doc('Zeta') },
  ],
  AttachedManagedPolicies: [
    { PolicyName: 'Leavers', PolicyArn: CUSTOMER },
    { PolicyName: 'ReadOnlyAccess', PolicyArn: MANAGED },
  ],
  PermissionsBoundary: {
    PermissionsBoundaryArn: BOUNDARY,
    PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
  },
};

const policyDetail = (arn: string, sid: string) => ({
  Arn: arn,
  DefaultVersionId: 'v2',
  PolicyVersionList: [
    { VersionId: 'v1', IsDefaultVersion: false, Document: doc(`${sid}-old`) },
    { VersionId: 'v2', IsDefaultVersion: true, Document: doc(sid) },
  ],
});

type Page = Partial<GetAccountAuthorizationDetailsCommandOutput>;
/** The Marker of each GetAccountAuthorizationDetails request, as sent (the paginator reuses its input). */
let markers: (string | undefined)[] = [];
/** GetAccountAuthorizationDetails answering `pages` in turn, following Marker. */
function answerPages(...pages: Page[]): void {
  markers = [];
  iam
    .on(GetAccountAuthorizationDetailsCommand)
    .callsFake((input: GetAccountAuthorizationDetailsCommandInput) => {
      markers.push(input.Marker);
      const i = input.Marker === undefined ? 0 : Number(input.Marker);
      const last = i === pages.length - 1;
      return { ...pages[i], IsTruncated: !last, ...(last ? {} : { Marker: String(i + 1) }) };
    });
}

function fakePool(): ClientPool {
  const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };
  const session: MemberSession = {
    kind: 'member',
    accountId: MEMBER,
    roleArn: ROLE_ARN,
    credentials: () => Promise.resolve(credentials),
  };
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
  impact.reset();
  iam.on(ListOrganizationsFeaturesCommand).resolves({ EnabledFeatures: [] });
  // The fast path: everything in one page.
  answerPages({
    RoleDetailList: [{ ...roleDetail, RoleName: 'Other', Arn: 'x' }, roleDetail],
    Policies: [policyDetail(CUSTOMER, 'Leavers'), policyDetail(BOUNDARY, 'Boundary')],
  });
  // The same account through the per-policy calls.
  iam.on(GetRoleCommand).resolves({
    Role: {
      RoleName: ROLE,
      Arn: ROLE_ARN,
      Path: '/',
      RoleId: 'AROA',
      CreateDate: new Date(),
      Tags: roleDetail.Tags,
      PermissionsBoundary: roleDetail.PermissionsBoundary,
    },
  });
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['Leave', 'Zeta'] });
  iam
    .on(GetRolePolicyCommand, { PolicyName: 'Leave' })
    .resolves({ PolicyDocument: doc('Leave') })
    .on(GetRolePolicyCommand, { PolicyName: 'Zeta' })
    .resolves({ PolicyDocument: doc('Zeta') });
  iam
    .on(ListAttachedRolePoliciesCommand)
    .resolves({ AttachedPolicies: [{ PolicyArn: CUSTOMER }, { PolicyArn: MANAGED }] });
  iam.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: 'v2' } });
  iam
    .on(GetPolicyVersionCommand, { PolicyArn: CUSTOMER })
    .resolves({ PolicyVersion: { Document: doc('Leavers') } })
    .on(GetPolicyVersionCommand, { PolicyArn: BOUNDARY })
    .resolves({ PolicyVersion: { Document: doc('Boundary') } })
    .on(GetPolicyVersionCommand, { PolicyArn: MANAGED })
    .resolves({ PolicyVersion: { Document: doc('ReadOnly') } });
});

const run = (serial = false) =>
  collect({
    scope: { accounts: [MEMBER] },
    memberRole: ROLE,
    concurrency: serial ? 1 : 4,
    ...(serial && { memberConcurrency: 1 }),
    progress: false,
    pool: fakePool(),
  });

const EXPECTED = {
  arn: ROLE_ARN,
  tags: { team: 'platform' },
  identityPolicies: [
    statement('Leave'),
    statement('Zeta'),
    statement('Leavers'),
    statement('ReadOnly'),
  ],
  identityPolicyNames: ['inline:Leave', 'inline:Zeta', CUSTOMER, MANAGED],
  permissionsBoundaryArn: BOUNDARY,
  permissionsBoundary: statement('Boundary'),
};

const perPolicyCalls = () =>
  iam.commandCalls(GetRoleCommand).length +
  iam.commandCalls(ListRolePoliciesCommand).length +
  iam.commandCalls(GetRolePolicyCommand).length +
  iam.commandCalls(ListAttachedRolePoliciesCommand).length;

test('one GetAccountAuthorizationDetails read gives the principal; only the AWS managed document is fetched', async () => {
  const snapshot = await run();
  expect(snapshot.accounts[0]!.principal).toEqual(EXPECTED);
  expect(snapshot.errors).toEqual([]);
  const reads = iam.commandCalls(GetAccountAuthorizationDetailsCommand);
  expect(reads).toHaveLength(1);
  expect(reads[0]!.args[0].input).toMatchObject({
    Filter: ['Role', 'LocalManagedPolicy'],
    MaxItems: 1000,
  });
  expect(perPolicyCalls()).toBe(0);
  expect(iam.commandCalls(GetPolicyCommand).map((c) => c.args[0].input.PolicyArn)).toEqual([
    MANAGED,
  ]);
});

test('refused: the per-policy calls give exactly the same principal, and no error is recorded', async () => {
  const fast = (await run()).accounts[0]!.principal;
  iam.on(GetAccountAuthorizationDetailsCommand).rejects(denied('GetAccountAuthorizationDetails'));
  for (const serial of [false, true]) {
    const snapshot = await run(serial);
    expect(snapshot.accounts[0]!.principal).toEqual(fast);
    expect(snapshot.accounts[0]!.principal).toEqual(EXPECTED);
    // A fallback that succeeds makes no rule unknown: nothing in errors[].
    expect(snapshot.errors).toEqual([]);
  }
  expect(perPolicyCalls()).toBeGreaterThan(0);
});

test('refused, and the per-policy calls refused too: the principal is absent, with both reasons', async () => {
  iam.on(GetAccountAuthorizationDetailsCommand).rejects(denied('GetAccountAuthorizationDetails'));
  iam.on(GetRoleCommand).rejects(denied('GetRole'));
  iam.on(ListRolePoliciesCommand).rejects(denied('ListRolePolicies'));
  iam.on(ListAttachedRolePoliciesCommand).rejects(denied('ListAttachedRolePolicies'));
  const snapshot = await run();
  expect(snapshot.accounts[0]).not.toHaveProperty('principal');
  expect(snapshot.errors).toEqual([
    expect.objectContaining({
      accountId: MEMBER,
      source: 'iam:GetAccountAuthorizationDetails',
      code: 'AccessDenied',
    }),
    expect.objectContaining({ accountId: MEMBER, source: 'iam:GetRole', code: 'AccessDenied' }),
  ]);
});

test('refused, and only the policy lists refused: the ARN and tags stay, the policies are absent, both reasons', async () => {
  iam.on(GetAccountAuthorizationDetailsCommand).rejects(denied('GetAccountAuthorizationDetails'));
  iam.on(ListAttachedRolePoliciesCommand).rejects(denied('ListAttachedRolePolicies'));
  const snapshot = await run();
  const principal = snapshot.accounts[0]!.principal!;
  expect(principal).toMatchObject({ arn: ROLE_ARN, tags: { team: 'platform' } });
  expect(principal).not.toHaveProperty('identityPolicies');
  expect(snapshot.errors.map((e) => [e.source, e.code])).toEqual([
    ['iam:GetAccountAuthorizationDetails', 'AccessDenied'],
    ['iam:ListAttachedRolePolicies', 'AccessDenied'],
  ]);
});

test('paginated: pages are read until the principal and its documents are all seen, then no more', async () => {
  answerPages(
    { RoleDetailList: [roleDetail], Policies: [policyDetail(CUSTOMER, 'Leavers')] },
    { RoleDetailList: [], Policies: [policyDetail(BOUNDARY, 'Boundary')] },
    { RoleDetailList: [{ ...roleDetail, RoleName: 'Unread' }] },
  );
  const snapshot = await run();
  expect(snapshot.accounts[0]!.principal).toEqual(EXPECTED);
  expect(markers).toEqual([undefined, '1']);
  expect(perPolicyCalls()).toBe(0);
});

test('an answer without the principal falls back: a missing role is reported as GetRole reports it', async () => {
  answerPages({ RoleDetailList: [{ ...roleDetail, RoleName: 'Other' }] });
  iam.on(GetRoleCommand).rejects(Object.assign(new Error('no role'), { name: 'NoSuchEntity' }));
  const snapshot = await run();
  expect(snapshot.accounts[0]).not.toHaveProperty('principal');
  expect(snapshot.errors).toEqual([
    expect.objectContaining({ accountId: MEMBER, source: 'iam:GetRole', code: 'NoSuchEntity' }),
  ]);
});

test('an AWS managed document that cannot be read leaves the policies absent with that error, as before', async () => {
  iam.on(GetPolicyCommand, { PolicyArn: MANAGED }).rejects(denied('GetPolicy'));
  const snapshot = await run();
  const principal = snapshot.accounts[0]!.principal!;
  expect(principal).toMatchObject({ arn: ROLE_ARN, permissionsBoundary: statement('Boundary') });
  expect(principal).not.toHaveProperty('identityPolicies');
  expect(snapshot.errors.map((e) => [e.source, e.code])).toEqual([
    ['iam:GetPolicy', 'AccessDenied'],
  ]);
  expect(perPolicyCalls()).toBe(0);
});

test('a user: its own policies, then each group, from users, groups and customer managed policies', async () => {
  const userArn = `arn:aws:iam::${MEMBER}:user/ops/leaver`;
  answerPages({
    UserDetailList: [
      {
        UserName: 'leaver',
        Arn: userArn,
        Tags: [{ Key: 'k', Value: 'v' }],
        UserPolicyList: [{ PolicyName: 'Own', PolicyDocument: doc('Own') }],
        GroupList: ['leavers'],
        AttachedManagedPolicies: [],
      },
    ],
    GroupDetailList: [
      {
        GroupName: 'leavers',
        GroupPolicyList: [{ PolicyName: 'G', PolicyDocument: doc('G') }],
        AttachedManagedPolicies: [{ PolicyArn: CUSTOMER }],
      },
    ],
    Policies: [policyDetail(CUSTOMER, 'Leavers')],
  });
  const snapshot = await collect({
    scope: { accounts: [MEMBER] },
    memberRole: ROLE,
    principalArn: userArn,
    concurrency: 4,
    progress: false,
    pool: fakePool(),
  });
  expect(snapshot.accounts[0]!.principal).toEqual({
    arn: userArn,
    tags: { k: 'v' },
    identityPolicies: [statement('Own'), statement('G'), statement('Leavers')],
    identityPolicyNames: ['inline:Own', 'group:leavers:inline:G', CUSTOMER],
    permissionsBoundary: null,
  });
  expect(snapshot.errors).toEqual([]);
  expect(iam.commandCalls(GetAccountAuthorizationDetailsCommand)[0]!.args[0].input.Filter).toEqual([
    'User',
    'Group',
    'LocalManagedPolicy',
  ]);
});
