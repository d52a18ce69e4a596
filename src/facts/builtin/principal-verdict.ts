import { evaluateIdentity } from '../../policy/index.js';
import type { IdentityEvaluationInput, PolicyInput, Verdict } from '../../policy/types.js';
import type { PrincipalInfo } from '../../snapshot/types.js';
import type { AccountContext } from '../context.js';
import { unknown, type Fact, type FactOutcome } from '../fact.js';
import { verdictOutcome } from './verdict.js';

/** The collected identity policies and boundary as evaluator inputs. */
function policiesOf(collected: PrincipalInfo): {
  identityPolicies: PolicyInput[];
  boundary: PolicyInput | null;
} {
  const names = collected.identityPolicyNames ?? [];
  const identityPolicies = (collected.identityPolicies ?? []).map((document, i) => ({
    id: names[i] ?? `identity-policy-${i}`,
    name: names[i] ?? `identity policy ${i}`,
    document,
  }));
  const boundary =
    collected.permissionsBoundary == null
      ? null
      : {
          id: collected.permissionsBoundaryArn ?? 'permissions-boundary',
          name: collected.permissionsBoundaryArn ?? 'permissions boundary',
          document: collected.permissionsBoundary,
        };
  return { identityPolicies, boundary };
}

/** How the identity policies are asked: LeaveOrganization (leave), or the transfer's actions. */
export type IdentityEvaluator = (input: IdentityEvaluationInput, ctx: AccountContext) => Verdict;

/** The identity-policy verdict of the account's principal, asked with `evaluate` (fail closed). */
export function derivePrincipalVerdict(
  ctx: AccountContext,
  evaluate: IdentityEvaluator,
): FactOutcome {
  const collected = ctx.account.principal;
  const principal = ctx.principal;
  if (collected === undefined) {
    const gap = ctx.gap('principal');
    return unknown(`the principal ${principal.arn} was not collected (${gap.why})`, gap.fix);
  }
  if (!principal.sameAsCollected) {
    return unknown(
      `identity policies of ${principal.arn} were not collected (collected: ${collected.arn})`,
      `collect again with --principal ${principal.arn}, or check without --principal to evaluate ${collected.arn}`,
    );
  }
  if (collected.identityPolicies === undefined || collected.permissionsBoundary === undefined) {
    const gap = ctx.gap('identityPolicies');
    return unknown(`identity policies of ${principal.arn} ${gap.why}`, gap.fix);
  }
  const { identityPolicies, boundary } = policiesOf(collected);
  // aws:PrincipalOrgPaths is known from the tree: o-id/r-id/ou-id/.../ (the SCP side derives it from the levels).
  const org = ctx.snapshot.organization;
  const path = ctx.path;
  const requestContext =
    org !== undefined && typeof path !== 'string'
      ? { 'aws:PrincipalOrgPaths': [`${org.id}/${path.join('/')}/`] }
      : undefined;
  return verdictOutcome(
    evaluate(
      {
        principal: principal.context,
        identityPolicies,
        permissionsBoundary: boundary,
        ...(requestContext !== undefined && { requestContext }),
        now: ctx.options.now.toISOString(),
      },
      ctx,
    ),
  );
}

export const principalVerdict: Fact = {
  name: 'principalVerdict',
  description: '{ decision, summary, ... } identity policies and boundary verdict',
  kind: 'verdict',
  reads: ['principal', 'identityPolicies'],
  derive: (ctx) => derivePrincipalVerdict(ctx, (input) => evaluateIdentity(input)),
};
