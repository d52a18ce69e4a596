/**
 * Pure IAM/SCP evaluation for organizations:LeaveOrganization (the default), any other
 * action, or a set of actions (a direct transfer). No AWS SDK import here.
 */
import { resolveRequest, type ResolvedRequest } from './actions.js';
import { combineVerdicts } from './explain-actions.js';
import { RequestContext } from './context.js';
import {
  compilePolicy,
  type CompiledPolicy,
  type PolicyError,
  type PolicyKind,
} from './document.js';
import { evaluateGates, LEAVE_ACTION, type Gate } from './evaluate.js';
import { chainErrorVerdict, errorVerdict, notApplicableVerdict } from './explain.js';
import { principalFromArn } from './principal.js';
import type {
  ActionRequest,
  IdentityEvaluationInput,
  PolicyInput,
  ScpEvaluationInput,
  ScpLevel,
  Verdict,
} from './types.js';

export type * from './types.js';
export {
  principalFromArn,
  organizationsRegion,
  type PrincipalInfo,
  type PrincipalType,
} from './principal.js';
export {
  LEAVE_ACTION,
  ACCEPT_HANDSHAKE_ACTION,
  CREATE_SLR_ACTION,
  TRANSFER_SCP_ACTIONS,
  TRANSFER_IDENTITY_ACTIONS,
} from './actions.js';

/** The evaluation time in ms; an unparseable one is ignored (it only filters examples). */
function nowOf(now: string | undefined): number | undefined {
  const ms = now === undefined ? NaN : Date.parse(now);
  return Number.isNaN(ms) ? undefined : ms;
}

function compileAll(
  policies: readonly PolicyInput[],
  kind: PolicyKind,
  request: ResolvedRequest,
): { ok: true; policies: CompiledPolicy[] } | { ok: false; error: PolicyError } {
  const out: CompiledPolicy[] = [];
  for (const p of policies) {
    const r = compilePolicy(p, kind, request.action, request.resource);
    if (!r.ok) return r;
    out.push(r.policy);
  }
  return { ok: true, policies: out };
}

/**
 * Why the levels are not root, OUs, account (undefined when they are). A level left
 * out is one whose missing Allow nobody checks, so a partial chain is an error.
 */
function chainShapeError(levels: readonly ScpLevel[]): string | undefined {
  if (levels.length === 0) return 'empty SCP chain';
  if (levels[0]?.kind !== 'root') return 'the SCP chain does not start at the root';
  if (levels.length < 2 || levels.at(-1)?.kind !== 'account')
    return 'the SCP chain does not end at the account';
  if (levels.slice(1, -1).some((l) => l.kind !== 'ou'))
    return 'the SCP chain has a root or account level between the root and the account';
  return undefined;
}

/**
 * Decides whether the SCP chain (root, each OU in order, the account) allows
 * the principal to call `action` (default organizations:LeaveOrganization), and explains why.
 * Every level needs an applicable Allow; a Deny at any level wins. SCPs do not
 * apply to the management account, to service-linked roles, or when the SCP
 * policy type is not enabled. Never throws: problems are `error` verdicts.
 * Policy documents are compiled once per document object and action, and reused: never
 * edit a document in place after passing it here (pass a copy instead).
 */
export function evaluateScpChain(
  input: ScpEvaluationInput,
  action: string | ActionRequest = LEAVE_ACTION,
): Verdict {
  return scpVerdict(input, requestOf(input, action));
}

/**
 * Decides whether the SCP chain allows every one of `actions` (e.g. TRANSFER_SCP_ACTIONS):
 * one verdict, the worst over the actions, naming the action that decides it, with each
 * action's own verdict in `actions`. Never throws.
 */
export function evaluateScpChainFor(
  input: ScpEvaluationInput,
  actions: ReadonlyArray<string | ActionRequest>,
): Verdict {
  return overActions(input, actions, scpVerdict);
}

