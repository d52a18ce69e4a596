import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  evaluateIdentity,
  evaluateScpChain,
  type Decision,
  type PolicyInput,
} from '../../src/policy/index.js';
import {
  chainArb,
  contextArb,
  policyArb,
  requestContextOf,
  scpInputOf,
  FULL_ACCESS,
} from './generators.js';
import { identitySimulation, oracle, scpSimulation, type OracleDecision } from './oracle.js';

const here = dirname(fileURLToPath(import.meta.url));

interface KnownDifferences {
  categories: Record<string, { reason: string; doc: string }>;
  differences: Array<{ id: string; category: string; ours: Decision; iamSimulate: OracleDecision }>;
}
const known = JSON.parse(
  readFileSync(join(here, 'differential-known-differences.json'), 'utf8'),
) as KnownDifferences;

const SCP_CHAINS = 1200;
const IDENTITY_CASES = 300;
const SEED = 20261128;

interface Observed {
  id: string;
  ours: Decision;
  iamSimulate: OracleDecision;
  /** Which documented rule explains a difference, judged from the input itself. */
  explanation?: string;
  input: unknown;
}

type Doc = Record<string, unknown>;

/** Rewrites every condition value of every policy with `fn(operator, value)`. */
function mapConditionValues(
  p: PolicyInput,
  fn: (operator: string, value: string) => string,
): PolicyInput {
  const doc = structuredClone(p.document) as Doc;
  const stmts = Array.isArray(doc.Statement) ? (doc.Statement as Doc[]) : [doc.Statement as Doc];
  for (const st of stmts) {
    const cond = st.Condition as Record<string, Record<string, unknown>> | undefined;
    if (!cond) continue;
    for (const [op, block] of Object.entries(cond))
      for (const [k, v] of Object.entries(block))
        block[k] = Array.isArray(v) ? v.map((x) => fn(op, String(x))) : fn(op, String(v));
  }
  return { ...p, document: doc as never };
}

/**
 * Semantics-preserving rewrites (per the AWS docs) that avoid one feature
 * iam-simulate handles differently. A difference is explained by a rewrite when,
 * after it, both evaluators agree and ours has not changed its answer.
 */
const REWRITES: Array<{ category: string; apply: (p: PolicyInput) => PolicyInput }> = [
  {
    // Date operators accept epoch seconds as well as ISO 8601.
    category: 'date-epoch-seconds',
    apply: (p) =>
      mapConditionValues(p, (op, v) =>
        /date/i.test(op) && /^\d+$/.test(v)
          ? new Date(Number(v) * 1000).toISOString().replace('.000Z', 'Z')
          : v,
      ),
  },
  {
    // Policy variables are substituted in ARN operators as in string operators.
    category: 'arn-operator-policy-variable',
    apply: (p) =>
      mapConditionValues(p, (op, v) =>
        /arn/i.test(op) ? v.replaceAll('${aws:PrincipalAccount}', '222222222222') : v,
      ),
  },
];

/** Classifies a disagreement by what the input is, never by the outputs alone. */
function classifyScp(
  ours: ReturnType<typeof evaluateScpChain>,
  input: ReturnType<typeof scpInputOf>,
): string | undefined {
  if (input.isManagementAccount && ours.notApplicable) return 'management-account';
  if (ours.notApplicable?.includes('service-linked')) return 'service-linked-role';
  if (ours.decision === 'conditional') return 'conditional';
  if (ours.assumptions?.some((a) => a.startsWith('denied whatever the value')))
    return 'deny-kind-depends-on-unknown-key';
  return undefined;
}

