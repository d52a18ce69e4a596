/**
 * The impact sources (DESIGN §7) end to end: the built `leavegate collect
 * --all` against moto through the loopback proxy, and the exact snapshot
 * fields and call counts (every shared call once).
 *
 * moto answers Organizations policy types and tag policies, service-managed
 * StackSets with OU deployment targets, sso-admin and RAM (own shares). What
 * it lacks or answers wrongly is filled by the proxy, and only that:
 *  - DescribeStackSet never carries AutoDeployment: its XML answer is rewritten
 *    with the AutoDeployment the StackSet was created with;
 *  - ListAccountsForProvisionedPermissionSet answers the caller's own account:
 *    answered from the seeded assignment;
 *  - GetResourceShares for OTHER-ACCOUNTS is a 404 in moto: answered from a table;
 *  - Savings Plans, iam:ListOrganizationsFeatures, sts:AssumeRoot (and
 *    GetAccountSummary signed by its root session) and Service Catalog's
 *    Account Factory products do not exist in moto: answered by test/harness/aws-fakes.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { validateSchema } from '../../src/schema.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { awsError, startAwsProxy } from '../harness/aws-proxy.js';
import type { AwsProxy } from '../harness/aws-proxy.js';
import { IMPACT_SHARED, impactBudget } from '../harness/call-budget.js';
import { cliEnv, repo, runCli } from '../harness/cli.js';
import {
  describeStackSetWithAutoDeployment,
  impactHandlers,
  seedImpactOrg,
} from '../harness/impact-seed.js';
import type { ImpactOrg } from '../harness/impact-seed.js';
import { describeWithMoto, motoUrl } from '../harness/moto-env.js';

describeWithMoto('leavegate collect --all: what breaks when an account leaves', () => {
  let org: ImpactOrg;
  let proxy: AwsProxy;
  let dir: string;
  let snapshot: Snapshot;
  let denyStackSets = false;
  const id = (name: string) => org.accounts[name]!;

  const collectCli = async (): Promise<Snapshot> => {
    const out = join(dir, `snapshot-${Date.now()}.json`);
    const res = await runCli(
      ['collect', '--all', '--out', out],
      cliEnv(proxy.url, org.credentials, dir),
    );
    expect(res.stderr).not.toMatch(/error/i);
    expect(res.code).toBe(0);
    return JSON.parse(readFileSync(out, 'utf8')) as Snapshot;
  };

  beforeAll(async () => {
    if (!existsSync(join(repo, 'dist', 'src', 'cli', 'main.js')))
      throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    org = await seedImpactOrg(motoUrl!);
    const handlers = impactHandlers(org);
    proxy = await startAwsProxy({
      target: motoUrl!,
      accounts: { [org.credentials.accessKeyId]: org.managementAccountId },
      handlers: {
        ...handlers,
        'cloudformation:ListStackSets': (req) =>
          denyStackSets
            ? awsError(req, 'AccessDenied', 'not authorized: cloudformation:ListStackSets', 403)
            : undefined,
      },
      rewriteXml: { 'cloudformation:DescribeStackSet': describeStackSetWithAutoDeployment },
    });
    dir = mkdtempSync(join(tmpdir(), 'leavegate-impact-'));
    snapshot = await collectCli();
  });

  afterAll(async () => {
    await proxy?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  /** `check --snapshot FILE` with the built CLI; the collected snapshot's age is not the point. */
  const checkCli = (file: string, out: string, formats: string) =>
    runCli(
      [
        'check',
        '--snapshot',
        file,
        '--format',
        formats,
        '--out',
        out,
        '--max-snapshot-age',
        '9999d',
      ],
      cliEnv(proxy.url, org.credentials, dir),
    );

  const account = (name: string) => snapshot.accounts.find((a) => a.id === id(name))!;

  test('the snapshot validates and nothing failed', () => {
    const valid = validateSchema('snapshot', snapshot);
    expect(valid.ok ? [] : valid.issues).toEqual([]);
    expect(snapshot.errors).toEqual([]);
  });

  test('policy types and the tag policy attached to its OU', () => {
    expect(snapshot.enabledPolicyTypes).toEqual(['SERVICE_CONTROL_POLICY', 'TAG_POLICY']);
    expect(snapshot.organizationPolicies).toEqual([
      {
        id: org.policies.CostCenterTags,
        name: 'CostCenterTags',
        type: 'TAG_POLICY',
        awsManaged: false,
        targets: [org.ous.Tagged],
      },
    ]);
    expect(snapshot.trustedServices).toEqual([
      'cloudtrail.amazonaws.com',
      'controltower.amazonaws.com',
    ]);
  });

  test('service-managed StackSets with AutoDeployment and their instances, read as SELF', () => {
    const sets = snapshot.stackSets!;
    expect(sets.map((s) => [s.name, s.permissionModel, s.callAs, s.autoDeployment])).toEqual([
      [
        'deleting',
        'SERVICE_MANAGED',
        'SELF',
        { enabled: true, retainStacksOnAccountRemoval: false },
      ],
      [
        'retaining',
        'SERVICE_MANAGED',
        'SELF',
        { enabled: true, retainStacksOnAccountRemoval: true },
      ],
    ]);
    expect(sets.map((s) => s.instances.map((i) => [i.accountId, i.region]))).toEqual([
      [[id('deleting'), 'us-east-1']],
      [[id('retaining'), 'us-east-1']],
    ]);
    expect(sets[0]!.instances[0]!.stackId).toMatch(
      new RegExp(`^arn:aws:cloudformation:us-east-1:${id('deleting')}:stack/`),
    );
  });

  test('Identity Center: the permission set, where it is provisioned, who is assigned', () => {
    expect(snapshot.identityCenter).toEqual({
      instanceArn: org.instanceArn,
      identityStoreId: expect.any(String),
      ownerAccountId: org.managementAccountId,
      permissionSets: [
        {
          arn: org.permissionSetArn,
          name: 'Admin',
          accounts: [
            {
              accountId: id('sso-user'),
              assignments: [{ principalType: 'USER', principalId: 'u-1' }],
            },
          ],
        },
      ],
    });
  });

  test('Control Tower enrollment from the Account Factory product', () => {
    expect(snapshot.controlTower).toEqual({
      enabledBaselines: [],
      enrolledAccounts: [
        { accountId: id('retaining'), provisionedProductId: 'pp-retaining', status: 'AVAILABLE' },
      ],
    });
  });

  test('member view: RAM shares, Savings Plans, root credentials', () => {
    expect(snapshot.rootAccessFeatures).toEqual(['RootCredentialsManagement', 'RootSessions']);
    expect(account('sharer').ramShares).toEqual([
      {
        arn: org.receivedShareArn,
        name: 'from-saver',
        owner: 'OTHER-ACCOUNTS',
        ownerAccountId: id('saver'),
        status: 'ACTIVE',
        viaOrganization: true,
        retainSharingOnAccountLeaveOrganization: true,
      },
      {
        arn: org.ownShareArn,
        name: 'subnets',
        owner: 'SELF',
        ownerAccountId: id('sharer'),
        status: 'ACTIVE',
        viaOrganization: true,
      },
    ]);
    expect(account('saver').ramShares).toEqual([]);
    expect(account('saver').savingsPlans).toEqual([
      {
        id: 'sp-active',
        arn: 'arn:aws:savingsplans::x:savingsplan/sp-active',
        state: 'active',
        type: 'Compute',
        commitment: '1.5',
        end: '2027-12-01T00:00:00.000Z',
      },
    ]);
    expect(account('sharer').savingsPlans).toEqual([]);
    expect(account('deleting').rootCredentials).toEqual({
      passwordPresent: false,
      mfaPresent: false,
    });
    expect(account('saver').rootCredentials).toEqual({ passwordPresent: true, mfaPresent: true });
    const mgmt = snapshot.accounts.find((a) => a.id === org.managementAccountId)!;
    expect(mgmt).not.toHaveProperty('rootCredentials');
    expect(mgmt).not.toHaveProperty('ramShares');
  });

  test('shared calls once; per-account calls once per member', () => {
    const calls = snapshot.collector!.apiCalls!;
    const members = 5;
    expect(calls).toMatchObject({
      'organizations:ListRoots': 1,
      'organizations:ListAWSServiceAccessForOrganization': 1,
      'cloudformation:ListStackSets': 1,
      'cloudformation:DescribeStackSet': 2,
      'cloudformation:ListStackInstances': 2,
      'sso-admin:ListInstances': 1,
      'sso-admin:ListPermissionSets': 1,
      'sso-admin:DescribePermissionSet': 1,
      'sso-admin:ListAccountsForProvisionedPermissionSet': 1,
      'sso-admin:ListAccountAssignments': 1,
      'service-catalog:SearchProvisionedProducts': 1,
      'service-catalog:GetProvisionedProductOutputs': 1,
      'iam:ListOrganizationsFeatures': 1,
      'ram:GetResourceShares': 2 * members,
      'ram:GetResourceShareAssociations': 1,
      'savingsplans:DescribeSavingsPlans': members,
      'sts:AssumeRoot': members,
      'iam:GetAccountSummary': members,
    });
    // One ListPolicies for SCPs, one for tag policies; targets per policy (FullAWSAccess, the tag policy).
    expect(calls['organizations:ListPolicies']).toBe(2);
    expect(calls['organizations:ListTargetsForPolicy']).toBe(2);
    // Within 1.1x of the call budget (DESIGN §6, extended in test/harness/call-budget.ts).
    const budget = impactBudget(snapshot);
    expect(budget.shared).toBe(1 + 2 * 2 + 2 + 2 * 1 + 1 + (1 + 1) + 1);
    const shared = Object.entries(calls)
      .filter(([k]) => IMPACT_SHARED.test(k))
      .reduce((n, [, v]) => n + v, 0);
    expect(shared).toBeLessThanOrEqual(1.1 * budget.shared);
    expect(budget.organizations).toBe(2);
    // Every call the collector counted reached the proxy, and no other.
    const fromProxy: Record<string, number> = {};
    for (const c of proxy.calls) fromProxy[c.key] = (fromProxy[c.key] ?? 0) + 1;
    expect(calls).toEqual(fromProxy);
  });

  test('check on the collected snapshot: exact impact statuses, warnings never change a verdict', async () => {
    const file = join(dir, 'collected.json');
    writeFileSync(file, JSON.stringify(snapshot));
    const out = join(dir, 'check');
    const res = await checkCli(file, out, 'json,md,html');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      accounts: {
        accountId: string;
        verdict: string;
        rules: { id: string; pack?: string; status: string; message: string; severity: string }[];
      }[];
    };
    const impact = (name: string) =>
      Object.fromEntries(
        report.accounts
          .find((a) => a.accountId === id(name))!
          .rules.filter((r) => r.pack === 'leave-impact')
          .map((r) => [r.id, r.status]),
      );
    expect(impact('deleting')['stacksets-retain-stacks']).toBe('fail');
    expect(impact('deleting')['root-credentials-recoverable']).toBe('fail');
    expect(impact('retaining')['stacksets-retain-stacks']).toBe('pass');
    expect(impact('retaining')['control-tower-unenrolled']).toBe('fail');
    expect(impact('sso-user')['identity-center-access']).toBe('fail');
    expect(impact('sso-user')['org-policies-stop-applying']).toBe('fail');
    expect(impact('saver')['savings-plans-owned']).toBe('fail');
    expect(impact('saver')['root-credentials-recoverable']).toBe('pass');
    expect(impact('sharer')['savings-plans-owned']).toBe('pass');
    for (const name of ['deleting', 'retaining', 'sso-user', 'saver', 'sharer'])
      expect(impact(name)['org-services-coverage']).toBe('fail');
    // Warnings are shown and counted but decide nothing: a warning-only account is not blocked by them.
    for (const a of report.accounts) {
      const blocking = a.rules.filter((r) => r.severity === 'blocker' && r.status === 'fail');
      if (blocking.length === 0) expect(a.verdict).not.toBe('blocked');
    }
    expect(res.code).toBe(1);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const text of [md, html]) {
      expect(text).toContain('What changes when this account leaves');
      expect(text).toMatch(/cloudtrail\\?\.amazonaws\\?\.com/); // Markdown escapes the dots
      expect(text).toContain('CostCenterTags');
    }
  });

  test('StackSets unreadable: check says unknown for the StackSet rule (exit 3 at best), never pass', async () => {
    const { stackSets: _dropped, ...rest } = snapshot;
    const file = join(dir, 'no-stacksets.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...rest,
        errors: [
          {
            source: 'cloudformation:ListStackSets',
            code: 'AccessDenied',
            message: 'not authorized',
          },
        ],
      }),
    );
    const out = join(dir, 'check-denied');
    const res = await checkCli(file, out, 'json');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      accounts: {
        accountId: string;
        rules: { id: string; status: string; remediation?: string }[];
      }[];
    };
    const r = report.accounts
      .find((a) => a.accountId === id('retaining'))!
      .rules.find((x) => x.id === 'stacksets-retain-stacks')!;
    expect(r.status).toBe('unknown');
    expect(r.remediation).toMatch(/cloudformation/i);
    expect([1, 3]).toContain(res.code);
  });

  test('StackSets unreadable: stackSets absent with its error, never []', async () => {
    denyStackSets = true;
    let denied: Snapshot;
    try {
      denied = await collectCli();
    } finally {
      denyStackSets = false;
    }
    expect(denied).not.toHaveProperty('stackSets');
    // SELF denied, then DELEGATED_ADMIN denied: both recorded.
    expect(denied.errors).toEqual([
      expect.objectContaining({ source: 'cloudformation:ListStackSets', code: 'AccessDenied' }),
      expect.objectContaining({ source: 'cloudformation:ListStackSets', code: 'AccessDenied' }),
    ]);
    expect(denied.identityCenter).toEqual(snapshot.identityCenter);
  });
});
