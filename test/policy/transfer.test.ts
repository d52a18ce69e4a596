/** A direct transfer asks about several actions: the combined verdict, as data, and the oracle. */
import { describe, expect, it } from '@jest/globals';
import {
  ACCEPT_HANDSHAKE_ACTION,
  CREATE_SLR_ACTION,
  LEAVE_ACTION,
  TRANSFER_IDENTITY_ACTIONS,
  TRANSFER_SCP_ACTIONS,
  evaluateIdentity,
  evaluateIdentityFor,
  evaluateScpChain,
  evaluateScpChainFor,
  type IdentityEvaluationInput,
  type PolicyInput,
  type ScpEvaluationInput,
} from '../../src/policy/index.js';
import { identityInput, loadCases, scpInput } from './case-loader.js';
import { FULL_ACCESS } from './generators.js';
import { identitySimulation, oracle, scpSimulation } from './oracle.js';

const FULL = FULL_ACCESS;

function policy(id: string, statements: unknown[]): PolicyInput {
  return { id, name: id, document: { Version: '2012-10-17', Statement: statements as never } };
}

const ARN = 'arn:aws:iam::222222222222:role/Admin';
const SLR_ARN =
  'arn:aws:iam::222222222222:role/aws-service-role/organizations.amazonaws.com/AWSServiceRoleForOrganizations';

function chain(ouPolicies: PolicyInput[]): ScpEvaluationInput {
  return {
    levels: [
      { kind: 'root', id: 'r-ab12', policies: [FULL] },
      { kind: 'ou', id: 'ou-ab12-aaaa1111', policies: [FULL, ...ouPolicies] },
      { kind: 'account', id: '222222222222', policies: [FULL] },
    ],
    principal: { arn: ARN, accountId: '222222222222', orgId: 'o-abc123', tags: {} },
    isManagementAccount: false,
    scpEnabled: true,
  };
}

function identity(policies: PolicyInput[], arn = ARN): IdentityEvaluationInput {
  return {
    principal: { arn, accountId: arn.split(':')[4] ?? '', orgId: 'o-abc123', tags: {} },
    identityPolicies: policies,
    permissionsBoundary: null,
  };
}

const denyLeave = policy('p-deny-leave', [{ Effect: 'Deny', Action: LEAVE_ACTION, Resource: '*' }]);

describe('direct transfer: the action sets', () => {
  it('are the ones DESIGN §8 names', () => {
    expect(TRANSFER_SCP_ACTIONS).toEqual([ACCEPT_HANDSHAKE_ACTION, LEAVE_ACTION]);
    expect(TRANSFER_IDENTITY_ACTIONS).toEqual([
      ACCEPT_HANDSHAKE_ACTION,
      LEAVE_ACTION,
      'iam:CreateServiceLinkedRole',
    ]);
  });
});