async function runAll(): Promise<Observed[]> {
  const observed: Observed[] = [];
  const chains = fc.sample(chainArb, { seed: SEED, numRuns: SCP_CHAINS });
  for (const [i, chain] of chains.entries()) {
    const variant = i % 40;
    const isManagementAccount = variant === 7;
    const slr = variant === 13;
    const unknownMfa = variant === 21 || variant === 33;
    const principalArn = slr
      ? 'arn:aws:iam::222222222222:role/aws-service-role/organizations.amazonaws.com/AWSServiceRoleForOrganizations'
      : chain.ctx.principalArn;
    const callKeys = requestContextOf(chain.ctx);
    const ourContext: Record<string, string | null> = { ...callKeys };
    if (unknownMfa) delete ourContext['aws:MultiFactorAuthPresent'];
    const input = scpInputOf(
      { ...chain, ctx: { ...chain.ctx, principalArn } },
      { isManagementAccount, requestContext: ourContext },
    );
    const ours = evaluateScpChain(input);
    const ous = chain.levels.filter((l) => l.kind === 'ou').map((l) => l.id);
    const orgPath = `${['o-abc123', 'r-ab12', ...ous].join('/')}/`;
    const req = { principalArn, orgId: 'o-abc123', tags: chain.ctx.tags, callKeys, orgPath };
    const theirs = await oracle(scpSimulation(chain.levels, req));
    const o: Observed = {
      id: `scp-${i}`,
      ours: ours.decision,
      iamSimulate: theirs.decision,
      input,
    };
    if (ours.decision !== theirs.decision) {
      const c = classifyScp(ours, input);
      if (c !== undefined) o.explanation = c;
      else {
        // Try the documented rewrites, cumulatively, until both agree.
        let levels = chain.levels;
        const used: string[] = [];
        for (const r of REWRITES) {
          const next = levels.map((l) => ({ ...l, policies: l.policies.map(r.apply) }));
          if (JSON.stringify(next) === JSON.stringify(levels)) continue;
          levels = next;
          used.push(r.category);
          const ours2 = evaluateScpChain({ ...input, levels });
          const theirs2 = await oracle(scpSimulation(levels, req));
          if (ours2.decision === ours.decision && theirs2.decision === ours.decision) {
            o.explanation = used.join('+');
            break;
          }
        }
      }
    }
    observed.push(o);
  }
  const idCases = fc.sample(
    fc.record({
      policies: fc.array(fc.oneof(policyArb, fc.constant(FULL_ACCESS)), { maxLength: 3 }),
      boundary: fc.option(fc.oneof(policyArb, fc.constant(FULL_ACCESS)), { nil: null }),
      ctx: contextArb,
    }),
    { seed: SEED + 1, numRuns: IDENTITY_CASES },
  );
  const orgPath = 'o-abc123/r-ab12/ou-1/';
  for (const [i, c] of idCases.entries()) {
    const callKeys = requestContextOf(c.ctx);
    const req = {
      principalArn: c.ctx.principalArn,
      orgId: 'o-abc123',
      tags: c.ctx.tags,
      callKeys,
      orgPath,
    };
    const input = {
      principal: {
        arn: c.ctx.principalArn,
        accountId: '222222222222',
        orgId: 'o-abc123',
        tags: c.ctx.tags,
      },
      identityPolicies: c.policies,
      permissionsBoundary: c.boundary,
      // The identity side has no levels to derive the OU path from: give it, as the oracle gets it.
      requestContext: { ...callKeys, 'aws:PrincipalOrgPaths': [orgPath] },
    };
    const ours = evaluateIdentity(input);
    const theirs = await oracle(identitySimulation(input.identityPolicies, c.boundary, req));
    const o: Observed = {
      id: `identity-${i}`,
      ours: ours.decision,
      iamSimulate: theirs.decision,
      input,
    };
    if (ours.decision !== theirs.decision) {
      if (ours.notApplicable?.includes('root user')) o.explanation = 'root-user-identity';
      else {
        let policies = input.identityPolicies;
        let boundary = c.boundary;
        const used: string[] = [];
        const steps: Array<{ category: string; apply: () => boolean }> = [
          ...REWRITES.map((r) => ({
            category: r.category,
            apply: () => {
              const next = policies.map(r.apply);
              const nextB = boundary ? r.apply(boundary) : null;
              const changed =
                JSON.stringify([next, nextB]) !== JSON.stringify([policies, boundary]);
              policies = next;
              boundary = nextB;
              return changed;
            },
          })),
        ];
        for (const step of steps) {
          if (!step.apply()) continue;
          used.push(step.category);
          const ours2 = evaluateIdentity({
            ...input,
            identityPolicies: policies,
            permissionsBoundary: boundary,
          });
          const theirs2 = await oracle(identitySimulation(policies, boundary, req));
          if (ours2.decision === ours.decision && theirs2.decision === ours.decision) {
            o.explanation = used.join('+');
            break;
          }
        }
      }
    }
    observed.push(o);
  }
  return observed;
}

describe('differential test against @cloud-copilot/iam-simulate 0.1.173', () => {
  it(`agrees on ${SCP_CHAINS} generated SCP chains and ${IDENTITY_CASES} identity cases, except listed differences`, async () => {
    const observed = await runAll();
    const differences = observed.filter((o) => o.ours !== o.iamSimulate);
    if (process.env.DIFF_DUMP) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(process.env.DIFF_DUMP, JSON.stringify(differences, null, 1));
    }
    const listed = new Map(known.differences.map((d) => [d.id, d]));
    const unlisted = differences.filter((d) => !listed.has(d.id));
    expect(
      unlisted.map((d) => ({ id: d.id, ours: d.ours, iamSimulate: d.iamSimulate, input: d.input })),
    ).toEqual([]);
    for (const d of differences) {
      const entry = listed.get(d.id)!;
      // The listed category must be the one the input itself explains, and be documented.
      expect({ id: d.id, category: entry.category }).toEqual({ id: d.id, category: d.explanation });
      expect(known.categories[entry.category]?.reason).toBeTruthy();
      expect({ id: d.id, ours: entry.ours, iamSimulate: entry.iamSimulate }).toEqual({
        id: d.id,
        ours: d.ours,
        iamSimulate: d.iamSimulate,
      });
    }
    // No stale entries: every listed difference still occurs.
    const current = new Set(differences.map((d) => d.id));
    expect(known.differences.filter((d) => !current.has(d.id)).map((d) => d.id)).toEqual([]);
    // The generator must exercise every outcome, or agreement would prove little.
    const decisions = new Set(observed.map((o) => o.ours));
    for (const d of ['allowed', 'explicitDeny', 'implicitDeny', 'conditional'] as const)
      expect(decisions).toContain(d);
    expect(observed.filter((o) => o.ours === o.iamSimulate).length).toBeGreaterThanOrEqual(1000);
  }, 120_000);
});
