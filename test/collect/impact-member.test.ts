/**
 * The per-account impact sources (DESIGN §7) on their edge cases: RAM shares
 * through the organization or not, Savings Plans over pages, root credentials
 * when centralized root access is off, on, or AssumeRoot is refused. Every
 * client is mocked; nothing leaves the process.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetResourceShareAssociationsCommand, GetResourceSharesCommand } from '@aws-sdk/client-ram';
import { DescribeSavingsPlansCommand } from '@aws-sdk/client-savingsplans';
import { AssumeRoleCommand, AssumeRootCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { ClientPool } from '../../src/collect/index.js';
import ramShares from '../../src/collect/sources/ram-shares.js';
import rootCredentials from '../../src/collect/sources/root-credentials.js';
import savingsPlans from '../../src/collect/sources/savings-plans.js';
import { impactMocks } from '../harness/impact-mocks.js';
import { accountContext, MEMBER, MGMT, OTHER, testPool } from '../harness/source-context.js';

const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
const m = impactMocks();
const creds = (key: string) => ({
  Credentials: {
    AccessKeyId: key,
    SecretAccessKey: 's',
    SessionToken: 't',
    Expiration: new Date(Date.now() + 3_600_000),
  },
});

let pool: ClientPool;
beforeEach(() => {
  pool = testPool();
  sts.reset().on(AssumeRoleCommand).resolves(creds('ASIAMEMBER'));
  iam.reset().onAnyCommand().rejects(new Error('unexpected IAM call'));
  m.reset();
});
afterEach(() => pool.destroy());

const member = () => accountContext(pool, MEMBER, {}, 'member');
const share = (arn: string, extra: Record<string, unknown> = {}) => ({
  resourceShareArn: arn,
  name: arn.slice(-2),
  status: 'ACTIVE' as const,
  ...extra,
});

describe('ramShares', () => {
  test('own shares: through the organization only with an org or OU principal; received: unless external principals are allowed', async () => {
    m.ram
      .on(GetResourceSharesCommand, { resourceOwner: 'SELF' })
      .resolvesOnce({ resourceShares: [share('arn:s/o1')], nextToken: 'n' })
      .resolvesOnce({
        resourceShares: [share('arn:s/o2'), share('arn:s/o3', { status: 'DELETED' })],
      })
      .on(GetResourceSharesCommand, { resourceOwner: 'OTHER-ACCOUNTS' })
      .resolves({
        resourceShares: [
          share('arn:s/r1', { owningAccountId: OTHER, allowExternalPrincipals: false }),
          share('arn:s/r2', {
            owningAccountId: OTHER,
            allowExternalPrincipals: true,
            resourceShareConfiguration: { retainSharingOnAccountLeaveOrganization: false },
          }),
        ],
      });
    m.ram.on(GetResourceShareAssociationsCommand).resolves({
      resourceShareAssociations: [
        {
          resourceShareArn: 'arn:s/o1',
          associatedEntity: `arn:aws:organizations::${MGMT}:ou/o-abc1234567/ou-ab12-aaaa1111`,
          status: 'ASSOCIATED',
        },
        { resourceShareArn: 'arn:s/o2', associatedEntity: OTHER, status: 'ASSOCIATED' },
      ],
    });
    const out = await ramShares.collect(member());
    expect(
      out.value?.map((s) => [
        s.owner,
        s.arn,
        s.viaOrganization,
        s.retainSharingOnAccountLeaveOrganization,
      ]),
    ).toEqual([
      ['OTHER-ACCOUNTS', 'arn:s/r1', true, undefined],
      ['OTHER-ACCOUNTS', 'arn:s/r2', false, false],
      ['SELF', 'arn:s/o1', true, undefined],
      ['SELF', 'arn:s/o2', false, undefined],
    ]);
    const asked = m.ram.commandCalls(GetResourceShareAssociationsCommand)[0]!.args[0].input;
    expect(asked).toMatchObject({
      associationType: 'PRINCIPAL',
      resourceShareArns: ['arn:s/o1', 'arn:s/o2'],
    });
  });

  test('no own share: no association call; a denied list fails the source', async () => {
    m.ram.on(GetResourceSharesCommand).resolves({ resourceShares: [] });
    expect(await ramShares.collect(member())).toEqual({ value: [] });
    expect(m.ram.commandCalls(GetResourceShareAssociationsCommand)).toHaveLength(0);
    m.ram
      .on(GetResourceSharesCommand, { resourceOwner: 'OTHER-ACCOUNTS' })
      .rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    await expect(ramShares.collect(member())).rejects.toMatchObject({
      source: 'ram:GetResourceShares',
    });
  });
});

test('savingsPlans: every page, only live states asked for', async () => {
  m.savingsPlans
    .on(DescribeSavingsPlansCommand)
    .resolvesOnce({ savingsPlans: [{ savingsPlanId: 'sp-2', state: 'queued' }], nextToken: 'n' })
    .resolvesOnce({
      savingsPlans: [{ savingsPlanId: 'sp-1', state: 'active', commitment: '2.0' }],
    });
  expect((await savingsPlans.collect(member())).value).toEqual([
    { id: 'sp-1', state: 'active', commitment: '2.0' },
    { id: 'sp-2', state: 'queued' },
  ]);
  const calls = m.savingsPlans
    .commandCalls(DescribeSavingsPlansCommand)
    .map((c) => c.args[0].input);
  expect(calls[0]!.states).toEqual([
    'active',
    'queued',
    'payment-pending',
    'payment-failed',
    'pending-return',
  ]);
  expect(calls[1]!.nextToken).toBe('n');
});

describe('rootCredentials', () => {
  const on = { rootAccessFeatures: ['RootCredentialsManagement'] };

  test('centralized root access off: null without a call; unknown: absent; the management account: not applicable', async () => {
    expect(await rootCredentials.collect(accountContext(pool, MEMBER))).toEqual({ value: null });
    const unknown = await rootCredentials.collect(
      accountContext(pool, MEMBER, { rootAccessFeatures: undefined }),
    );
    expect(unknown.errors?.map((e) => e.source)).toEqual(['sts:AssumeRoot']);
    expect(await rootCredentials.collect(accountContext(pool, MGMT, on))).toEqual({});
    expect(sts.commandCalls(AssumeRootCommand)).toHaveLength(0);
  });

  test('on: AssumeRoot with the audit task policy, then GetAccountSummary signed by the root session', async () => {
    sts.on(AssumeRootCommand).resolves(creds('ASIAROOT'));
    iam
      .on(GetAccountSummaryCommand)
      .resolves({ SummaryMap: { AccountPasswordPresent: 0, AccountMFAEnabled: 1 } });
    const out = await rootCredentials.collect(accountContext(pool, MEMBER, on));
    expect(out).toEqual({ value: { passwordPresent: false, mfaPresent: true } });
    expect(sts.commandCalls(AssumeRootCommand)[0]!.args[0].input).toMatchObject({
      TargetPrincipal: MEMBER,
      TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials' },
    });
    const signer = iam.commandCalls(GetAccountSummaryCommand)[0]!.thisValue as IAMClient;
    expect((await signer.config.credentials()).accessKeyId).toBe('ASIAROOT');
  });

  test('AssumeRoot refused: the error names AssumeRoot, not the IAM read', async () => {
    sts.on(AssumeRootCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDenied' }));
    await expect(rootCredentials.collect(accountContext(pool, MEMBER, on))).rejects.toMatchObject({
      source: 'sts:AssumeRoot',
      code: 'AccessDenied',
    });
    expect(iam.commandCalls(GetAccountSummaryCommand)).toHaveLength(0);
  });
});
