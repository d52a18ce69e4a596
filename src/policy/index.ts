/** Pure IAM/SCP evaluation for organizations:LeaveOrganization. No AWS SDK import here. */
import { RequestContext } from './context.js';
import {
  compilePolicy,
  type CompiledPolicy,
  type PolicyError,
  type PolicyKind,
} from './document.js';
import { evaluateGates, LEAVE_ACTION, type Gate } from './evaluate.js';
import { principalFromArn } from './principal.js';
import type { IdentityEvaluationInput, PolicyInput, ScpEvaluationInput, Verdict } from './types.js';

export type * from './types.js';
export {
  principalFromArn,
  organizationsRegion,
  type PrincipalInfo,
  type PrincipalType,
} from './principal.js';
export { LEAVE_ACTION } from './evaluate.js';

function errorVerdict(e: PolicyError, where: string): Verdict {
  const policy =
    e.policyName && e.policyName !== e.policyId ? `${e.policyId} (${e.policyName})` : e.policyId;
  const stmt = e.statementIndex !== undefined ? `, statement ${e.statementIndex}` : '';
  return {
    decision: 'error',
    summary: `malformed policy ${policy}${stmt}${where}: ${e.reason}`,
    error: {
      policyId: e.policyId,
      ...(e.statementIndex !== undefined ? { statementIndex: e.statementIndex } : {}),
      reason: e.reason,
    },
  };
}

function compileAll(
  policies: readonly PolicyInput[],
  kind: PolicyKind,
): { ok: true; policies: CompiledPolicy[] } | { ok: false; error: PolicyError } {
  const out: CompiledPolicy[] = [];
  for (const p of policies) {
    const r = compilePolicy(p, kind, LEAVE_ACTION);
    if (!r.ok) return r;
    out.push(r.policy);
  }
  return { ok: true, policies: out };
}

/**
 * Decides whether the SCP chain (root, each OU in order, the account) allows
 * the principal to call organizations:LeaveOrganization, and explains why.
 * Every level needs an applicable Allow; a Deny at any level wins. SCPs do not
 * apply to the management account, to service-linked roles, or when the SCP
 * policy type is not enabled. Never throws: problems are `error` verdicts.
 */
export function evaluateScpChain(input: ScpEvaluationInput): Verdict {
  const info = principalFromArn(input.principal.arn);
  if (!input.scpEnabled) {
    const notApplicable =
      'SCPs have no effect: the organization does not have all features enabled or the SERVICE_CONTROL_POLICY type is not enabled on the root';
    return { decision: 'allowed', summary: `allowed: ${notApplicable}`, notApplicable };
  }
  if (input.isManagementAccount) {
    const notApplicable = 'SCPs do not apply to the management account';
    return { decision: 'allowed', summary: `allowed: ${notApplicable}`, notApplicable };
  }
  if (info.isServiceLinkedRole) {
    const notApplicable = `SCPs do not apply to service-linked roles (${info.principalArn})`;
    return { decision: 'allowed', summary: `allowed: ${notApplicable}`, notApplicable };
  }
  if (input.levels.length === 0) {
    return {
      decision: 'error',
      summary: 'no SCP levels given: the chain needs the root, each OU and the account',
      error: { reason: 'empty SCP chain' },
    };
  }
  const gates: Gate[] = [];
  for (const level of input.levels) {
    const compiled = compileAll(level.policies, 'scp');
    if (!compiled.ok) {
      const where = ` attached to ${level.kind === 'ou' ? 'OU' : level.kind} ${level.id}`;
      return errorVerdict(compiled.error, where);
    }
    gates.push({
      ref: {
        kind: level.kind,
        id: level.id,
        ...(level.name !== undefined ? { name: level.name } : {}),
      },
      policies: compiled.policies,
    });
  }
  const root = input.levels[0];
  const ous = input.levels.filter((l) => l.kind === 'ou').map((l) => l.id);
  const orgPath =
    input.principal.orgId !== undefined && root?.kind === 'root'
      ? `${[input.principal.orgId, root.id, ...ous].join('/')}/`
      : undefined;
  const ctx = new RequestContext(input.principal, { orgPath, overrides: input.requestContext });
  return evaluateGates(gates, ctx, { subject: 'scp', principalArn: info.principalArn });
}

/**
 * Decides whether the principal's own identity policies (and its permissions
 * boundary, when set) allow organizations:LeaveOrganization: a Deny in any of
 * them wins; an Allow is needed from the identity policies and from the boundary.
 * The root user is not governed by identity policies. Never throws.
 */
export function evaluateIdentity(input: IdentityEvaluationInput): Verdict {
  const info = principalFromArn(input.principal.arn);
  if (info.isRoot) {
    const notApplicable = 'identity policies do not govern the root user of an account';
    return { decision: 'allowed', summary: `allowed: ${notApplicable}`, notApplicable };
  }
  const identity = compileAll(input.identityPolicies, 'identity');
  if (!identity.ok) return errorVerdict(identity.error, ' (identity policy)');
  const gates: Gate[] = [{ ref: { kind: 'identity' }, policies: identity.policies }];
  if (input.permissionsBoundary !== null) {
    const boundary = compileAll([input.permissionsBoundary], 'boundary');
    if (!boundary.ok) return errorVerdict(boundary.error, ' (permissions boundary)');
    gates.push({
      ref: {
        kind: 'boundary',
        id: input.permissionsBoundary.id,
        name: input.permissionsBoundary.name,
      },
      policies: boundary.policies,
    });
  }
  const ctx = new RequestContext(input.principal, { overrides: input.requestContext });
  return evaluateGates(gates, ctx, { subject: 'identity', principalArn: info.principalArn });
}
