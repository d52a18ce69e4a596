/**
 * collect() against moto (through the loopback proxy that adds the operations
 * moto lacks): snapshot content, call counts against the issue's bound, the
 * single-account path, and throttling ending as retries, then as errors.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { collect } from '../../src/collect/index.js';
import type { CollectOptions } from '../../src/collect/index.js';
import { validateSchema } from '../../src/schema.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { startAwsProxy } from '../harness/aws-proxy.js';
import { managementSide, memberBudget } from '../harness/call-budget.js';
import type { AwsProxy } from '../harness/aws-proxy.js';
import { describeWithMoto, motoUrl, useAwsEnv } from '../harness/moto-env.js';
import type { SeededOrg } from '../harness/moto-seed.js';
import { seedScenario, scenarioHandlers } from '../harness/scenario.js';

const base: CollectOptions = {
  scope: { all: true },
  memberRole: 'OrganizationAccountAccessRole',
  concurrency: 8,
  progress: false,
};

describeWithMoto('collect() against moto', () => {
  let org: SeededOrg;
  let proxy: AwsProxy;
  let restoreEnv: () => void;
  let snapshot: Snapshot;
  let id: (name: string) => string;

  beforeAll(async () => {
    org = await seedScenario(motoUrl!);
    id = (name) => org.accounts[name] ?? org.ous[name] ?? org.policies[name]!;
    proxy = await startAwsProxy({ target: motoUrl!, handlers: scenarioHandlers(org) });
    restoreEnv = useAwsEnv(proxy.url, org.credentials);
    snapshot = await collect(base);
  });

  afterAll(async () => {
    restoreEnv?.();
    await proxy?.close();
  });

  const account = (name: string) => snapshot.accounts.find((a) => a.id === id(name))!;

  test('organization, root and OU tree with each account under its parent', () => {
    const valid = validateSchema('snapshot', snapshot);
    expect(valid.ok ? [] : valid.issues).toEqual([]);
    expect(snapshot.organization).toMatchObject({
      id: org.organizationId,
      featureSet: 'ALL',
      managementAccountId: org.managementAccountId,
      scpEnabled: true,
    });
    expect(snapshot.rootId).toBe(org.rootId);
    const ous = Object.fromEntries(snapshot.organizationalUnits!.map((o) => [o.name, o.parentId]));
    expect(ous).toEqual({
      Workloads: org.rootId,
      Prod: id('Workloads'),
      Sandbox: org.rootId,
      Restricted: org.rootId,
    });
    expect(snapshot.accounts.map((a) => a.id).sort()).toEqual(
      [org.managementAccountId, ...Object.values(org.accounts)].sort(),
    );
    expect(account('ready')).toMatchObject({
      name: 'ready',
      email: 'ready@example.com',
      state: 'ACTIVE',
      joinedMethod: 'CREATED',
      parentId: id('Prod'),
    });
    expect(Date.parse(account('ready').joinedTimestamp!)).toBeGreaterThan(Date.now() - 3_600_000);
    expect(account('no-contact').parentId).toBe(org.rootId);
    expect(account('scp-blocked').parentId).toBe(id('Sandbox'));
  });

  test('SCPs with documents and targets at every level, FullAWSAccess detached where seeded', () => {
    const byName = Object.fromEntries(snapshot.policies!.map((p) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual(
      [
        'AccountGuard',
        'AllowReadOnly',
        'DenyLeave',
        'FullAWSAccess',
        'ProdGuard',
        'RootGuard',
        'WorkloadsGuard',
      ].sort(),
    );
    expect(byName.RootGuard!.targets).toEqual([org.rootId]);
    expect(byName.ProdGuard!.targets).toEqual([id('Prod')]);
    expect(byName.AccountGuard!.targets).toEqual([id('ready')]);
    expect(byName.DenyLeave!.document).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyLeave',
          Effect: 'Deny',
          Action: 'organizations:LeaveOrganization',
          Resource: '*',
        },
      ],
    });
    const full = byName.FullAWSAccess!;
    expect(full.awsManaged).toBe(true);
    expect(full.targets).toContain(org.rootId);
    expect(full.targets).toContain(id('Prod'));
    expect(full.targets).toContain(id('ready'));
    expect(full.targets).not.toContain(id('Restricted'));
    expect(byName.DenyLeave!.awsManaged).toBe(false);
  });

  test('delegated administrators, trusted services and account tags', () => {
    expect(snapshot.delegatedAdministrators).toEqual([
      { accountId: id('delegated'), servicePrincipal: 'guardduty.amazonaws.com' },
    ]);
    expect(snapshot.trustedServices).toContain('account.amazonaws.com');
    expect(account('ready').tags).toEqual(
      expect.arrayContaining([
        { key: 'CostCenter', value: '42' },
        { key: 'Owner', value: 'payments' },
      ]),
    );
    expect(account('ready').tags).toHaveLength(2);
    expect(account('restricted').tags).toEqual([]);
  });

  test('member view: principal with tags, inline + managed policies and boundary; contact; support', () => {
    const ready = account('ready');
    expect(ready.principal!.arn).toBe(
      `arn:aws:iam::${id('ready')}:role/OrganizationAccountAccessRole`,
    );
    expect(ready.principal!.tags).toEqual({ team: 'platform' });
    expect(ready.principal!.identityPolicyNames).toEqual([
      'inline:LeavePolicy',
      `arn:aws:iam::${id('ready')}:policy/ReadOrg`,
    ]);
    expect(ready.principal!.identityPolicies![0]).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Leave', Effect: 'Allow', Action: 'organizations:LeaveOrganization', Resource: '*' },
      ],
    });
    expect(ready.principal!.permissionsBoundaryArn).toBe(
      `arn:aws:iam::${id('ready')}:policy/Boundary`,
    );
    expect(ready.principal!.permissionsBoundary).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'organizations:*', Resource: '*' }],
    });
    expect(ready.contactInformation).toMatchObject({
      fullName: 'Jane Doe',
      countryCode: 'US',
      phoneNumber: '+12065550100',
      verificationStatus: 'VERIFIED',
    });
    expect(ready.paidSupportPlan).toBe(true);
    expect(account('delegated').paidSupportPlan).toBe(false);
    expect(account('delegated').principal!.permissionsBoundary).toBeNull();
    expect(account('no-contact').contactInformation).toBeNull();
  });

  test('a role that cannot be assumed leaves the member fields absent and is recorded', () => {
    const noRole = account('no-role');
    expect(noRole).not.toHaveProperty('principal');
    expect(noRole).not.toHaveProperty('paidSupportPlan');
    // Contacts come from the management account (trusted access), so they are still known.
    expect(noRole.contactInformation).toMatchObject({ verificationStatus: 'VERIFIED' });
    expect(snapshot.errors).toEqual([
      expect.objectContaining({
        accountId: id('no-role'),
        source: 'sts:AssumeRole',
        code: 'AccessDenied',
      }),
    ]);
  });

  test('the management account gets no member view and no error', () => {
    const mgmt = snapshot.accounts.find((a) => a.id === org.managementAccountId)!;
    expect(mgmt).not.toHaveProperty('principal');
    expect(mgmt.contactInformation).toBeDefined();
  });

  test('API calls are counted per service:Operation and match what AWS received', () => {
    const fromProxy: Record<string, number> = {};
    for (const c of proxy.calls) fromProxy[c.key] = (fromProxy[c.key] ?? 0) + 1;
    expect(snapshot.collector!.apiCalls).toEqual(fromProxy);
    expect(snapshot.collector).toMatchObject({ tool: 'leavegate', scope: 'all' });
    const calls = snapshot.collector!.apiCalls!;
    // Parents come with the accounts: never one ListParents per account.
    expect(calls['organizations:ListParents']).toBeUndefined();
    expect(calls['organizations:DescribePolicy']).toBe(7);
    expect(calls['organizations:ListDelegatedAdministrators']).toBe(1);
    expect(calls['organizations:ListTagsForResource']).toBe(7);
    const n = 7;
    const k = 4;
    const p = 7;
    const a = snapshot.policies!.reduce((sum, pol) => sum + pol.targets.length, 0);
    const org_ = Object.entries(calls)
      .filter(([key]) => key.startsWith('organizations:'))
      .reduce((sum, [, v]) => sum + v, 0);
    const bound = 1.1 * (7 + 2 * k + Math.ceil(n / 20) + 2 * p + Math.ceil(a / 20) + n);
    expect(org_).toBeLessThanOrEqual(bound);
    // The member side: the principal in one read per account, not one call per policy.
    const isManagement = managementSide(snapshot);
    const member = Object.entries(calls)
      .filter(([key]) => !isManagement(key))
      .reduce((sum, [, v]) => sum + v, 0);
    expect(member).toBeLessThanOrEqual(1.1 * memberBudget(snapshot));
  });

  test('one account: only its path is read, cheaply', async () => {
    const before = proxy.calls.length;
    const one = await collect({ ...base, scope: { accounts: [id('ready')] } });
    const calls = one.collector!.apiCalls!;
    expect(proxy.calls.length - before).toBe(Object.values(calls).reduce((s, v) => s + v, 0));
    expect(calls['organizations:ListAccountsForParent']).toBeUndefined();
    expect(calls['organizations:ListOrganizationalUnitsForParent']).toBeUndefined();
    expect(one.accounts).toHaveLength(1);
    expect(one.accounts[0]).toMatchObject({
      id: id('ready'),
      parentId: id('Prod'),
      paidSupportPlan: true,
    });
    expect(one.organizationalUnits!.map((o) => o.name).sort()).toEqual(['Prod', 'Workloads']);
    const byName = Object.fromEntries(one.policies!.map((p) => [p.name, p.targets]));
    expect(byName).toEqual({
      FullAWSAccess: [org.rootId, id('Prod'), id('Workloads'), id('ready')].sort(),
      RootGuard: [org.rootId],
      WorkloadsGuard: [id('Workloads')],
      ProdGuard: [id('Prod')],
      AccountGuard: [id('ready')],
    });
    expect(one.accounts[0]!.principal!.identityPolicies).toHaveLength(2);
    expect(one.errors).toEqual([]);
    // The path root -> Workloads -> Prod -> account, and nothing else of the organization.
    expect(
      Object.fromEntries(Object.entries(calls).filter(([k]) => k.startsWith('organizations:'))),
    ).toEqual({
      'organizations:DescribeOrganization': 1,
      'organizations:ListRoots': 1,
      'organizations:DescribeAccount': 1,
      'organizations:ListParents': 3,
      'organizations:DescribeOrganizationalUnit': 2,
      'organizations:ListPoliciesForTarget': 4,
      'organizations:DescribePolicy': 5,
      'organizations:ListDelegatedAdministrators': 1,
      'organizations:ListDelegatedServicesForAccount': 1,
      'organizations:ListAWSServiceAccessForOrganization': 1,
      'organizations:ListTagsForResource': 1,
    });
  });

  test('--principal is read in each account; skipMember makes no member-side call', async () => {
    const before = proxy.calls.length;
    const other = await collect({
      ...base,
      scope: { accounts: [id('delegated')] },
      principalArn: 'arn:aws:iam::000000000000:role/NoSuchLeaver',
      skipMember: false,
    });
    expect(other.accounts[0]).not.toHaveProperty('principal');
    expect(other.errors).toEqual([
      expect.objectContaining({
        accountId: id('delegated'),
        source: 'iam:GetRole',
        code: 'NoSuchEntityException',
      }),
    ]);
    const getRole = proxy.calls.slice(before).find((c) => c.key === 'iam:GetRole')!;
    expect(getRole.callerAccountId).toBe(id('delegated'));

    const mgmtOnly = await collect({
      ...base,
      scope: { accounts: [id('ready')] },
      skipMember: true,
    });
    const keys = Object.keys(mgmtOnly.collector!.apiCalls!);
    // iam:ListOrganizationsFeatures is the management account's own organization-level read.
    expect(
      keys.filter(
        (k) =>
          /^(iam|support|sts:AssumeRole|ram|savingsplans)/.test(k) &&
          k !== 'iam:ListOrganizationsFeatures',
      ),
    ).toEqual([]);
    expect(mgmtOnly.accounts[0]).not.toHaveProperty('principal');
    expect(mgmtOnly.accounts[0]).not.toHaveProperty('paidSupportPlan');
    // Trusted access lets the management account read contacts without the member.
    expect(mgmtOnly.accounts[0]!.contactInformation).toMatchObject({
      verificationStatus: 'VERIFIED',
    });
  });

  test('throttling is retried; beyond the attempts it becomes a recorded error, not a gap', async () => {
    proxy.setThrottle({ count: 2, operations: ['organizations:ListTagsForResource'] });
    const retried = await collect({ ...base, maxAttempts: 3 });
    expect(retried.collector!.apiCalls!['organizations:ListTagsForResource']).toBe(7 + 2);
    expect(retried.accounts.every((a) => Array.isArray(a.tags))).toBe(true);
    expect(retried.errors.map((e) => e.source)).toEqual(['sts:AssumeRole']);

    // Two attempts, both throttled: the first account's support read fails (one call at a time makes it deterministic).
    proxy.setThrottle({ count: 2, operations: ['support:DescribeSeverityLevels'] });
    const failed = await collect({ ...base, concurrency: 1, memberConcurrency: 1, maxAttempts: 2 });
    proxy.setThrottle(undefined);
    const throttled = failed.errors.filter((e) => e.source === 'support:DescribeSeverityLevels');
    expect(throttled).toEqual([expect.objectContaining({ code: 'TooManyRequestsException' })]);
    const victim = failed.accounts.find((a) => a.id === throttled[0]!.accountId)!;
    expect(victim).not.toHaveProperty('paidSupportPlan');
    expect(failed.collector!.apiCalls!['support:DescribeSeverityLevels']).toBe(
      retried.collector!.apiCalls!['support:DescribeSeverityLevels']! + 1,
    );
    // Every other account still has its answer.
    const others = failed.accounts.filter(
      (a) => a.id !== victim.id && a.id !== org.managementAccountId && a.id !== id('no-role'),
    );
    expect(others.every((a) => typeof a.paidSupportPlan === 'boolean')).toBe(true);

    // 5xx is retried like throttling.
    proxy.setThrottle({
      count: 1,
      operations: ['organizations:DescribeOrganization'],
      status: 503,
    });
    const after5xx = await collect({ ...base, scope: { accounts: [id('ready')] }, maxAttempts: 3 });
    proxy.setThrottle(undefined);
    expect(after5xx.organization!.id).toBe(org.organizationId);
    expect(after5xx.collector!.apiCalls!['organizations:DescribeOrganization']).toBe(2);
  });
});
