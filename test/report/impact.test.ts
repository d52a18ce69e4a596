/** "What changes when this account leaves" (DESIGN §7) in JSON, Markdown and HTML. */
import { describe, expect, it } from '@jest/globals';
import { renderHtml } from '../../src/report/html.js';
import { accountImpact, AFTER_LEAVING, IMPACT_TITLE, withImpact } from '../../src/report/impact.js';
import { renderJson, validateReport } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { Report } from '../../src/report/types.js';
import { HOSTILE } from './fixtures.js';
import { HOSTILE_STACKSET, impactReport } from './impact-fixture.js';

const withSections = (r: Report): Report => ({
  ...r,
  afterLeaving: [...AFTER_LEAVING],
  accounts: r.accounts.map(withImpact),
});

describe('impact section', () => {
  it('lists the impact results that did not pass, and one checklist step per finding', () => {
    const [blocked, warned, quiet] = impactReport().accounts;
    const impact = accountImpact(blocked!);
    expect(impact.findings.map((f) => [f.rule, f.status, f.severity])).toEqual([
      ['stacksets-retain-stacks', 'fail', 'blocker'],
    ]);
    expect(impact.checklist.slice(0, 3)).toEqual([...AFTER_LEAVING]);
    expect(impact.checklist[0]).toContain('OrganizationAccountAccessRole');
    expect(impact.checklist[1]).toContain('alternate contacts');
    expect(impact.checklist[2]).toContain('billing data');
    expect(impact.checklist[3]).toContain(HOSTILE_STACKSET);
    expect(accountImpact(warned!).findings.map((f) => f.rule)).toEqual(['identity-center-access']);
    expect(accountImpact(quiet!)).toEqual({ findings: [], checklist: [...AFTER_LEAVING] });
  });

  it('JSON: accounts[].impact validates, round-trips, and must follow from the results', () => {
    const report = withSections(impactReport());
    const parsed = JSON.parse(renderJson(report)) as Report;
    // The file says each thing once: the finding by rule id (its title and message are
    // in the account's result of that id), the steps for every account once at the top.
    expect(parsed.accounts[0]!.impact).toEqual({
      findings: [{ rule: 'stacksets-retain-stacks', severity: 'blocker', status: 'fail' }],
      checklist: ['Re-create or hand over what stacksets-retain-stacks listed'],
    });
    expect(parsed.afterLeaving).toEqual([...AFTER_LEAVING]);
    const stackSets = parsed.accounts[0]!.rules.find((r) => r.id === 'stacksets-retain-stacks')!;
    expect(stackSets.message).toContain(HOSTILE_STACKSET);
    // Loaded back, it is the report that was written.
    const loaded = validateReport(parsed);
    expect(loaded.ok && loaded.value).toEqual(report);
    // A report of an earlier version, with the full section, still loads.
    const legacy = structuredClone(parsed);
    legacy.accounts[0]!.impact = accountImpact(report.accounts[0]!);
    expect(validateReport(legacy).ok).toBe(true);
    const forged = structuredClone(report);
    forged.accounts[0]!.impact!.findings = [];
    const result = validateReport(forged);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.path).toBe('/accounts/0/impact');
  });

  it('withImpact adds nothing to an account the impact pack did not evaluate', () => {
    const account = {
      ...impactReport().accounts[0]!,
      rules: impactReport().accounts[0]!.rules.slice(0, 1),
    };
    expect(withImpact(account).impact).toBeUndefined();
  });

  it('Markdown: a section for the blocked account and the ready one with a finding, names escaped', () => {
    const text = renderMarkdown(impactReport());
    expect(text.split(`#### ${IMPACT_TITLE}`)).toHaveLength(3);
    expect(text).toContain('## What changes when ready accounts leave');
    expect(text).not.toContain('quiet');
    expect(text).toContain('stacksets-retain-stacks (blocker)');
    expect(text).toContain('&lt;img src=x onerror="window.\\_\\_pwned=1"&gt;\\|\\*\\*x\\*\\*');
    expect(text).not.toContain('<img');
    expect(text).not.toContain(HOSTILE.closeScript);
    expect(text).toContain('1. Delete or re-trust the member role');
    // Commands in the checklist are code spans, not escaped backticks.
    expect(text).toContain('`aws iam delete-role --role-name OrganizationAccountAccessRole`');
  });

  it('Markdown stays bounded: at most maxAccounts impact sections for ready accounts', () => {
    const text = renderMarkdown(impactReport(), { maxAccounts: 0 });
    expect(text).toContain('… and 1 more accounts: see report.json.');
  });

  it('HTML: server-rendered section and data island, every name escaped', () => {
    const html = renderHtml(impactReport());
    expect(html.split('<section class="impact">')).toHaveLength(3);
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;|**x**');
    expect(html).not.toContain(HOSTILE_STACKSET);
    expect(html).not.toContain(HOSTILE.closeScript);
    const island = /<script type="application\/json" id="lg-data">(.*?)<\/script>/s.exec(html)![1]!;
    const data = JSON.parse(island) as { S: string[]; A: unknown[][]; T: number[] };
    expect(data.T.map((i) => data.S[i])).toContain(IMPACT_TITLE);
    // blocked first, then ready by id: 222 (impact), 333 (impact), 444 (none)
    expect(data.A.map((a) => (a[7] === -1 ? 0 : 1))).toEqual([1, 1, 0]);
  });
});
