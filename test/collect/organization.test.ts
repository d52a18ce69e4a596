/**
 * The management view when some Organizations calls fail or answer oddly:
 * a field built from part of its data must be absent (rules unknown), never a
 * partial list that reads as the whole organization. Organizations is mocked
 * (aws-sdk-client-mock); nothing leaves the process.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { AccountClient } from '@aws-sdk/client-account';
import { IAMClient, ListOrganizationsFeaturesCommand } from '@aws-sdk/client-iam';
import {
  DescribeAccountCommand,
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListDelegatedAdministratorsCommand,
  ListDelegatedServicesForAccountCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { impactMocks } from '../harness/impact-mocks.js';
import { collect, createClientPool } from '../../src/collect/index.js';
import type { ClientPool, CollectOptions } from '../../src/collect/index.js';
import { validateSnapshot } from '../../src/snapshot/load.js';

const orgs = mockClient(OrganizationsClient);
const sts = mockClient(STSClient);
// Every client of the pool is mocked: no call may leave the process.
const accountApi = mockClient(AccountClient);
const iam = mockClient(IAMClient);
// The impact sources' clients answer "none" (their own tests are test/collect/impact-*.test.ts).
const impact = impactMocks();

const MGMT = '111111111111';
const MEMBER = '222222222222';
const ROOT = 'r-ab12';
const WORK = 'ou-ab12-work0000';
const PROD = 'ou-ab12-prod0000';
const ORG = 'o-abc1234567';

const accessDenied = (): Error =>
  Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });

const account = (id: string) => ({
  Id: id,
  Arn: `arn:aws:organizations::${MGMT}:account/${ORG}/${id}`,
  Name: id === MGMT ? 'management' : 'member',
  State: 'ACTIVE' as const,
  JoinedMethod: 'CREATED' as const,
  JoinedTimestamp: new Date('2026-01-01T00:00:00Z'),
});

function fakePool(): ClientPool {
  const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };
  // Real pool, mocked clients (aws-sdk-client-mock stubs every instance).
  return {
    ...createClientPool({ credentials, region: 'us-east-1' }),
    member: () => {
      throw new Error('these tests make no member-side call');
    },
  };
}

const options = (scope: CollectOptions['scope']): CollectOptions => ({
  scope,
  memberRole: 'OrganizationAccountAccessRole',
  skipMember: true,
  concurrency: 4,
  progress: false,
  pool: fakePool(),
});

// root -> Workloads -> Prod -> MEMBER; MGMT under the root.
beforeEach(() => {
  orgs.reset();
  sts.reset();
  accountApi.reset();
  iam.reset();
  accountApi
    .onAnyCommand()
    .rejects(Object.assign(new Error('none'), { name: 'ResourceNotFoundException' }));
  iam.onAnyCommand().rejects(new Error('these tests make no IAM call'));
  // The one organization-level IAM read (centralized root access): none enabled.
  iam.on(ListOrganizationsFeaturesCommand).resolves({ EnabledFeatures: [] });
  impact.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: MGMT });
  // Every list call not set up below answers one empty page.
  orgs.onAnyCommand().resolves({});
  orgs.on(DescribeOrganizationCommand).resolves({
    Organization: { Id: ORG, FeatureSet: 'ALL', MasterAccountId: MGMT },
  });
  orgs
    .on(ListRootsCommand)
    .resolves({ Roots: [{ Id: ROOT, PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY' }] }] });
  orgs
    .on(ListOrganizationalUnitsForParentCommand, { ParentId: ROOT })
    .resolves({ OrganizationalUnits: [{ Id: WORK, Name: 'Workloads' }] })
    .on(ListOrganizationalUnitsForParentCommand, { ParentId: WORK })
    .resolves({ OrganizationalUnits: [{ Id: PROD, Name: 'Prod' }] });
  orgs
    .on(ListAccountsForParentCommand, { ParentId: ROOT })
    .resolves({ Accounts: [account(MGMT)] })
    .on(ListAccountsForParentCommand, { ParentId: PROD })
    .resolves({ Accounts: [account(MEMBER)] });
  orgs.on(ListAccountsCommand).resolves({ Accounts: [account(MGMT), account(MEMBER)] });
  orgs.on(DescribeAccountCommand).resolves({ Account: account(MEMBER) });
  orgs
    .on(ListParentsCommand, { ChildId: MEMBER })
    .resolves({ Parents: [{ Id: PROD, Type: 'ORGANIZATIONAL_UNIT' }] })
    .on(ListParentsCommand, { ChildId: PROD })
    .resolves({ Parents: [{ Id: WORK, Type: 'ORGANIZATIONAL_UNIT' }] })
    .on(ListParentsCommand, { ChildId: WORK })
    .resolves({ Parents: [{ Id: ROOT, Type: 'ROOT' }] });
  orgs
    .on(DescribeOrganizationalUnitCommand, { OrganizationalUnitId: PROD })
    .resolves({ OrganizationalUnit: { Id: PROD, Name: 'Prod' } })
    .on(DescribeOrganizationalUnitCommand, { OrganizationalUnitId: WORK })
    .resolves({ OrganizationalUnit: { Id: WORK, Name: 'Workloads' } });
});

afterEach(() => {
  orgs.reset();
  sts.reset();
  accountApi.reset();
  iam.reset();
});

describe('organizational units', () => {
  test('the whole tree read: every OU present (baseline for the cases below)', async () => {
    const all = await collect(options({ all: true }));
    expect(all.organizationalUnits?.map((o) => o.id).sort()).toEqual([PROD, WORK]);
    const one = await collect(options({ accounts: [MEMBER] }));
    expect(one.organizationalUnits?.map((o) => o.id).sort()).toEqual([PROD, WORK]);
    expect(validateSnapshot(one).ok).toBe(true);
  });

  test('a subtree that could not be listed leaves organizationalUnits absent, not partial', async () => {
    orgs.on(ListOrganizationalUnitsForParentCommand, { ParentId: WORK }).rejects(accessDenied());
    const snapshot = await collect(options({ all: true }));
    expect(snapshot).not.toHaveProperty('organizationalUnits');
    expect(snapshot).not.toHaveProperty('policies');
    // The account is still listed (from ListAccounts), without a parent.
    expect(snapshot.accounts.find((a) => a.id === MEMBER)).not.toHaveProperty('parentId');
    expect(snapshot.errors).toEqual([
      expect.objectContaining({
        source: 'organizations:ListOrganizationalUnitsForParent',
        code: 'AccessDeniedException',
      }),
    ]);
    expect(validateSnapshot(snapshot).ok).toBe(true);
  });

  test('when neither the tree nor ListAccounts can be read the snapshot says the account list is incomplete', async () => {
    const complete = await collect(options({ all: true }));
    expect(complete.collector).not.toHaveProperty('accountsComplete');
    orgs.on(ListOrganizationalUnitsForParentCommand, { ParentId: WORK }).rejects(accessDenied());
    orgs.on(ListAccountsCommand).rejects(accessDenied());
    const snapshot = await collect(options({ all: true }));
    expect(snapshot.accounts.map((a) => a.id)).not.toContain(MEMBER);
    expect(snapshot.collector).toMatchObject({ accountsComplete: false });
    expect(validateSnapshot(snapshot).ok).toBe(true);
  });

  test("an OU on an account's path that cannot be described leaves organizationalUnits absent", async () => {
    orgs
      .on(DescribeOrganizationalUnitCommand, { OrganizationalUnitId: PROD })
      .rejects(accessDenied());
    const snapshot = await collect(options({ accounts: [MEMBER] }));
    expect(snapshot).not.toHaveProperty('organizationalUnits');
    expect(snapshot).not.toHaveProperty('policies');
    expect(snapshot.accounts[0]).toMatchObject({ id: MEMBER, parentId: PROD });
    // A partial list made the snapshot claim an OU tree without the account's parent.
    const valid = validateSnapshot(snapshot);
    expect(valid.ok ? [] : valid.issues).toEqual([]);
  });
});

describe('delegated administrators', () => {
  test('services of every administrator: the registrations', async () => {
    orgs
      .on(ListDelegatedAdministratorsCommand)
      .resolves({ DelegatedAdministrators: [{ Id: MEMBER }] });
    orgs
      .on(ListDelegatedServicesForAccountCommand, { AccountId: MEMBER })
      .resolvesOnce({
        DelegatedServices: [{ ServicePrincipal: 'guardduty.amazonaws.com' }],
        NextToken: 'page2',
      })
      .resolves({ DelegatedServices: [{ ServicePrincipal: 'access-analyzer.amazonaws.com' }] });
    const snapshot = await collect(options({ all: true }));
    expect(snapshot.delegatedAdministrators).toEqual([
      { accountId: MEMBER, servicePrincipal: 'access-analyzer.amazonaws.com' },
      { accountId: MEMBER, servicePrincipal: 'guardduty.amazonaws.com' },
    ]);
  });

  test('an administrator whose services cannot be read leaves the list absent', async () => {
    orgs
      .on(ListDelegatedAdministratorsCommand)
      .resolves({ DelegatedAdministrators: [{ Id: MEMBER }] });
    orgs.on(ListDelegatedServicesForAccountCommand).rejects(accessDenied());
    const snapshot = await collect(options({ all: true }));
    expect(snapshot).not.toHaveProperty('delegatedAdministrators');
    expect(snapshot.errors).toEqual([
      expect.objectContaining({
        accountId: MEMBER,
        source: 'organizations:ListDelegatedServicesForAccount',
      }),
    ]);
  });

  test('an administrator listed with no service is not dropped: the list is absent', async () => {
    orgs
      .on(ListDelegatedAdministratorsCommand)
      .resolves({ DelegatedAdministrators: [{ Id: MEMBER }] });
    orgs.on(ListDelegatedServicesForAccountCommand).resolves({ DelegatedServices: [] });
    const snapshot = await collect(options({ all: true }));
    // [] would let not-delegated-admin pass for an account AWS lists as an administrator.
    expect(snapshot).not.toHaveProperty('delegatedAdministrators');
    expect(snapshot.errors).toEqual([
      expect.objectContaining({
        accountId: MEMBER,
        source: 'organizations:ListDelegatedServicesForAccount',
      }),
    ]);
  });
});

describe('SCP policy type', () => {
  test('a root that does not list its policy types counts as SCPs enabled (feature set ALL)', async () => {
    orgs.on(ListRootsCommand).resolves({ Roots: [{ Id: ROOT }] });
    const snapshot = await collect(options({ accounts: [MEMBER] }));
    // false would skip SCP evaluation: scp-allows-leave would pass unseen.
    expect(snapshot.organization?.scpEnabled).toBe(true);
  });

  test('an explicit list without SCP: disabled', async () => {
    orgs.on(ListRootsCommand).resolves({ Roots: [{ Id: ROOT, PolicyTypes: [] }] });
    const snapshot = await collect(options({ accounts: [MEMBER] }));
    expect(snapshot.organization?.scpEnabled).toBe(false);
  });
});