describe('direct transfer: the combined verdict as data', () => {
  it('is decided by the denied action, with every action in order and its trace on top', () => {
    const v = evaluateScpChainFor(chain([denyLeave]), TRANSFER_SCP_ACTIONS);
    expect(v.decision).toBe('explicitDeny');
    expect(v.actions?.map((a) => [a.action, a.resource, a.decision])).toEqual([
      [ACCEPT_HANDSHAKE_ACTION, '*', 'allowed'],
      [LEAVE_ACTION, '*', 'explicitDeny'],
    ]);
    expect(v.trace?.action).toBe(LEAVE_ACTION);
    expect(v.deniedBy?.map((d) => [d.policyId, d.level?.id])).toEqual([
      ['p-deny-leave', 'ou-ab12-aaaa1111'],
    ]);
    expect(v.actions?.[1]?.deniedBy).toEqual(v.deniedBy);
    // One trace per verdict: the per-action entries carry none (reports keep evidence small).
    for (const a of v.actions ?? []) expect(a).not.toHaveProperty('trace');
    expect(v.summary.startsWith(`${LEAVE_ACTION}: explicit Deny in p-deny-leave`)).toBe(true);
  });

  it('an allowed one names every action and carries the first action trace', () => {
    const v = evaluateIdentityFor(identity([FULL]), TRANSFER_IDENTITY_ACTIONS);
    expect(v.decision).toBe('allowed');
    expect(v.actions?.map((a) => a.decision)).toEqual(['allowed', 'allowed', 'allowed']);
    for (const a of TRANSFER_IDENTITY_ACTIONS) expect(v.summary).toContain(a);
    expect(v.trace?.action).toBe(ACCEPT_HANDSHAKE_ACTION);
  });

  it('any deny beats conditional, and conditional beats allowed', () => {
    const mfa = policy('p-mfa', [
      {
        Effect: 'Deny',
        Action: ACCEPT_HANDSHAKE_ACTION,
        Resource: '*',
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      },
    ]);
    const conditional = evaluateScpChainFor(chain([mfa]), TRANSFER_SCP_ACTIONS);
    expect(conditional.decision).toBe('conditional');
    expect(conditional.dependsOn).toEqual(['aws:MultiFactorAuthPresent']);
    const both = evaluateScpChainFor(chain([mfa, denyLeave]), TRANSFER_SCP_ACTIONS);
    expect(both.decision).toBe('explicitDeny');
    expect(both.trace?.action).toBe(LEAVE_ACTION);
    expect(both.summary).toContain(`also not allowed: ${ACCEPT_HANDSHAKE_ACTION} (conditional)`);
  });

  it('a malformed policy is an error for the combination; no action at all is an error', () => {
    const broken = { id: 'p-bad', name: 'Bad', document: { Statement: [{ Effect: 'Allow' }] } };
    expect(evaluateScpChainFor(chain([broken]), TRANSFER_SCP_ACTIONS).decision).toBe('error');
    expect(evaluateIdentityFor(identity([FULL]), []).decision).toBe('error');
  });
});

