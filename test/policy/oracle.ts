/**
 * iam-simulate (AGPL) as a test oracle only: maps our inputs to its Simulation
 * and its overall result to our decisions. Never imported from src/.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { principalFromArn, type PolicyInput, type ScpLevel } from '../../src/policy/index.js';

export type OracleDecision = 'allowed' | 'explicitDeny' | 'implicitDeny' | 'error';

export const ALLOW_ALL = {
  name: 'AllowAll',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

export interface OracleRequest {
  principalArn: string;
  orgId: string;
  tags: Record<string, string>;
  /** Call-dependent keys with concrete values; null = absent. */
  callKeys: Record<string, string | null>;
  orgPath?: string;
  /** Default organizations:LeaveOrganization on `*`. */
  action?: string;
  resource?: string;
}

export function contextVariables(req: OracleRequest): Record<string, string | string[]> {
  const info = principalFromArn(req.principalArn);
  const vars: Record<string, string | string[]> = {
    'aws:PrincipalArn': info.principalArn,
    'aws:PrincipalAccount': info.accountId,
    'aws:PrincipalOrgID': req.orgId,
    'aws:RequestedRegion': 'us-east-1',
    'aws:SecureTransport': 'true',
    'aws:ViaAWSService': 'false',
    'aws:PrincipalIsAWSService': 'false',
  };
  if (info.principalType) vars['aws:PrincipalType'] = info.principalType;
  if (info.userName) vars['aws:username'] = info.userName;
  if (req.orgPath) vars['aws:PrincipalOrgPaths'] = [req.orgPath];
  for (const [k, v] of Object.entries(req.tags)) vars[`aws:PrincipalTag/${k}`] = v;
  for (const [k, v] of Object.entries(req.callKeys)) if (v !== null) vars[k] = v;
  return vars;
}

function named(p: PolicyInput): { name: string; policy: unknown } {
  return { name: p.id, policy: p.document };
}

function toDecision(result: string): OracleDecision {
  if (result === 'Allowed') return 'allowed';
  if (result === 'ExplicitlyDenied') return 'explicitDeny';
  if (result === 'ImplicitlyDenied') return 'implicitDeny';
  return 'error';
}

function request(req: OracleRequest): Simulation['request'] {
  return {
    principal: req.principalArn,
    action: req.action ?? 'organizations:LeaveOrganization',
    resource: {
      resource: req.resource ?? '*',
      accountId: principalFromArn(req.principalArn).accountId,
    },
    contextVariables: contextVariables(req),
  };
}

export function scpSimulation(levels: ScpLevel[], req: OracleRequest): Simulation {
  return {
    request: request(req),
    identityPolicies: [ALLOW_ALL],
    serviceControlPolicies: levels.map((l) => ({
      orgIdentifier: l.id,
      policies: l.policies.map(named),
    })),
    resourceControlPolicies: [],
  };
}

export function identitySimulation(
  identityPolicies: PolicyInput[],
  boundary: PolicyInput | null,
  req: OracleRequest,
): Simulation {
  return {
    request: request(req),
    identityPolicies: identityPolicies.map(named),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(boundary ? { permissionBoundaryPolicies: [named(boundary)] } : {}),
  };
}

/** Runs iam-simulate and maps its overall result. */
export async function oracle(
  sim: Simulation,
): Promise<{ decision: OracleDecision; detail?: unknown }> {
  const r = await runSimulation(sim, {});
  if (r.resultType === 'error') return { decision: 'error', detail: r.errors };
  return { decision: toDecision(r.overallResult) };
}
