import { AFTER_LEAVING } from '../../src/report/impact.js';
import { describe, expect, it } from '@jest/globals';
import { decide, sameRole } from '../../src/execute/gate.js';
import type { IdentityFacts } from '../../src/execute/gate.js';
import type { AccountReport, Report, RuleResult } from '../../src/report/types.js';

const ACCOUNT = '222222222222';
const MGMT = '111111111111';

function rule(
  id: string,
  status: RuleResult['status'],
  extra: Partial<RuleResult> = {},
): RuleResult {
  return {
    id,
    title: id,
    severity: 'blocker',
    status,
    message: `${id} is ${status}`,
    evidence: {},
    remediation: `fix ${id}`,
    ...extra,
  };
}

function report(account: Partial<AccountReport> | null, orgId: string | null = 'o-abc'): Report {
  const accounts: AccountReport[] =
    account === null
      ? []
      : [
          {
            accountId: ACCOUNT,
            name: 'payments',
            verdict: 'ready',
            rules: [rule('member-account', 'pass'), rule('scp-allows-leave', 'pass')],
            tags: [{ key: 'CostCenter', value: '42' }],
            ...account,
          },
        ];
  return {
    schemaVersion: 1,
    tool: { name: 'leavegate', version: '0.1.0' },
    generatedAt: '2026-11-28T12:00:00Z',
    snapshot: { collectedAt: '2026-11-28T12:00:00Z', organizationId: orgId, sha256: 'abc' },
    rulePacks: [{ name: 'leave-organization', version: '1.0.0', rules: 2 }],
    summary: { accounts: accounts.length, ready: 1, blocked: 0, unknown: 0 },
    accounts,
    stats: { durationMs: 1, apiCalls: {} },
  };
}