describe('direct transfer: one evaluator per action', () => {
  it('caches per document and action: the same document answers each action for itself', () => {
    const input = chain([denyLeave]);
    expect(evaluateScpChain(input, ACCEPT_HANDSHAKE_ACTION).decision).toBe('allowed');
    expect(evaluateScpChain(input).decision).toBe('explicitDeny');
    expect(evaluateScpChain(input, ACCEPT_HANDSHAKE_ACTION).decision).toBe('allowed');
    expect(evaluateScpChain(input, LEAVE_ACTION)).toEqual(evaluateScpChain(input));
  });

  it('iam:CreateServiceLinkedRole names the Organizations service-linked role, in the principal partition', () => {
    const v = evaluateIdentity(identity([FULL]), CREATE_SLR_ACTION);
    expect(v.trace?.resource).toBe(SLR_ARN);
    const cn = evaluateIdentity(
      identity([FULL], 'arn:aws-cn:iam::333333333333:role/Admin'),
      CREATE_SLR_ACTION,
    );
    expect(cn.trace?.resource).toBe(
      'arn:aws-cn:iam::333333333333:role/aws-service-role/organizations.amazonaws.com/AWSServiceRoleForOrganizations',
    );
    const conditioned = evaluateIdentity(
      identity([
        policy('p-slr', [
          {
            Effect: 'Allow',
            Action: 'iam:CreateServiceLinkedRole',
            Resource: '*',
            Condition: { StringLike: { 'iam:AWSServiceName': 'organizations.*' } },
          },
        ]),
      ]),
      CREATE_SLR_ACTION,
    );
    expect(conditioned.decision).toBe('allowed');
    expect(conditioned.trace?.context.find((k) => k.key === 'iam:AWSServiceName')?.value).toEqual([
      'organizations.amazonaws.com',
    ]);
  });

  it('an ActionRequest gives the resource: a Deny on handshake ARNs applies to it, not to "*"', () => {
    const denyHandshakes = policy('p-hs', [
      {
        Effect: 'Deny',
        Action: ACCEPT_HANDSHAKE_ACTION,
        Resource: 'arn:aws:organizations::*:handshake/*',
      },
    ]);
    const input = chain([denyHandshakes]);
    const handshake = 'arn:aws:organizations::111111111111:handshake/o-target/invite/h-abc';
    expect(
      evaluateScpChain(input, { action: ACCEPT_HANDSHAKE_ACTION, resource: handshake }).decision,
    ).toBe('explicitDeny');
    expect(evaluateScpChain(input, ACCEPT_HANDSHAKE_ACTION).decision).toBe('allowed');
  });

  it('a policy variable in a Resource is not resolved before the call: read fail closed', () => {
    const own = 'arn:aws:iam::${aws:PrincipalAccount}:role/aws-service-role/*';
    const allow = policy('p-own', [{ Effect: 'Allow', Action: CREATE_SLR_ACTION, Resource: own }]);
    const v = evaluateIdentity(identity([allow]), CREATE_SLR_ACTION);
    expect(v.decision).toBe('implicitDeny');
    expect(v.unmatchedAllows?.[0]?.reason).toContain('a policy variable in it is not resolved');
    const deny = policy('p-deny', [{ Effect: 'Deny', Action: CREATE_SLR_ACTION, Resource: own }]);
    expect(evaluateIdentity(identity([FULL, deny]), CREATE_SLR_ACTION).decision).toBe(
      'explicitDeny',
    );
    // On `*` (the organizations actions) such a pattern never matches, as before.
    expect(evaluateIdentity(identity([FULL, deny])).decision).toBe('allowed');
  });

  it('the SCP side can also be asked about the service-linked role (not part of DESIGN §8)', () => {
    const denyIam = policy('p-noiam', [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }]);
    const input = chain([denyIam]);
    expect(evaluateScpChainFor(input, TRANSFER_SCP_ACTIONS).decision).toBe('allowed');
    const v = evaluateScpChainFor(input, [...TRANSFER_SCP_ACTIONS, CREATE_SLR_ACTION]);
    expect(v.decision).toBe('explicitDeny');
    expect(v.summary.startsWith(`${CREATE_SLR_ACTION}: explicit Deny in p-noiam`)).toBe(true);
  });
});

describe('direct transfer: iam-simulate agrees where it can be asked', () => {
  it('on every transfer case, per action, when our answer is neither conditional nor out of scope', async () => {
    let agreed = 0;
    const disagreements: unknown[] = [];
    const cases = loadCases().filter((c) => c.actions !== undefined);
    for (const c of cases) {
      for (const action of c.actions ?? []) {
        const isScp = c.subject !== 'identity';
        const ours = isScp
          ? evaluateScpChain(scpInput(c), action)
          : evaluateIdentity(identityInput(c), action);
        if (ours.decision === 'conditional' || ours.notApplicable !== undefined) continue;
        const input = isScp ? scpInput(c) : identityInput(c);
        const slr = action === CREATE_SLR_ACTION;
        const req = {
          principalArn: input.principal.arn,
          orgId: input.principal.orgId ?? '',
          tags: input.principal.tags ?? {},
          callKeys: slr ? { 'iam:AWSServiceName': 'organizations.amazonaws.com' } : {},
          action,
          resource: ours.trace?.resource ?? '*',
        };
        const sim = isScp
          ? scpSimulation(scpInput(c).levels, req)
          : identitySimulation(
              identityInput(c).identityPolicies,
              identityInput(c).permissionsBoundary,
              req,
            );
        const theirs = await oracle(sim);
        if (theirs.decision === ours.decision) agreed++;
        else disagreements.push({ case: c.name, action, ours: ours.decision, theirs });
      }
    }
    expect(disagreements).toEqual([]);
    expect(agreed).toBeGreaterThanOrEqual(40);
  });
});
