/**
 * Root and OU levels whose statements read nothing from the request are traced once and
 * shared by every account below them (policy/evaluate.ts). A shared trace must still
 * name its own level, follow the level's allow, and never be changed by a reader.
 */
import { describe, expect, it } from '@jest/globals';
import {
  evaluateScpChain,
  type PolicyInput,
  type ScpEvaluationInput,
} from '../../src/policy/index.js';

const FULL: PolicyInput = {
  id: 'p-FullAWSAccess',
  name: 'FullAWSAccess',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};
const ONLY_EC2: PolicyInput = {
  id: 'p-ec2',
  name: 'OnlyEc2',
  document: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }],
  },
};

function chain(
  account: string,
  ou: { id: string; name: string; policies: PolicyInput[] },
): ScpEvaluationInput {
  return {
    levels: [
      { kind: 'root', id: 'r-ab12', policies: [FULL] },
      { kind: 'ou', ...ou },
      { kind: 'account', id: account, policies: [FULL] },
    ],
    principal: { arn: `arn:aws:iam::${account}:role/Dev`, accountId: account },
    isManagementAccount: false,
    scpEnabled: true,
  };
}

const ouTrace = (input: ScpEvaluationInput) => evaluateScpChain(input).trace?.levels[1];

describe('shared level traces', () => {
  it('name their own level and follow its allow, whatever was evaluated before', () => {
    const a = ouTrace(
      chain('222222222222', { id: 'ou-ab12-aaaa1111', name: 'Workloads', policies: [FULL] }),
    );
    const b = ouTrace(
      chain('333333333333', { id: 'ou-ab12-bbbb2222', name: 'Sandbox', policies: [FULL] }),
    );
    const renamed = ouTrace(
      chain('444444444444', { id: 'ou-ab12-aaaa1111', name: 'Renamed', policies: [FULL] }),
    );
    const narrow = ouTrace(
      chain('555555555555', { id: 'ou-ab12-aaaa1111', name: 'Workloads', policies: [ONLY_EC2] }),
    );
    expect([a?.id, a?.name, a?.allow]).toEqual(['ou-ab12-aaaa1111', 'Workloads', true]);
    expect([b?.id, b?.name, b?.allow]).toEqual(['ou-ab12-bbbb2222', 'Sandbox', true]);
    expect(renamed?.name).toBe('Renamed');
    expect([narrow?.allow, narrow?.policies]).toEqual([false, [{ id: 'p-ec2', name: 'OnlyEc2' }]]);
    // The same level again: the same trace, shared rather than rebuilt.
    const again = ouTrace(
      chain('666666666666', { id: 'ou-ab12-aaaa1111', name: 'Workloads', policies: [FULL] }),
    );
    expect(again).toBe(a);
  });

  it('share a level whose Deny on other actions reads the request only for those actions', () => {
    const guard: PolicyInput = {
      id: 'p-region',
      name: 'RegionGuard',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            NotAction: ['organizations:*', 'iam:*'],
            Resource: '*',
            Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1'] } },
          },
        ],
      },
    };
    const ou = { id: 'ou-ab12-eeee5555', name: 'Regional', policies: [FULL, guard] };
    const a = ouTrace(chain('222222222222', ou));
    const b = ouTrace(chain('333333333333', ou));
    expect(b).toBe(a);
    expect(a?.statements[1]).toMatchObject({ effect: 'Deny', action: false, applies: false });
  });

  it('are frozen: a reader cannot change what other accounts share', () => {
    const t = ouTrace(
      chain('222222222222', { id: 'ou-ab12-cccc3333', name: 'Frozen', policies: [FULL] }),
    )!;
    expect(() => {
      (t as { allow: unknown }).allow = false;
    }).toThrow(TypeError);
    expect(() => {
      (t.statements as unknown[]).push({});
    }).toThrow(TypeError);
  });

  it('leave levels whose statements read the request to each account', () => {
    const conditional: PolicyInput = {
      id: 'p-deny',
      name: 'DenyLeave',
      document: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          {
            Effect: 'Deny',
            Action: 'organizations:LeaveOrganization',
            Resource: '*',
            Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/BreakGlass' } },
          },
        ],
      },
    };
    const ou = { id: 'ou-ab12-dddd4444', name: 'Guarded', policies: [conditional] };
    const dev = evaluateScpChain(chain('222222222222', ou));
    const breakGlass = evaluateScpChain({
      ...chain('222222222222', ou),
      principal: { arn: 'arn:aws:iam::222222222222:role/BreakGlass', accountId: '222222222222' },
    });
    expect(dev.decision).toBe('explicitDeny');
    expect(breakGlass.decision).toBe('allowed');
    expect(dev.trace?.levels[1]).not.toBe(breakGlass.trace?.levels[1]);
  });
});
