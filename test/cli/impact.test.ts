/**
 * The impact pack end to end (DESIGN §7): `check --snapshot` in-process on
 * a hand-built snapshot (the collectors for these sources are not needed).
 * Warnings never change verdicts or exit codes; a blocker that cannot be
 * read is unknown, never pass; impact rules are waivable.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { runMain, type Run } from '../harness/in-process.js';
import { markdownTextInline } from '../../src/report/escape.js';
import type { Report } from '../../src/report/types.js';
import type { AccountRecord, Snapshot } from '../../src/snapshot/types.js';
import { ORG_OU, orgSnapshot } from '../fixtures/organization.js';

const ROOT = join(import.meta.dirname, '..', '..');

const DELETER = '222222222222';
const KEEPER = '333333333333';
const SSO = '444444444444';
const SP = '555555555555';
const OU = ORG_OU;
const HOSTILE_STACKSET = '<b>log</b>|export';

const leavegate = (args: string[]): Promise<Run> =>
  runMain(args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });

function account(id: string, name: string): AccountRecord {
  return {
    id,
    name,
    email: `aws+${name}@example.com`,
    state: 'ACTIVE',
    joinedMethod: 'CREATED',
    joinedTimestamp: '2024-01-02T03:04:05Z',
    parentId: OU,
    tags: [{ key: 'team', value: name }],
    principal: {
      arn: `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`,
      tags: {},
      identityPolicies: [
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      ],
      permissionsBoundary: null,
    },
    contactInformation: {
      fullName: 'Jane Doe',
      addressLine1: '1 Main St',
      city: 'Springfield',
      postalCode: '12345',
      countryCode: 'US',
      phoneNumber: '+15555550100',
      verificationStatus: 'VERIFIED',
    },
    paidSupportPlan: true,
    ramShares: [],
    savingsPlans: [],
    rootCredentials: null,
  };
}

const ALL = [DELETER, KEEPER, SSO, SP];

function snapshot(ids: string[] = ALL): Snapshot {
  const accounts = [
    account(DELETER, 'stack-deleter'),
    account(KEEPER, 'stack-keeper'),
    account(SSO, 'sso-user'),
    {
      ...account(SP, 'sp-owner'),
      savingsPlans: [{ id: 'sp-0abc123', state: 'active', type: 'Compute' }],
    },
  ].filter((a) => ids.includes(a.id));
  const stackSet = (name: string, retain: boolean, accountId: string) => ({
    name,
    permissionModel: 'SERVICE_MANAGED',
    autoDeployment: { enabled: true, retainStacksOnAccountRemoval: retain },
    status: 'ACTIVE',
    callAs: 'SELF' as const,
    instances: [
      { accountId, region: 'us-east-1' },
      { accountId, region: 'eu-west-1' },
    ],
  });
  return orgSnapshot(accounts, {
    policies: [
      {
        id: 'p-FullAWSAccess',
        name: 'FullAWSAccess',
        awsManaged: true,
        document: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        },
        targets: ['r-ab12', OU, ...accounts.map((a) => a.id)],
      },
    ],
    delegatedAdministrators: [],
    trustedServices: ['cloudtrail.amazonaws.com'],
    enabledPolicyTypes: ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'],
    organizationPolicies: [
      {
        id: 'p-tags0001',
        name: 'CostCenterTags',
        type: 'TAG_POLICY',
        awsManaged: false,
        targets: [OU],
      },
    ],
    stackSets: [
      stackSet(HOSTILE_STACKSET, false, DELETER),
      stackSet('baseline-roles', true, KEEPER),
    ],
    identityCenter: {
      instanceArn: 'arn:aws:sso:::instance/ssoins-0001',
      permissionSets: [
        {
          arn: 'arn:aws:sso:::permissionSet/ssoins-0001/ps-0001',
          name: 'AdminAccess',
          accounts: [
            { accountId: SSO, assignments: [{ principalType: 'GROUP', principalId: 'g-1' }] },
          ],
        },
      ],
    },
    controlTower: null,
    rootAccessFeatures: [],
  });
}

let work: string;
let attestations: string;

async function check(
  name: string,
  snap: Snapshot,
  ...extra: string[]
): Promise<Run & { report: Report; md: string; html: string; out: string }> {
  const file = join(work, `${name}.json`);
  await writeFile(file, JSON.stringify(snap));
  const out = join(work, name);
  const run = await leavegate([
    'check',
    '--snapshot',
    file,
    '--attestations',
    attestations,
    '--format',
    'json,html,md',
    '--out',
    out,
    ...extra,
  ]);
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
  const md = await readFile(join(out, 'report.md'), 'utf8');
  const html = await readFile(join(out, 'report.html'), 'utf8');
  return { ...run, report, md, html, out };
}

const statusOf = (report: Report, accountId: string, rule: string) =>
  report.accounts.find((a) => a.accountId === accountId)!.rules.find((r) => r.id === rule)!;
const verdicts = (report: Report) =>
  Object.fromEntries(report.accounts.map((a) => [a.accountId, a.verdict]));
const IMPACT = [
  'stacksets-retain-stacks',
  'control-tower-unenrolled',
  'root-credentials-recoverable',
  'identity-center-access',
  'ram-shares-retained',
  'org-services-coverage',
  'org-policies-stop-applying',
  'savings-plans-owned',
];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'leavegate-impact-'));
  attestations = join(work, 'attestations.json');
  const attest = (accountId: string, fact: string) => ({
    accountId,
    fact,
    value: true,
    attestedBy: 'jane@example.com',
    attestedAt: '2026-11-20T00:00:00Z',
    expiresAt: '2099-01-01T00:00:00Z',
  });
  await writeFile(
    attestations,
    JSON.stringify({
      schemaVersion: 1,
      attestations: ALL.flatMap((id) => [
        attest(id, 'paymentMethodPresent'),
        attest(id, 'billingAccessEnabled'),
      ]),
    }),
  );
});

describe('check --snapshot with the impact pack', () => {
  it('a deleting StackSet blocks; retaining passes; warnings name what changes and block nothing', async () => {
    const r = await check('all', snapshot());
    expect(r.code).toBe(1);
    expect(verdicts(r.report)).toEqual({
      [DELETER]: 'blocked',
      [KEEPER]: 'ready',
      [SSO]: 'ready',
      [SP]: 'ready',
    });
    // Exact statuses of every impact rule, per account.
    const table = Object.fromEntries(
      ALL.map((id) => [id, IMPACT.map((rule) => statusOf(r.report, id, rule).status)]),
    );
    const base = ['pass', 'pass', 'pass', 'pass', 'pass', 'fail', 'fail', 'pass'];
    expect(table).toEqual({
      [DELETER]: ['fail', ...base.slice(1)],
      [KEEPER]: base,
      [SSO]: ['pass', 'pass', 'pass', 'fail', 'pass', 'fail', 'fail', 'pass'],
      [SP]: ['pass', 'pass', 'pass', 'pass', 'pass', 'fail', 'fail', 'fail'],
    });
    const deleting = statusOf(r.report, DELETER, 'stacksets-retain-stacks');
    expect(deleting.severity).toBe('blocker');
    expect(deleting.message).toContain(`${HOSTILE_STACKSET} (eu-west-1, us-east-1)`);
    expect(deleting.remediation).toContain('RetainStacksOnAccountRemoval=true');
    expect(statusOf(r.report, SSO, 'identity-center-access').message).toContain(
      'AdminAccess to GROUP:g-1',
    );
    expect(statusOf(r.report, SP, 'savings-plans-owned').message).toContain(
      'sp-0abc123 (Compute, active)',
    );
    expect(statusOf(r.report, KEEPER, 'org-policies-stop-applying').message).toContain(
      `CostCenterTags (TAG_POLICY, p-tags0001, on ${OU})`,
    );
    expect(statusOf(r.report, KEEPER, 'org-services-coverage').message).toContain(
      'cloudtrail.amazonaws.com (organization trail',
    );
    expect(r.report.summary).toMatchObject({ ready: 3, blocked: 1, unknown: 0, warnings: 10 });
    // accounts[].impact: the findings and the checklist.
    const impact = r.report.accounts.find((a) => a.accountId === SSO)!.impact!;
    expect(impact.findings.map((f) => f.rule)).toEqual([
      'identity-center-access',
      'org-policies-stop-applying',
      'org-services-coverage',
    ]);
    expect(impact.checklist[0]).toBe('Re-create or hand over what identity-center-access listed');
    expect(r.report.afterLeaving?.[0]).toContain('OrganizationAccountAccessRole');
    // report.md and report.html name the things, escaped.
    expect(r.md).toContain('What changes when this account leaves');
    expect(r.md).toContain(markdownTextInline(HOSTILE_STACKSET));
    expect(r.md).toContain(markdownTextInline('AdminAccess to GROUP:g-1'));
    expect(r.md).toContain(markdownTextInline('sp-0abc123'));
    expect(r.md).not.toContain('<b>');
    expect(r.html).toContain('What changes when this account leaves');
    expect(r.html).toContain('&lt;b&gt;log&lt;/b&gt;|export');
    expect(r.html).not.toContain('<b>log</b>');
    expect(r.html).toContain('AdminAccess to GROUP:g-1');
    expect(r.html).toContain('CostCenterTags (TAG_POLICY');
  });

  it('without the blocked account: exit 0 despite the warnings; --fail-on warning makes them block', async () => {
    const ready = await check('ready', snapshot([KEEPER, SSO, SP]));
    expect(ready.code).toBe(0);
    expect(Object.values(verdicts(ready.report))).toEqual(['ready', 'ready', 'ready']);
    expect(ready.report.summary.warnings).toBe(8);
    const strict = await check('strict', snapshot([KEEPER, SSO, SP]), '--fail-on', 'warning');
    expect(strict.code).toBe(1);
  });

  it('stackSets absent: stacksets-retain-stacks is unknown with the fix, never pass (exit 3)', async () => {
    const snap = snapshot([KEEPER, SSO, SP]);
    delete snap.stackSets;
    const r = await check('no-stacksets', snap);
    expect(r.code).toBe(3);
    for (const id of [KEEPER, SSO, SP]) {
      const s = statusOf(r.report, id, 'stacksets-retain-stacks');
      expect(s.status).toBe('unknown');
      expect(s.remediation).toContain('cloudformation:ListStackSets');
    }
    expect(Object.values(verdicts(r.report))).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('a waiver on stacksets-retain-stacks turns it waived, and the section still lists it', async () => {
    const waivers = join(work, 'waivers.json');
    await writeFile(
      waivers,
      JSON.stringify({
        schemaVersion: 1,
        waivers: [
          {
            rule: 'stacksets-retain-stacks',
            accounts: [DELETER],
            reason: 'the log export stacks must go with the account',
            owner: 'cloud-team@example.com',
            expiresAt: '2099-01-31T00:00:00Z',
          },
        ],
      }),
    );
    const r = await check('waived', snapshot(), '--waivers', waivers);
    expect(r.code).toBe(0);
    const s = statusOf(r.report, DELETER, 'stacksets-retain-stacks');
    expect(s.status).toBe('waived');
    expect(s.waiver?.owner).toBe('cloud-team@example.com');
    expect(verdicts(r.report)[DELETER]).toBe('ready');
    expect(
      r.report.accounts.find((a) => a.accountId === DELETER)!.impact!.findings[0],
    ).toMatchObject({ rule: 'stacksets-retain-stacks', status: 'waived' });
    expect(r.md).toContain(markdownTextInline(HOSTILE_STACKSET));
  });
});
