import { describe, expect, it } from '@jest/globals';
import {
  evaluateIdentity,
  evaluateIdentityFor,
  evaluateScpChain,
  evaluateScpChainFor,
  type Verdict,
} from '../../src/policy/index.js';
import { identityInput, loadCases, scpInput, type PolicyCase } from './case-loader.js';

const cases = loadCases();

function evaluate(c: PolicyCase): Verdict {
  if (c.actions !== undefined)
    return c.subject === 'identity'
      ? evaluateIdentityFor(identityInput(c), c.actions)
      : evaluateScpChainFor(scpInput(c), c.actions);
  return c.subject === 'identity'
    ? evaluateIdentity(identityInput(c))
    : evaluateScpChain(scpInput(c));
}

describe('policy evaluator: table-driven cases (test/policy/cases/*.json)', () => {
  it('has at least 40 cases, each justified by an AWS documentation page', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const c of cases) expect(c.doc).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [`${c.file}: ${c.name}`, c] as const))('%s', (_label, c) => {
    const v = evaluate(c);
    const e = c.expected;
    expect({ decision: v.decision, summary: v.summary }).toEqual({
      decision: e.decision,
      summary: v.summary,
    });
    expect(v.summary).not.toContain('\n');
    expect(v.summary.length).toBeGreaterThan(0);
    if (e.summary !== undefined) expect(v.summary).toContain(e.summary);
    if (e.summaryExcludes !== undefined) expect(v.summary).not.toContain(e.summaryExcludes);
    for (const text of e.evidenceExcludes ?? []) expect(JSON.stringify(v)).not.toContain(text);
    if (e.remediationContains !== undefined) expect(v.remediation).toContain(e.remediationContains);
    if (e.remediationExcludes !== undefined)
      expect(v.remediation ?? '').not.toContain(e.remediationExcludes);
    if (e.dependsOn !== undefined) expect(v.dependsOn).toEqual(e.dependsOn);
    if (v.decision === 'conditional') expect(v.dependsOn?.length).toBeGreaterThan(0);
    if (e.missingAllowAt !== undefined) expect(v.missingAllowAt).toMatchObject(e.missingAllowAt);
    if (e.deniedBy !== undefined) {
      expect(v.deniedBy).toBeDefined();
      e.deniedBy.forEach((d, i) => {
        const got = v.deniedBy?.[i];
        expect(got).toMatchObject({
          policyId: d.policyId,
          statementIndex: d.statementIndex,
          ...(d.sid !== undefined ? { sid: d.sid } : {}),
          effect: 'Deny',
        });
        if (d.level !== undefined) expect(got?.level?.id).toBe(d.level);
      });
    }
    if (e.unmatchedAllows !== undefined) expect(v.unmatchedAllows).toMatchObject(e.unmatchedAllows);
    if (e.exemptions !== undefined) expect(v.exemptions ?? []).toEqual(e.exemptions);
    if (e.notApplicable !== undefined) expect(v.notApplicable).toContain(e.notApplicable);
    if (e.errorReason !== undefined) expect(v.error?.reason).toContain(e.errorReason);
    if (e.errorPolicyId !== undefined) expect(v.error?.policyId).toBe(e.errorPolicyId);
    if (e.errorStatement !== undefined) expect(v.error?.statementIndex).toBe(e.errorStatement);
    if (e.errorCode !== undefined) expect(v.error?.code).toBe(e.errorCode);
    if (e.actions !== undefined) {
      expect(v.actions?.map((a) => [a.action, a.decision])).toEqual(
        e.actions.map((a) => [a.action, a.decision]),
      );
      e.actions.forEach((a, i) => {
        if (a.summary !== undefined) expect(v.actions?.[i]?.summary).toContain(a.summary);
      });
    }
    if (e.assumptionsContain !== undefined)
      expect((v.assumptions ?? []).join('\n')).toContain(e.assumptionsContain);
  });
});
