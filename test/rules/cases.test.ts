/**
 * The built-in rules' own cases (rules/<pack>/<id>.test.json) run through
 * `leavegate rules test` — the check pipeline from a snapshot, not hand-made
 * facts — and the rule inventory: every built-in rule validates, has its
 * metadata, and has at least one pass, fail and unknown case.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { packageRoot } from '../../src/paths.js';
import { builtinRulesDir, loadRulePack, vocabulary } from '../../src/rules/load.js';
import type { RuleTestFile } from '../../src/rules/test-cases.js';
import { runCli } from './run-cli.js';

const root = packageRoot();
const PACKS = ['leave-organization', 'transfer-organization', 'leave-impact'];
const pack = await loadRulePack(builtinRulesDir(), vocabulary());
const transferPack = await loadRulePack(builtinRulesDir('transfer-organization'), vocabulary());
const impact = await loadRulePack(builtinRulesDir('leave-impact'), vocabulary());
/** Every built-in rule once: the transfer pack shares five of the leave pack's files. */
const allRules = [
  ...pack.rules,
  ...transferPack.rules.filter((t) => !pack.rules.some((r) => r.id === t.id)),
  ...impact.rules,
];
const ruleIds = allRules.map((r) => r.id);
/** Rules whose only outcomes are pass and unknown (documented in the rule). */
const CANNOT_FAIL = new Set(['tags-inventoried']);

/** The case file beside a rule: in the directory its rule file is in. */
function casesFor(id: string): RuleTestFile['cases'] {
  const rule = allRules.find((r) => r.id === id)!;
  const file = rule.source.replace(/\.json$/, '.test.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as RuleTestFile).cases;
}

describe('rule inventory', () => {
  it('has the twelve contract rules', () => {
    expect(pack.rules.map((r) => r.id).sort()).toEqual(
      [
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
      ].sort(),
    );
  });

  it('has the nine transfer contract rules, five of them the leave files themselves', () => {
    expect(transferPack.name).toBe('transfer-organization');
    expect(transferPack.rules.map((r) => r.id).sort()).toEqual(
      [
        'member-account',
        'account-active',
        'not-delegated-admin',
        'waiting-period-elapsed',
        'tags-inventoried',
        'scp-allows-transfer',
        'principal-allowed-to-transfer',
        'invitation-open',
        'target-organization-eligible',
      ].sort(),
    );
    for (const id of ['member-account', 'waiting-period-elapsed']) {
      const shared = transferPack.rules.find((r) => r.id === id)!;
      expect(shared.source).toBe(pack.rules.find((r) => r.id === id)!.source);
      expect(shared.pack).toBe('transfer-organization');
    }
    expect(transferPack.rules.find((r) => r.id === 'target-organization-eligible')!.severity).toBe(
      'warning',
    );
  });

  it('has the eight impact rules of DESIGN §7 with their severities', () => {
    expect(Object.fromEntries(impact.rules.map((r) => [r.id, r.severity]))).toEqual({
      'stacksets-retain-stacks': 'blocker',
      'control-tower-unenrolled': 'blocker',
      'root-credentials-recoverable': 'blocker',
      'identity-center-access': 'warning',
      'ram-shares-retained': 'warning',
      'org-services-coverage': 'warning',
      'org-policies-stop-applying': 'warning',
      'savings-plans-owned': 'warning',
    });
    expect([impact.name, impact.version]).toEqual(['leave-impact', '1.0.0']);
  });

  it('the *.test.json beside the rules are not loaded as rules', () => {
    // 12 rule files and 12 case files in leave-organization: only the rules load.
    expect(pack.rules).toHaveLength(12);
    expect(pack.rules.every((r) => !r.source.endsWith('.test.json'))).toBe(true);
  });

  it.each(ruleIds)('%s has metadata and pass/fail/unknown cases that test it', (id) => {
    const rule = allRules.find((r) => r.id === id)!;
    expect(rule.description.length).toBeGreaterThan(20);
    expect(rule.remediation.length).toBeGreaterThan(20);
    expect(rule.references.length).toBeGreaterThan(0);
    for (const ref of rule.references) expect(ref).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    const cases = casesFor(id);
    expect(cases.every((c) => c.rule === id)).toBe(true);
    const expected = new Set(cases.map((c) => c.expected));
    expect(expected.has('pass')).toBe(true);
    expect(expected.has('unknown')).toBe(true);
    expect(expected.has('fail')).toBe(!CANNOT_FAIL.has(id));
  });
});

describe('the built-in cases through leavegate rules test', () => {
  it('every case of every built-in pack agrees (exit 0), one line per case', async () => {
    const dirs = PACKS.map((p) => join('rules', p));
    const { code, out, err } = await runCli(['rules', 'test', ...dirs], root);
    expect(err).toBe('');
    const total = ruleIds.reduce((n, id) => n + casesFor(id).length, 0);
    const lines = out.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('pass  '))).toHaveLength(total);
    expect(lines.at(-1)).toBe(`${total} cases: ${total} agree, 0 disagree`);
    expect(code).toBe(0);
  });
});