const member: IdentityFacts = {
  caller: {
    ok: true,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/OrganizationAccountAccessRole/s`,
    account: ACCOUNT,
  },
  membership: { status: 'member', organizationId: 'o-abc', managementAccountId: MGMT },
};

describe('decide (the leave gate)', () => {
  it('plans the leave for a ready account, with caller, organization, rule packs and tags', () => {
    const d = decide({
      accountId: ACCOUNT,
      report: report({}),
      identity: member,
      managementAccountId: MGMT,
    });
    expect(d).toEqual({
      ok: true,
      plan: {
        accountId: ACCOUNT,
        accountName: 'payments',
        organizationId: 'o-abc',
        managementAccountId: MGMT,
        callerArn: member.caller.ok ? member.caller.arn : '',
        rulePacks: [{ name: 'leave-organization', version: '1.0.0', rules: 2 }],
        tags: [{ key: 'CostCenter', value: '42' }],
        waived: [],
        warnings: [],
        ruleStatuses: { 'member-account': 'pass', 'scp-allows-leave': 'pass' },
        impact: { findings: [], checklist: [...AFTER_LEAVING] },
      },
    });
  });

  it('refuses a blocked account with exit 1, listing every failing and unknown rule with message and remediation', () => {
    const d = decide({
      accountId: ACCOUNT,
      report: report({
        verdict: 'blocked',
        rules: [
          rule('member-account', 'pass'),
          rule('scp-allows-leave', 'fail'),
          rule('phone-verified', 'unknown'),
          rule('not-delegated-admin', 'fail'),
        ],
      }),
      identity: member,
    });
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.refusal.kind).toBe('blocked');
    expect(d.refusal.exitCode).toBe(1);
    expect(d.refusal.summary).toContain('scp-allows-leave, not-delegated-admin');
    expect(d.refusal.reasons).toEqual([
      {
        rule: 'scp-allows-leave',
        status: 'fail',
        message: 'scp-allows-leave is fail',
        remediation: 'fix scp-allows-leave',
      },
      {
        rule: 'not-delegated-admin',
        status: 'fail',
        message: 'not-delegated-admin is fail',
        remediation: 'fix not-delegated-admin',
      },
      {
        rule: 'phone-verified',
        status: 'unknown',
        message: 'phone-verified is unknown',
        remediation: 'fix phone-verified',
      },
    ]);
  });

  it('refuses an unknown account with exit 3', () => {
    const d = decide({
      accountId: ACCOUNT,
      report: report({
        verdict: 'unknown',
        rules: [rule('member-account', 'pass'), rule('payment-method-present', 'unknown')],
      }),
      identity: member,
    });
    expect(
      d.ok ? null : [d.refusal.kind, d.refusal.exitCode, d.refusal.reasons.map((r) => r.rule)],
    ).toEqual(['unknown', 3, ['payment-method-present']]);
  });

  it('does not trust a "ready" verdict contradicted by its own rule results', () => {
    const d = decide({
      accountId: ACCOUNT,
      report: report({
        verdict: 'ready',
        rules: [rule('member-account', 'pass'), rule('phone-verified', 'unknown')],
      }),
      identity: member,
    });
    expect(d.ok ? null : d.refusal.exitCode).toBe(3);
    const failing = decide({
      accountId: ACCOUNT,
      report: report({ verdict: 'ready', rules: [rule('member-account', 'fail')] }),
      identity: member,
    });
    expect(failing.ok ? null : failing.refusal.exitCode).toBe(1);
  });

  it('accepts a waived rule only when the waiver is attached, and lists it in the plan', () => {
    const waiver = {
      reason: 'sandbox',
      owner: 'cloud@example.com',
      expiresAt: '2027-01-31T00:00:00Z',
    };
    const ok = decide({
      accountId: ACCOUNT,
      report: report({
        rules: [rule('member-account', 'pass'), rule('owner-tag', 'waived', { waiver })],
      }),
      identity: member,
    });
    expect(ok.ok ? ok.plan.waived.map((r) => r.id) : null).toEqual(['owner-tag']);
    const bare = decide({
      accountId: ACCOUNT,
      report: report({ rules: [rule('member-account', 'pass'), rule('owner-tag', 'waived')] }),
      identity: member,
    });
    expect(bare.ok ? null : [bare.refusal.kind, bare.refusal.exitCode]).toEqual(['blocked', 1]);
  });

  it('never authorizes an account without rule results or missing from the report', () => {
    for (const r of [report({ rules: [] }), report(null)]) {
      const d = decide({ accountId: ACCOUNT, report: r, identity: member });
      expect(d.ok ? null : [d.refusal.kind, d.refusal.exitCode]).toEqual(['not-evaluated', 3]);
    }
  });

  it('refuses when the tags were not collected (they could not be exported)', () => {
    const d = decide({
      accountId: ACCOUNT,
      report: report({ tags: undefined } as unknown as Partial<AccountReport>),
      identity: member,
    });
    const r = { ...report({}) };
    delete r.accounts[0]!.tags;
    const d2 = decide({ accountId: ACCOUNT, report: r, identity: member });
    for (const x of [d, d2])
      expect(x.ok ? null : [x.refusal.kind, x.refusal.reasons[0]?.rule]).toEqual([
        'unknown',
        'tags-inventoried',
      ]);
  });

  it('refuses the management account (exit 1) even if every rule passes', () => {
    const asMgmt: IdentityFacts = {
      caller: { ok: true, arn: `arn:aws:sts::${MGMT}:assumed-role/x/s`, account: MGMT },
      membership: { status: 'member', organizationId: 'o-abc', managementAccountId: MGMT },
    };
    const d = decide({
      accountId: MGMT,
      report: report({ accountId: MGMT }),
      identity: asMgmt,
      managementAccountId: MGMT,
    });
    expect(d.ok ? null : [d.refusal.kind, d.refusal.exitCode, d.refusal.reasons[0]?.rule]).toEqual([
      'management-account',
      1,
      'member-account',
    ]);
    // The management-side view alone is enough.
    const d2 = decide({
      accountId: ACCOUNT,
      report: report({}),
      identity: { ...member, membership: { status: 'unknown', error: 'x' } },
      managementAccountId: ACCOUNT,
    });
    expect(d2.ok ? null : d2.refusal.kind).toBe('management-account');
  });

  it('refuses member credentials that belong to another account (exit 2)', () => {
    const d = decide({
      accountId: ACCOUNT,
      report: report({}),
      identity: {
        ...member,
        caller: {
          ok: true,
          arn: 'arn:aws:sts::333333333333:assumed-role/r/s',
          account: '333333333333',
        },
      },
    });
    expect(d.ok ? null : [d.refusal.kind, d.refusal.exitCode]).toEqual(['identity-mismatch', 2]);
    expect(d.ok ? '' : d.refusal.summary).toContain('333333333333');
  });

  it('refuses when the member identity or membership cannot be read (exit 3)', () => {
    const noCaller = decide({
      accountId: ACCOUNT,
      report: report({}),
      identity: { caller: { ok: false, error: 'AccessDenied' }, membership: member.membership },
    });
    expect(noCaller.ok ? null : [noCaller.refusal.kind, noCaller.refusal.exitCode]).toEqual([
      'identity-unknown',
      3,
    ]);
    const noOrg = decide({
      accountId: ACCOUNT,
      report: report({}),
      identity: { ...member, membership: { status: 'unknown', error: 'throttled' } },
    });
    expect(noOrg.ok ? null : [noOrg.refusal.kind, noOrg.refusal.exitCode]).toEqual([
      'identity-unknown',
      3,
    ]);
  });

  it('refuses when the member is in another organization than the one evaluated (exit 2)', () => {
    const d = decide({ accountId: ACCOUNT, report: report({}, 'o-other'), identity: member });
    expect(d.ok ? null : [d.refusal.kind, d.refusal.exitCode]).toEqual([
      'organization-mismatch',
      2,
    ]);
  });

  it('says "already out" with exit 0 when the member is in no organization, before anything else', () => {
    const d = decide({
      accountId: ACCOUNT,
      report: report(null),
      identity: { ...member, membership: { status: 'not-in-organization' } },
    });
    expect(d.ok ? null : [d.refusal.kind, d.refusal.exitCode]).toEqual(['already-out', 0]);
  });

  it('does not take "no organization" from credentials of another account as the target having left', () => {
    const other = '999999999999';
    const d = decide({
      accountId: ACCOUNT,
      report: report(null),
      identity: {
        caller: { ok: true, arn: `arn:aws:sts::${other}:assumed-role/R/s`, account: other },
        membership: { status: 'not-in-organization' },
      },
    });
    expect(d.ok ? null : [d.refusal.kind, d.refusal.exitCode]).toEqual(['identity-mismatch', 2]);
  });

  it('refuses when the rules were evaluated for another principal than the caller (--principal)', () => {
    const breakGlass = `arn:aws:iam::${ACCOUNT}:role/admin/BreakGlass`;
    const d = decide({
      accountId: ACCOUNT,
      report: report({}),
      identity: member,
      evaluatedPrincipalArn: breakGlass,
    });
    expect(d.ok ? null : [d.refusal.kind, d.refusal.exitCode]).toEqual(['principal-mismatch', 2]);
    const same = decide({
      accountId: ACCOUNT,
      report: report({}),
      identity: member,
      evaluatedPrincipalArn: `arn:aws:iam::${ACCOUNT}:role/org/OrganizationAccountAccessRole`,
    });
    expect(same.ok).toBe(true);
  });

  it('sameRole matches a role ARN (with path) to its assumed-role session ARN', () => {
    const session = 'arn:aws:sts::222222222222:assumed-role/Leaver/leavegate-leave';
    expect(sameRole('arn:aws:iam::222222222222:role/Leaver', session)).toBe(true);
    expect(sameRole('arn:aws:iam::222222222222:role/a/b/Leaver', session)).toBe(true);
    expect(sameRole('arn:aws:iam::333333333333:role/Leaver', session)).toBe(false);
    expect(sameRole('arn:aws:iam::222222222222:role/Other', session)).toBe(false);
    expect(sameRole('arn:aws:iam::222222222222:user/Leaver', session)).toBe(false);
  });
});

describe('decide: severity (DESIGN §4.4)', () => {
  const withWarnings = (failOn?: 'warning') => {
    const r = report({
      verdict: 'ready',
      rules: [
        rule('member-account', 'pass'),
        rule('owner-tag', 'fail', { severity: 'warning' }),
        rule('ram-shares', 'unknown', { severity: 'warning' }),
      ],
    });
    if (failOn !== undefined) {
      r.failOn = failOn;
      r.accounts[0]!.verdict = 'blocked';
    }
    return decide({ accountId: ACCOUNT, report: r, identity: member, managementAccountId: MGMT });
  };

  it('a failing or unknown warning does not refuse; the plan lists it for the confirmation', () => {
    const d = withWarnings();
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.plan.warnings.map((w) => `${w.id}:${w.status}`)).toEqual([
      'owner-tag:fail',
      'ram-shares:unknown',
    ]);
  });

  it('with --fail-on warning the same warnings refuse with exit 1, naming them', () => {
    const d = withWarnings('warning');
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.refusal.exitCode).toBe(1);
    expect(d.refusal.reasons.map((r) => r.rule)).toEqual(['owner-tag', 'ram-shares']);
  });

  it('a report whose verdict says ready while a deciding rule fails is refused', () => {
    const r = report({
      verdict: 'ready',
      rules: [rule('member-account', 'pass'), rule('owner-tag', 'fail', { severity: 'warning' })],
    });
    r.failOn = 'warning';
    const d = decide({
      accountId: ACCOUNT,
      report: r,
      identity: member,
      managementAccountId: MGMT,
    });
    expect(d.ok).toBe(false);
  });
});
