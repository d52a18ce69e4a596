import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Log, Notification } from 'sarif';
import { GITHUB_SARIF_LIMITS, renderSarif, toSarif } from '../../src/report/sarif.js';
import type { AccountReport, Report, RuleStatus } from '../../src/report/types.js';
import { buildReport, largeAccountId, provenanceReport, rule } from './fixtures.js';
import { GITHUB, githubProblems, SCHEMA_PATH, sarifSchemaValidator } from './sarif-check.js';

const RULES = [
  'member-account',
  'account-active',
  'scp-allows-leave',
  'principal-allowed-to-leave',
  'not-delegated-admin',
  'waiting-period-elapsed',
  'contact-info-complete',
  'phone-verified',
  'payment-method-present',
  'support-plan-chosen',
  'billing-access-enabled',
  'tags-inventoried',
];

/**
 * `n` blocked accounts, each failing 10 of the 12 built-in rules (the first
 * two pass), with realistic evidence: 3,000 of them give 30,000 results.
 */
function blockedOrganization(n: number, status: (i: number, r: number) => RuleStatus): Report {
  const accounts: Omit<AccountReport, 'verdict'>[] = [];
  for (let i = 0; i < n; i++) {
    const id = largeAccountId(i);
    accounts.push({
      accountId: id,
      name: `workload-${i}`,
      ouPath: ['r-ab12', `ou-ab12-${String(i % 50).padStart(8, '0')}`],
      rules: RULES.map((ruleId, r) =>
        rule(ruleId, r < 2 ? 'pass' : status(i, r), `${ruleId} for ${id}`, {
          evidence: { decision: 'explicitDeny', policy: `p-${i % 7}`, index: i },
        }),
      ),
    });
  }
  return buildReport(accounts);
}

function notificationsOf(log: Log, k: number): Notification[] {
  return log.runs[k]!.invocations![0]!.toolExecutionNotifications ?? [];
}

function byId(notes: Notification[], id: string): Notification | undefined {
  return notes.find((n) => n.descriptor?.id === id);
}

