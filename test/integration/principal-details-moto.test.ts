/**
 * The principal's fast path against moto: moto answers
 * iam:GetAccountAuthorizationDetails correctly (filtered roles with inline
 * documents, attached policies, boundary and tags; customer managed policies
 * with their versions), so no proxy handler stands in for it — except here,
 * where the proxy refuses it (and GetRole) as AWS would for a role without
 * the permission, to show the fallback. moto answers in one page (it ignores
 * MaxItems); pagination is covered by test/collect/principal-details.test.ts.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { collect } from '../../src/collect/index.js';
import type { CollectOptions } from '../../src/collect/index.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { awsError, startAwsProxy } from '../harness/aws-proxy.js';
import type { AwsProxy } from '../harness/aws-proxy.js';
import { describeWithMoto, motoUrl, useAwsEnv } from '../harness/moto-env.js';
import type { SeededOrg } from '../harness/moto-seed.js';
import { scenarioHandlers, seedScenario } from '../harness/scenario.js';

const base: CollectOptions = {
  scope: { all: true },
  memberRole: 'OrganizationAccountAccessRole',
  concurrency: 8,
  progress: false,
};

describeWithMoto('the principal through GetAccountAuthorizationDetails, against moto', () => {
  let org: SeededOrg;
  let proxy: AwsProxy;
  let restoreEnv: () => void;
  let fast: Snapshot;
  // What the proxy refuses: GetAccountAuthorizationDetails everywhere, GetRole in one account.
  const refuse = { details: false, getRoleIn: '' };

  beforeAll(async () => {
    org = await seedScenario(motoUrl!);
    const denied =
      (op: string) => (req: Parameters<ReturnType<typeof scenarioHandlers>[string]>[0]) =>
        awsError(req, 'AccessDenied', `User is not authorized to perform: iam:${op}`, 403);
    proxy = await startAwsProxy({
      target: motoUrl!,
      handlers: {
        ...scenarioHandlers(org),
        'iam:GetAccountAuthorizationDetails': (req) =>
          refuse.details ? denied('GetAccountAuthorizationDetails')(req) : undefined,
        'iam:GetRole': (req) =>
          req.callerAccountId === refuse.getRoleIn ? denied('GetRole')(req) : undefined,
      },
    });
    restoreEnv = useAwsEnv(proxy.url, org.credentials);
    fast = await collect(base);
  });

  afterAll(async () => {
    restoreEnv?.();
    await proxy?.close();
  });

  const principals = (s: Snapshot) =>
    Object.fromEntries(s.accounts.map((a) => [a.id, a.principal]));

  test('one read per member account, none of the per-policy calls', () => {
    const calls = fast.collector!.apiCalls!;
    // Every member but the one whose role is gone (AssumeRole refused) and the management account.
    expect(calls['iam:GetAccountAuthorizationDetails']).toBe(Object.keys(org.accounts).length - 1);
    for (const op of ['GetRole', 'ListRolePolicies', 'GetRolePolicy', 'ListAttachedRolePolicies'])
      expect(calls[`iam:${op}`]).toBeUndefined();
    expect(fast.errors.map((e) => e.source)).toEqual(['sts:AssumeRole']);
    const ready = fast.accounts.find((a) => a.id === org.accounts.ready)!.principal!;
    expect(ready.tags).toEqual({ team: 'platform' });
    expect(ready.identityPolicyNames).toHaveLength(2);
    expect(ready.permissionsBoundary).toMatchObject({ Version: '2012-10-17' });
  });

  test('refused: the per-policy calls give the same principals, and no error is recorded', async () => {
    refuse.details = true;
    try {
      const slow = await collect(base);
      expect(principals(slow)).toEqual(principals(fast));
      expect(slow.errors).toEqual(fast.errors);
      expect(slow.collector!.apiCalls!['iam:GetRole']).toBe(Object.keys(org.accounts).length - 1);
    } finally {
      refuse.details = false;
    }
  });

  test('refused, and GetRole refused too: that principal is absent with both reasons, the others read', async () => {
    refuse.details = true;
    refuse.getRoleIn = org.accounts.ready!;
    try {
      const s = await collect(base);
      const ready = s.accounts.find((a) => a.id === org.accounts.ready)!;
      expect(ready).not.toHaveProperty('principal');
      expect(
        s.errors.filter((e) => e.accountId === org.accounts.ready).map((e) => [e.source, e.code]),
      ).toEqual([
        ['iam:GetAccountAuthorizationDetails', 'AccessDenied'],
        ['iam:GetRole', 'AccessDenied'],
      ]);
      const others = { ...principals(fast) };
      delete others[org.accounts.ready!];
      expect({ ...principals(s) }).toEqual({ ...others, [org.accounts.ready!]: undefined });
    } finally {
      refuse.details = false;
      refuse.getRoleIn = '';
    }
  });
});