/**
 * Decides whether the principal's own identity policies (and its permissions
 * boundary, when set) allow `action` (default organizations:LeaveOrganization): a Deny in
 * any of them wins; an Allow is needed from the identity policies and from the boundary.
 * The root user is not governed by identity policies. Never throws.
 * Documents are compiled once per object and action, as for evaluateScpChain.
 */
export function evaluateIdentity(
  input: IdentityEvaluationInput,
  action: string | ActionRequest = LEAVE_ACTION,
): Verdict {
  return identityVerdict(input, requestOf(input, action));
}

/**
 * Decides whether the identity policies and boundary allow every one of `actions`
 * (e.g. TRANSFER_IDENTITY_ACTIONS), combined as evaluateScpChainFor does. Never throws.
 */
export function evaluateIdentityFor(
  input: IdentityEvaluationInput,
  actions: ReadonlyArray<string | ActionRequest>,
): Verdict {
  return overActions(input, actions, identityVerdict);
}

/** Each action evaluated on its own, then combined into one verdict. */
function overActions<I extends { principal: { arn: string; accountId: string } }>(
  input: I,
  actions: ReadonlyArray<string | ActionRequest>,
  one: (input: I, request: ResolvedRequest) => Verdict,
): Verdict {
  return combineVerdicts(
    actions.map((a) => {
      const request = requestOf(input, a);
      return { request, verdict: one(input, request) };
    }),
  );
}

function requestOf(
  input: { principal: { arn: string; accountId: string } },
  action: string | ActionRequest,
): ResolvedRequest {
  return resolveRequest(action, input.principal.arn, input.principal.accountId);
}

function scpVerdict(input: ScpEvaluationInput, request: ResolvedRequest): Verdict {
  const info = principalFromArn(input.principal.arn);
  if (!input.scpEnabled)
    return notApplicableVerdict(
      'SCPs have no effect: the organization does not have all features enabled or the SERVICE_CONTROL_POLICY type is not enabled on the root',
    );
  if (input.isManagementAccount)
    return notApplicableVerdict('SCPs do not apply to the management account');
  if (info.isServiceLinkedRole)
    return notApplicableVerdict(`SCPs do not apply to service-linked roles (${info.principalArn})`);
  const shape = chainShapeError(input.levels);
  if (shape !== undefined) return chainErrorVerdict(shape);
  const gates: Gate[] = [];
  for (const level of input.levels) {
    const compiled = compileAll(level.policies, 'scp', request);
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
  // aws:PrincipalOrgPaths: o-id/r-id/ou-id/.../ (the levels above the account, in order).
  const orgPath =
    input.principal.orgId !== undefined
      ? `${[input.principal.orgId, ...input.levels.slice(0, -1).map((l) => l.id)].join('/')}/`
      : undefined;
  const ctx = new RequestContext(input.principal, {
    orgPath,
    overrides: input.requestContext,
    request,
  });
  return evaluateGates(gates, ctx, {
    subject: 'scp',
    action: request.action,
    resource: request.resource,
    principalArn: info.principalArn,
    now: nowOf(input.now),
  });
}

function identityVerdict(input: IdentityEvaluationInput, request: ResolvedRequest): Verdict {
  const info = principalFromArn(input.principal.arn);
  if (info.isRoot)
    return notApplicableVerdict('identity policies do not govern the root user of an account');
  const identity = compileAll(input.identityPolicies, 'identity', request);
  if (!identity.ok) return errorVerdict(identity.error, ' (identity policy)');
  const gates: Gate[] = [{ ref: { kind: 'identity' }, policies: identity.policies }];
  if (input.permissionsBoundary !== null) {
    const boundary = compileAll([input.permissionsBoundary], 'boundary', request);
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
  const ctx = new RequestContext(input.principal, { overrides: input.requestContext, request });
  return evaluateGates(gates, ctx, {
    subject: 'identity',
    action: request.action,
    resource: request.resource,
    principalArn: info.principalArn,
    now: nowOf(input.now),
  });
}