describe('the SARIF checks themselves', () => {
  it('use the committed official schema, unchanged', () => {
    const bytes = readFileSync(SCHEMA_PATH);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      'dab33ff9cba60ce2786f72fcb93ca129d00ccc0c6b25815fdd80d21d69c7a70a',
    );
    const schema = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('catch what GitHub rejects: no artifact location, too many results, a bad severity', () => {
    const log = toSarif(provenanceReport());
    expect(githubProblems(log)).toEqual([]);
    const broken = structuredClone(log);
    delete broken.runs[0]!.results![0]!.locations![0]!.physicalLocation;
    broken.runs[0]!.tool.driver.rules![0]!.properties!['security-severity'] = 8;
    delete broken.runs[0]!.tool.driver.rules![1]!.help!.markdown;
    broken.runs[0]!.results!.push(
      ...Array.from({ length: 25_000 }, () => broken.runs[0]!.results![1]!),
    );
    const problems = githubProblems(broken);
    expect(problems).toContain('/runs/0/results/0: expected artifact location');
    expect(problems).toContain('/runs/0: 25004 results');
    expect(problems.some((p) => p.includes('security-severity 8 is not a numeric string'))).toBe(
      true,
    );
    expect(problems).toContain('/runs/0/tool/driver/rules/1: no help.markdown');
    const open = structuredClone(log);
    open.runs[0]!.results![0]!.kind = 'open';
    expect(githubProblems(open)).toEqual(['/runs/0/results/0: kind open with level warning']);
  });
});

describe('renderSarif within GitHub limits', () => {
  it('uses GitHub limits by default', () => {
    expect(GITHUB_SARIF_LIMITS).toEqual({
      resultsPerRun: GITHUB.resultsPerRun,
      runsPerFile: GITHUB.runsPerFile,
      extensionsPerRun: GITHUB.extensionsPerRun,
    });
  });

  it('splits 3,000 blocked accounts (30,000 results) over two runs GitHub accepts', () => {
    const report = blockedOrganization(3000, () => 'fail');
    const started = performance.now();
    const text = renderSarif(report);
    const ms = performance.now() - started;
    const log = JSON.parse(text) as Log;
    console.log(
      `3,000 accounts, 30,000 results: renderSarif ${ms.toFixed(0)} ms, ` +
        `${(text.length / 1e6).toFixed(1)} MB, gzip ${(gzipSync(text).length / 1e6).toFixed(2)} MB`,
    );

    expect(log.runs.map((r) => r.results!.length)).toEqual([25_000, 5_000]);
    expect(githubProblems(log)).toEqual([]);
    const validate = sarifSchemaValidator();
    expect(validate(log)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    // GitHub's upload is at most 10 MB gzip-compressed.
    expect(gzipSync(text).length).toBeLessThan(10 * 1024 * 1024);

    // Nothing lost or repeated: every failing (account, rule) is in exactly one run.
    const seen = log.runs.flatMap((r) =>
      r.results!.map((x) => x.partialFingerprints!['leavegate/account-rule/v1']),
    );
    expect(seen).toHaveLength(30_000);
    expect(new Set(seen).size).toBe(30_000);
    expect(seen[0]).toBe(`${largeAccountId(0)}/scp-allows-leave`);
    // An account's results are never split over two runs here (2,500 accounts fit in the first).
    expect(log.runs[1]!.results![0]!.properties!.accountId).toBe(largeAccountId(2500));

    // Same tool and rules in each run; each run its own analysis category.
    expect(log.runs[1]!.tool).toEqual(log.runs[0]!.tool);
    expect(log.runs.map((r) => r.automationDetails?.id)).toEqual([
      'leavegate/o-abc123defg/leave/part-1/',
      'leavegate/o-abc123defg/leave/part-2/',
    ]);
    for (const k of [0, 1]) {
      const split = byId(notificationsOf(log, k), 'leavegate/results-split');
      expect(split?.message.text).toContain(`Part ${k + 1} of 2`);
      expect(byId(notificationsOf(log, k), 'leavegate/results-capped')).toBeUndefined();
      expect(log.runs[k]!.properties).toMatchObject({ part: k + 1, parts: 2, resultsLeftOut: 0 });
    }
  });

  it('keeps one run, with its category, when everything fits', () => {
    const log = toSarif(blockedOrganization(10, () => 'fail'));
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.automationDetails?.id).toBe('leavegate/o-abc123defg/leave/part-1/');
    expect(notificationsOf(log, 0)).toEqual([]);
    const clean = toSarif(buildReport([]));
    expect(clean.runs).toHaveLength(1);
    expect(clean.runs[0]!.results).toEqual([]);
  });

  it('beyond 20 runs, leaves out the least important results and says so in every run', () => {
    // 1,100 results at 50 per run would need 22 runs: 100 must go, warnings and waived first.
    const report = blockedOrganization(110, (i, r) => {
      if (i % 11 === 0) return r % 2 === 0 ? 'waived' : 'unknown';
      return 'fail';
    });
    for (const account of report.accounts)
      for (const r of account.rules) if (r.status === 'unknown') r.severity = 'warning';
    const limits = { ...GITHUB_SARIF_LIMITS, resultsPerRun: 50 };
    const log = toSarif(report, limits);

    expect(log.runs).toHaveLength(20);
    expect(log.runs.every((r) => r.results!.length === 50)).toBe(true);
    expect(githubProblems(log)).toEqual([]);
    const kept = log.runs.flatMap((r) => r.results!);
    const statuses = kept.map((r): unknown => r.properties?.status);
    // 10 accounts x 5 waived and 5 unknown warnings = 100: exactly what was left out.
    expect(statuses.filter((s) => s === 'fail')).toHaveLength(1000);
    expect(statuses.filter((s) => s !== 'fail')).toHaveLength(0);
    // Report order is kept inside the file.
    expect(kept[0]!.properties!.accountId).toBe(largeAccountId(1));
    for (let k = 0; k < 20; k++) {
      const capped = byId(notificationsOf(log, k), 'leavegate/results-capped');
      expect(capped?.level).toBe('warning');
      expect(capped?.message.text).toContain('100 of 1,100 results were left out');
      expect(capped?.message.text).toContain('50 unknown, 50 waived');
      expect(capped?.message.text).toContain('report.json');
      expect(capped?.properties).toMatchObject({ resultsLeftOut: 100, resultsTotal: 1100 });
      expect(log.runs[k]!.properties).toMatchObject({ resultsLeftOut: 100, parts: 20 });
    }
  });

  it('never leaves out a blocking result while a non-blocking one is kept', () => {
    // 60 results at 10 per run and 3 runs: 30 kept. Unknown blockers outrank failed warnings.
    const report = blockedOrganization(6, (i) => (i < 3 ? 'unknown' : 'fail'));
    for (const a of report.accounts.slice(3)) for (const r of a.rules) r.severity = 'warning';
    const log = toSarif(report, { ...GITHUB_SARIF_LIMITS, resultsPerRun: 10, runsPerFile: 3 });
    const kept = log.runs.flatMap((r) => r.results!);
    expect(kept).toHaveLength(30);
    expect(kept.every((r) => r.properties?.blocking === true)).toBe(true);
    expect(kept.every((r) => r.kind === 'open' && r.level === 'none')).toBe(true);
  });

  it('lists at most 100 tool extensions per run and says so', () => {
    const report = provenanceReport();
    const plugin = report.inputs!.plugins[0]!;
    report.inputs!.plugins = Array.from({ length: 120 }, (_, i) => ({
      ...plugin,
      name: `p${i}`,
    }));
    const log = toSarif(report);
    expect(log.runs[0]!.tool.extensions).toHaveLength(100);
    expect(githubProblems(log)).toEqual([]);
    const note = byId(notificationsOf(log, 0), 'leavegate/extensions-capped');
    expect(note?.message.text).toContain('21 of 121 rule packs and plugins');
  });

  it('names transfer checks apart from leave checks, and keeps odd organization ids in one segment', () => {
    const report = blockedOrganization(1, () => 'fail');
    report.mode = { kind: 'transfer', targetOrganizationId: 'o-target12345' };
    report.snapshot.organizationId = 'o-x/../y z';
    expect(toSarif(report).runs[0]!.automationDetails?.id).toBe(
      'leavegate/o-x_.._y_z/transfer/part-1/',
    );
    report.snapshot.organizationId = null;
    expect(toSarif(report).runs[0]!.automationDetails?.id).toBe(
      'leavegate/no-organization/transfer/part-1/',
    );
  });
});
