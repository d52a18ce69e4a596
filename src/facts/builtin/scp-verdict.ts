import { evaluateScpChain } from '../../policy/index.js';
import type { ScpEvaluationInput, ScpLevel, Verdict } from '../../policy/types.js';
import type { AccountContext } from '../context.js';
import { known, unknown, type Fact, type FactOutcome } from '../fact.js';
import { verdictOutcome } from './verdict.js';

/** Root, each OU in order, the account: the SCPs attached at each level. */
function levels(ctx: AccountContext, path: string[]): ScpLevel[] {
  const { index, account } = ctx;
  const rootId = ctx.snapshot.rootId;
  const out: ScpLevel[] = path.map((id) => {
    const ou = index.ouById.get(id);
    return {
      kind: id === rootId ? 'root' : 'ou',
      id,
      ...(ou !== undefined && { name: ou.name }),
      policies: index.policiesByTarget.get(id) ?? [],
    };
  });
  out.push({
    kind: 'account',
    id: account.id,
    ...(account.name !== undefined && { name: account.name }),
    policies: index.policiesByTarget.get(account.id) ?? [],
  });
  return out;
}

/** How the SCP chain is asked: LeaveOrganization (leave), or the transfer's actions. */
export type ScpEvaluator = (input: ScpEvaluationInput, ctx: AccountContext) => Verdict;

/** The SCP chain verdict of the account's principal, asked with `evaluate` (fail closed). */
export function deriveScpVerdict(ctx: AccountContext, evaluate: ScpEvaluator): FactOutcome {
  const principal = ctx.principal;
  const org = ctx.snapshot.organization;
  if (principal.problem !== undefined) {
    return unknown(
      principal.problem,
      `pass --principal as the IAM role or user ARN with its path (arn:aws:iam::${ctx.account.id}:role/<path>/<name>), not a session ARN`,
    );
  }
  if (org === undefined) return unknown('organization not collected', ctx.gap('organization').fix);
  if (ctx.isManagement === true) {
    return known(
      evaluate(
        {
          levels: [],
          principal: principal.context,
          isManagementAccount: true,
          scpEnabled: org.scpEnabled,
        },
        ctx,
      ),
    );
  }
  if (ctx.snapshot.rootId === undefined || ctx.snapshot.policies === undefined) {
    const gap = ctx.gap('policies');
    return unknown(`service control policies not collected (${gap.why})`, gap.fix);
  }
  const path = ctx.path;
  if (typeof path === 'string') return unknown(path, ctx.gap('ouTree').fix);
  return verdictOutcome(
    evaluate(
      {
        levels: levels(ctx, path),
        principal: principal.context,
        isManagementAccount: false,
        scpEnabled: org.featureSet === 'ALL' && org.scpEnabled,
        now: ctx.options.now.toISOString(),
      },
      ctx,
    ),
  );
}

export const scpVerdict: Fact = {
  name: 'scpVerdict',
  description: '{ decision, summary, ... } SCP chain verdict for the principal',
  kind: 'verdict',
  reads: ['organization', 'policies', 'ouTree'],
  derive: (ctx) => deriveScpVerdict(ctx, (input) => evaluateScpChain(input)),
};
