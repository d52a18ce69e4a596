/**
 * The member's handshakes (source organizations:ListHandshakesForAccount):
 * collected only when the run asks for them, paginated, mapped to the
 * snapshot's HandshakeRecord; a failure leaves the field absent with errors[].
 * Every client is mocked (aws-sdk-client-mock); nothing leaves the process.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AccountClient } from '@aws-sdk/client-account';
import { IAMClient } from '@aws-sdk/client-iam';
import {
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  ListHandshakesForAccountCommand,
  ListParentsCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SupportClient } from '@aws-sdk/client-support';
import { mockClient } from 'aws-sdk-client-mock';
import { collect, createClientPool } from '../../src/collect/index.js';
import type { ClientPool, MemberSession } from '../../src/collect/index.js';

const MGMT = '111111111111';
const MEMBER = '222222222222';
const TARGET = 'o-target12345';
const orgs = mockClient(OrganizationsClient);
const sts = mockClient(STSClient);
const mocks = [
  orgs,
  sts,
  mockClient(IAMClient),
  mockClient(AccountClient),
  mockClient(SupportClient),
];

function fakePool(): ClientPool {
  const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };
  const session: MemberSession = {
    kind: 'member',
    accountId: MEMBER,
    roleArn: `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`,
    credentials: () => Promise.resolve(credentials),
  };
  return { ...createClientPool({ credentials, region: 'us-east-1' }), member: () => session };
}

function handshake(id: string, org: string) {
  return {
    Id: id,
    Arn: `arn:aws:organizations::999999999999:handshake/${org}/invite/${id}`,
    Action: 'INVITE' as const,
    State: 'OPEN' as const,
    Parties: [
      { Id: org, Type: 'ORGANIZATION' as const },
      { Id: MEMBER, Type: 'ACCOUNT' as const },
    ],
    RequestedTimestamp: new Date('2026-11-27T00:00:00Z'),
    ExpirationTimestamp: new Date('2026-12-12T00:00:00Z'),
  };
}

beforeEach(() => {
  for (const m of mocks) {
    m.reset();
    (m as unknown as typeof orgs).onAnyCommand().resolves({});
  }
  sts.on(GetCallerIdentityCommand).resolves({ Account: MGMT });
  orgs.on(DescribeOrganizationCommand).resolves({
    Organization: { Id: 'o-abc1234567', FeatureSet: 'ALL', MasterAccountId: MGMT },
  });
  orgs.on(ListRootsCommand).resolves({ Roots: [{ Id: 'r-ab12', PolicyTypes: [] }] });
  orgs.on(DescribeAccountCommand).resolves({ Account: { Id: MEMBER, State: 'ACTIVE' } });
  orgs.on(ListParentsCommand).resolves({ Parents: [{ Id: 'r-ab12', Type: 'ROOT' }] });
});

afterEach(() => {
  for (const m of mocks) m.reset();
});

const run = (handshakes: boolean) =>
  collect({
    scope: { accounts: [MEMBER] },
    memberRole: 'OrganizationAccountAccessRole',
    concurrency: 1,
    progress: false,
    pool: fakePool(),
    handshakes,
  });

describe('organizations:ListHandshakesForAccount', () => {
  it('is not called unless the run asks for handshakes', async () => {
    const s = await run(false);
    expect(orgs.commandCalls(ListHandshakesForAccountCommand)).toHaveLength(0);
    expect(s.accounts[0]!.handshakes).toBeUndefined();
  });

  it('reads every page as the member and maps each handshake', async () => {
    orgs
      .on(ListHandshakesForAccountCommand)
      .resolvesOnce({ Handshakes: [handshake('h-first00001', TARGET)], NextToken: 'n1' })
      .resolvesOnce({ Handshakes: [handshake('h-second0001', 'o-other123456')] });
    const s = await run(true);
    expect(orgs.commandCalls(ListHandshakesForAccountCommand)).toHaveLength(2);
    expect(s.accounts[0]!.handshakes).toEqual([
      {
        id: 'h-first00001',
        arn: `arn:aws:organizations::999999999999:handshake/${TARGET}/invite/h-first00001`,
        action: 'INVITE',
        state: 'OPEN',
        organizationId: TARGET,
        requestedBy: '999999999999',
        requestedTimestamp: '2026-11-27T00:00:00.000Z',
        expirationTimestamp: '2026-12-12T00:00:00.000Z',
      },
      expect.objectContaining({ id: 'h-second0001', organizationId: 'o-other123456' }),
    ]);
    expect(s.errors.filter((e) => e.source.includes('Handshake'))).toEqual([]);
  });

  it('none: an empty list (collected, none)', async () => {
    orgs.on(ListHandshakesForAccountCommand).resolves({ Handshakes: [] });
    expect((await run(true)).accounts[0]!.handshakes).toEqual([]);
  });

  it('fails closed: access denied leaves it absent, with the error', async () => {
    orgs
      .on(ListHandshakesForAccountCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));
    const s = await run(true);
    expect(s.accounts[0]!.handshakes).toBeUndefined();
    expect(s.errors).toContainEqual({
      accountId: MEMBER,
      source: 'organizations:ListHandshakesForAccount',
      code: 'AccessDeniedException',
      message: 'not allowed',
    });
  });

  it('a handshake without a state makes the whole list absent, not partial', async () => {
    const bad = { ...handshake('h-bad0000001', TARGET), State: undefined };
    orgs
      .on(ListHandshakesForAccountCommand)
      .resolves({ Handshakes: [handshake('h-first00001', TARGET), bad] });
    const s = await run(true);
    expect(s.accounts[0]!.handshakes).toBeUndefined();
    expect(s.errors.map((e) => e.code)).toContain('IncompleteHandshake');
  });
});
