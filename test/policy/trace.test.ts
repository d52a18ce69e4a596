/** The evaluator returns data: these tests read the trace, not the sentences. */
import { describe, expect, it } from '@jest/globals';
import {
  evaluateIdentity,
  evaluateScpChain,
  type PolicyInput,
  type ScpEvaluationInput,
  type Verdict,
} from '../../src/policy/index.js';

const FULL: PolicyInput = {
  id: 'p-FullAWSAccess',
  name: 'FullAWSAccess',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

function scp(statements: unknown[], name = 'Guardrails'): PolicyInput {
  return { id: 'p-g', name, document: { Version: '2012-10-17', Statement: statements as never } };
}

function chain(
  ouPolicies: PolicyInput[],
  arn = 'arn:aws:iam::222222222222:role/Dev',
): ScpEvaluationInput {
  return {
    levels: [
      { kind: 'root', id: 'r-ab12', policies: [FULL] },
      { kind: 'ou', id: 'ou-ab12-aaaa1111', name: 'Workloads', policies: [FULL, ...ouPolicies] },
      { kind: 'account', id: '222222222222', policies: [FULL] },
    ],
    principal: { arn, accountId: '222222222222', orgId: 'o-abc123', tags: { team: 'platform' } },
    isManagementAccount: false,
    scpEnabled: true,
  };
}

const LEAVE = 'organizations:LeaveOrganization';

/** The chain with one more Deny of LeaveOrganization at the OU, under this condition. */
function denyLeaveIf(condition: Record<string, unknown>, arn?: string): Verdict {
  return evaluateScpChain(
    chain([scp([{ Effect: 'Deny', Action: LEAVE, Resource: '*', Condition: condition }])], arn),
  );
}

describe('evaluation trace', () => {
  it('has one level per gate with its Allow and Deny outcome, and one entry per statement', () => {
    const v = evaluateScpChain(
      chain([
        scp([
          { Sid: 'Ec2', Effect: 'Deny', Action: 'ec2:*', Resource: '*' },
          { Sid: 'NoLeave', Effect: 'Deny', Action: LEAVE, Resource: '*' },
        ]),
      ]),
    );
    expect(v.decision).toBe('explicitDeny');
    const levels = v.trace?.levels ?? [];
    expect(levels.map((l) => [l.kind, l.allow, l.deny])).toEqual([
      ['root', true, false],
      ['ou', true, true],
      ['account', true, false],
    ]);
    expect(levels[1]?.statements.map((s) => [s.sid, s.action, s.resource, s.applies])).toEqual([
      [undefined, true, true, true],
      ['Ec2', false, true, false],
      ['NoLeave', true, true, true],
    ]);
    expect(levels[1]?.policies).toEqual([
      { id: 'p-FullAWSAccess', name: 'FullAWSAccess' },
      { id: 'p-g', name: 'Guardrails' },
    ]);
  });

  it('names the condition that decided, and whether the principal matched', () => {
    const v = denyLeaveIf({
      StringEquals: { 'aws:PrincipalAccount': '222222222222' },
      ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' },
    });
    expect(v.decision).toBe('allowed');
    const st = v.trace?.levels[1]?.statements[1];
    expect(st).toMatchObject({ effect: 'Deny', action: true, applies: false, principal: false });
    expect(st?.decidedBy).toBe(1);
    expect(st?.conditions[st.decidedBy ?? -1]).toMatchObject({
      operator: 'ArnLike',
      key: 'aws:PrincipalArn',
      contextValue: ['arn:aws:iam::222222222222:role/Dev'],
      result: false,
    });
  });

  it('carries each Deny statement its own exemptions as data', () => {
    const v = evaluateScpChain(
      chain([
        scp([
          {
            Sid: 'Root',
            Effect: 'Deny',
            Action: '*',
            Resource: '*',
            Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } },
          },
          {
            Sid: 'Leave',
            Effect: 'Deny',
            Action: LEAVE,
            Resource: '*',
            Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/BreakGlass' } },
          },
        ]),
      ]),
    );
    const [root, leave] = v.trace?.levels[1]?.statements.slice(1) ?? [];
    expect(root?.exemptions).toBeUndefined();
    expect(leave?.exemptions).toEqual([
      {
        key: 'aws:PrincipalArn',
        operator: 'ArnNotLike',
        kind: 'principal-arn',
        values: ['arn:aws:iam::*:role/BreakGlass'],
      },
    ]);
  });

  it('records a pattern that misses the principal only by case', () => {
    const v = denyLeaveIf(
      { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/aws*'] } },
      'arn:aws:iam::222222222222:role/AWSControlTowerExecution',
    );
    expect(v.decision).toBe('explicitDeny');
    expect(v.trace?.levels[1]?.statements[1]?.exemptions?.[0]?.caseOnlyMismatch).toEqual([
      'arn:aws:iam::*:role/aws*',
    ]);
  });

  it('a conditional verdict lists the unknown keys, the realizable values tried and each outcome', () => {
    const v = denyLeaveIf({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } });
    expect(v.decision).toBe('conditional');
    expect(v.trace?.dependsOn).toEqual(['aws:SourceIp']);
    expect(v.trace?.scenarios).toEqual([
      {
        when: [{ key: 'aws:SourceIp', value: { kind: 'equals', value: '203.0.113.1' } }],
        decision: 'allowed',
      },
      {
        when: [{ key: 'aws:SourceIp', value: { kind: 'outside', ranges: ['203.0.113.0/24'] } }],
        decision: 'explicitDeny',
      },
    ]);
    expect(v.trace?.context).toContainEqual({
      key: 'aws:SourceIp',
      value: 'unknown',
      reason: 'depends on how and when the call is made',
      decisive: true,
    });
  });

  it('an exhaustively settled verdict says so', () => {
    const v = denyLeaveIf({ BoolIfExists: { 'aws:MultiFactorAuthPresent': ['true', 'false'] } });
    expect(v.decision).toBe('explicitDeny');
    expect(v.trace?.settledBy).toBe('exhaustive');
    expect(v.trace?.dependsOn).toEqual([]);
    expect(new Set(v.trace?.scenarios?.map((s) => s.decision))).toEqual(new Set(['explicitDeny']));
  });

  it('the identity trace has the identity policies and the boundary as its two gates', () => {
    const v = evaluateIdentity({
      principal: { arn: 'arn:aws:iam::222222222222:role/Dev', accountId: '222222222222' },
      identityPolicies: [FULL],
      permissionsBoundary: scp([{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }], 'Boundary'),
    });
    expect(v.decision).toBe('implicitDeny');
    expect(v.trace?.subject).toBe('identity');
    expect(v.trace?.levels.map((l) => [l.kind, l.allow])).toEqual([
      ['identity', true],
      ['boundary', false],
    ]);
  });
});
