import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { JsonValue } from '../../src/json.js';
import {
  evaluateScpChain,
  type PolicyInput,
  type ScpEvaluationInput,
} from '../../src/policy/index.js';
import { chainArb, FULL_ACCESS, policyArb, scpInputOf, statementArb } from './generators.js';

const RUNS = { numRuns: 300, seed: 4242 };
const DENIED = new Set(['explicitDeny', 'implicitDeny']);

function statementsOf(p: PolicyInput): Record<string, JsonValue>[] {
  const doc = p.document as { Statement: Record<string, JsonValue> | Record<string, JsonValue>[] };
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

function withStatements(p: PolicyInput, statements: Record<string, JsonValue>[]): PolicyInput {
  return { ...p, document: { Version: '2012-10-17', Statement: statements } };
}

function addAt(input: ScpEvaluationInput, index: number, policy: PolicyInput): ScpEvaluationInput {
  const i = index % input.levels.length;
  return {
    ...input,
    levels: input.levels.map((l, j) => (j === i ? { ...l, policies: [...l.policies, policy] } : l)),
  };
}

const denyPolicyArb = policyArb.map((p) =>
  withStatements(
    p,
    statementsOf(p).map((s) => ({ ...s, Effect: 'Deny' })),
  ),
);
const allowPolicyArb = policyArb.map((p) =>
  withStatements(
    p,
    statementsOf(p).map((s) => ({ ...s, Effect: 'Allow' })),
  ),
);

describe('policy evaluator properties (fast-check)', () => {
  it('adding a Deny never turns a deny into an allow, nor a conditional into an allow', () => {
    fc.assert(
      fc.property(chainArb, denyPolicyArb, fc.nat(), (chain, deny, at) => {
        const input = scpInputOf(chain);
        const before = evaluateScpChain(input).decision;
        const after = evaluateScpChain(addAt(input, at, deny)).decision;
        if (before !== 'allowed') expect(after).not.toBe('allowed');
        if (before === 'explicitDeny') expect(after).toBe('explicitDeny');
        if (DENIED.has(before)) expect(DENIED.has(after)).toBe(true);
      }),
      RUNS,
    );
  });

  it('adding an Allow never turns an allow into a deny', () => {
    fc.assert(
      fc.property(chainArb, allowPolicyArb, fc.nat(), (chain, allow, at) => {
        const input = scpInputOf(chain);
        if (evaluateScpChain(input).decision !== 'allowed') return;
        expect(evaluateScpChain(addAt(input, at, allow)).decision).toBe('allowed');
      }),
      RUNS,
    );
  });

  it('removing every Allow at one level never allows, and names that level (or an earlier one)', () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), (chain, at) => {
        const input = scpInputOf(chain);
        const i = at % input.levels.length;
        const stripped: ScpEvaluationInput = {
          ...input,
          levels: input.levels.map((l, j) =>
            j === i
              ? {
                  ...l,
                  policies: l.policies
                    .map((p) =>
                      withStatements(
                        p,
                        statementsOf(p).filter((s) => s.Effect !== 'Allow'),
                      ),
                    )
                    .filter((p) => statementsOf(p).length > 0),
                }
              : l,
          ),
        };
        const v = evaluateScpChain(stripped);
        expect(['explicitDeny', 'implicitDeny']).toContain(v.decision);
        if (v.decision === 'implicitDeny') {
          const idx = input.levels.findIndex((l) => l.id === v.missingAllowAt?.id);
          expect(idx).toBeGreaterThanOrEqual(0);
          expect(idx).toBeLessThanOrEqual(i);
        }
      }),
      RUNS,
    );
  });

  it('case changes in actions never matter', () => {
    fc.assert(
      fc.property(chainArb, fc.boolean(), (chain, upper) => {
        const input = scpInputOf(chain);
        const flip = (a: JsonValue): JsonValue =>
          typeof a === 'string'
            ? upper
              ? a.toUpperCase()
              : a.toLowerCase()
            : Array.isArray(a)
              ? a.map(flip)
              : a;
        const changed: ScpEvaluationInput = {
          ...input,
          levels: input.levels.map((l) => ({
            ...l,
            policies: l.policies.map((p) =>
              withStatements(
                p,
                statementsOf(p).map((s) => {
                  const t = { ...s };
                  if (t.Action !== undefined) t.Action = flip(t.Action);
                  if (t.NotAction !== undefined) t.NotAction = flip(t.NotAction);
                  return t;
                }),
              ),
            ),
          })),
        };
        expect(evaluateScpChain(changed).decision).toBe(evaluateScpChain(input).decision);
      }),
      RUNS,
    );
  });

  it('the order of policies within a level and of statements within a policy does not change the decision', () => {
    fc.assert(
      fc.property(chainArb, (chain) => {
        const input = scpInputOf(chain);
        const reversed: ScpEvaluationInput = {
          ...input,
          levels: input.levels.map((l) => ({
            ...l,
            policies: [...l.policies]
              .reverse()
              .map((p) => withStatements(p, [...statementsOf(p)].reverse())),
          })),
        };
        expect(evaluateScpChain(reversed).decision).toBe(evaluateScpChain(input).decision);
      }),
      RUNS,
    );
  });

  it('an unknown key is never guessed: a definite verdict holds for every value of it, and conditional means values disagree or are untried', () => {
    fc.assert(
      fc.property(chainArb, (chain) => {
        const input = scpInputOf(chain);
        const { ['aws:MultiFactorAuthPresent']: _mfa, ...rest } = input.requestContext ?? {};
        const unknown = evaluateScpChain({ ...input, requestContext: rest });
        const concrete = (['true', 'false', null] as const).map(
          (mfa) =>
            evaluateScpChain({
              ...input,
              requestContext: { ...rest, 'aws:MultiFactorAuthPresent': mfa },
            }).decision,
        );
        if (unknown.decision === 'conditional') {
          expect(unknown.dependsOn?.length).toBeGreaterThan(0);
          // MFA only has these three states: if it alone is unknown, the answers must differ.
          if (unknown.dependsOn?.every((k) => k.toLowerCase() === 'aws:multifactorauthpresent'))
            expect(new Set(concrete).size).toBeGreaterThan(1);
        } else if (unknown.decision === 'allowed') {
          for (const c of concrete) expect(c).toBe('allowed');
        } else {
          // Denied whatever the key: explicit vs implicit may differ (a Deny on MFA beside a level without Allow).
          for (const c of concrete) expect(DENIED.has(c)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('a statement added to FullAWSAccess-only chains decides like the same statement evaluated alone', () => {
    fc.assert(
      fc.property(statementArb, (stmt) => {
        const chain = {
          levels: [
            { kind: 'root' as const, id: 'r-ab12', policies: [FULL_ACCESS] },
            { kind: 'account' as const, id: '222222222222', policies: [FULL_ACCESS] },
          ],
          ctx: {
            principalArn: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
            tags: { team: 'platform' },
            mfa: 'true' as const,
            sourceIp: '203.0.113.9',
            currentTime: '2026-11-28T12:00:00Z',
          },
        };
        const p: PolicyInput = {
          id: 'p-x',
          name: 'X',
          document: { Version: '2012-10-17', Statement: [stmt] },
        };
        const atRoot = evaluateScpChain(addAt(scpInputOf(chain), 0, p)).decision;
        const atAccount = evaluateScpChain(addAt(scpInputOf(chain), 1, p)).decision;
        // With FullAWSAccess everywhere, only a Deny can change anything, wherever it is attached.
        expect(atRoot).toBe(atAccount);
        if (stmt.Effect === 'Allow') expect(atRoot).toBe('allowed');
      }),
      RUNS,
    );
  });

  it('never throws on arbitrary JSON documents: malformed input is an error verdict', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (doc) => {
        const v = evaluateScpChain({
          levels: [
            {
              kind: 'root',
              id: 'r-1',
              policies: [FULL_ACCESS, { id: 'p-any', name: 'Any', document: doc as JsonValue }],
            },
            { kind: 'account', id: '222222222222', policies: [FULL_ACCESS] },
          ],
          principal: { arn: 'arn:aws:iam::222222222222:role/R', accountId: '222222222222' },
          isManagementAccount: false,
          scpEnabled: true,
        });
        expect(typeof v.summary).toBe('string');
        if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
          expect(v.decision).toBe('error');
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
