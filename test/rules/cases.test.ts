/**
 * Table-driven rule cases (test/rules/cases/<rule-id>.json) and the rule
 * inventory: every built-in rule validates, has its metadata, and has at
 * least one pass, fail and unknown case.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { evaluateAccounts } from '../../src/gate/index.js';
import type { AccountFacts } from '../../src/facts/types.js';
import { builtinRulesDir, loadRulePack, vocabulary } from '../../src/rules/load.js';
import type { LoadedRule } from '../../src/rules/types.js';

interface Case {
  name: string;
  facts: Record<string, unknown>;
  unknown?: Record<string, string>;
  expected: 'pass' | 'fail' | 'unknown';
  messageIncludes?: string;
}

const casesDir = join(import.meta.dirname, 'cases');
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

function casesFor(id: string): Case[] {
  return JSON.parse(readFileSync(join(casesDir, `${id}.json`), 'utf8')) as Case[];
}

async function run(rule: LoadedRule, c: Case) {
  const facts: AccountFacts = {
    accountId: '222222222222',
    known: c.facts,
    unknown: c.unknown ?? {},
    ignoredAttestations: [],
    tags: undefined,
  };
  const out = await evaluateAccounts([rule], [facts], { now: new Date('2026-11-28T12:00:00Z') });
  return out.accounts[0]!.rules[0]!;
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

  it('every case file names a loaded rule', () => {
    for (const f of readdirSync(casesDir)) expect(ruleIds).toContain(f.replace(/\.json$/, ''));
  });

  it.each(ruleIds)('%s has metadata and pass/fail/unknown cases', (id) => {
    const rule = allRules.find((r) => r.id === id)!;
    expect(rule.description.length).toBeGreaterThan(20);
    expect(rule.remediation.length).toBeGreaterThan(20);
    expect(rule.references.length).toBeGreaterThan(0);
    for (const ref of rule.references) expect(ref).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    const expected = new Set(casesFor(id).map((c) => c.expected));
    expect(expected.has('pass')).toBe(true);
    expect(expected.has('unknown')).toBe(true);
    expect(expected.has('fail')).toBe(!CANNOT_FAIL.has(id));
  });
});

describe.each(ruleIds)('rule %s', (id) => {
  const rule = allRules.find((r) => r.id === id)!;
  it.each(casesFor(id).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const result = await run(rule, c);
    expect(result.status).toBe(c.expected);
    if (c.messageIncludes !== undefined) expect(result.message).toContain(c.messageIncludes);
    expect(result.message).not.toContain('{{');
  });
});
