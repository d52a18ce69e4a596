/**
 * fast-check generators for SCP chains, identity policies and request
 * contexts, shared by the property tests and the differential test.
 * Every key a generated condition reads has a concrete value in `requestContext`
 * unless `unknownKeys` asks otherwise, so both evaluators see the same request.
 */
import fc from 'fast-check';
import type { JsonValue } from '../../src/json.js';
import type { PolicyInput, ScpEvaluationInput, ScpLevel } from '../../src/policy/index.js';

export const FULL_ACCESS: PolicyInput = {
  id: 'p-FullAWSAccess',
  name: 'FullAWSAccess',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

const ACTIONS = [
  '*',
  'organizations:*',
  'organizations:LeaveOrganization',
  'organizations:leaveorganization',
  'Organizations:Leave*',
  'organizations:LeaveOrganizatio?',
  'organizations:Describe*',
  'organizations:DeleteOrganization',
  'ec2:*',
  's3:GetObject',
];

const RESOURCES = ['*', '*', '*', 'arn:aws:organizations::*:account/*', 'arn:aws:s3:::bucket/*'];

const conditionArb: fc.Arbitrary<[string, string, JsonValue]> = fc.oneof(
  fc.tuple(
    fc.constantFrom(
      'StringEquals',
      'StringNotEquals',
      'StringLike',
      'StringNotLike',
      'StringEqualsIgnoreCase',
      'StringNotEqualsIgnoreCase',
      'StringEqualsIfExists',
      'StringNotEqualsIfExists',
    ),
    fc.constantFrom(
      'aws:PrincipalTag/team',
      'aws:PrincipalAccount',
      'aws:PrincipalOrgID',
      'aws:PrincipalType',
    ),
    fc.constantFrom<JsonValue>(
      'platform',
      'PLATFORM',
      'plat*',
      ['security', 'platform'],
      '222222222222',
      '33333333333?',
      'o-abc123',
      'AssumedRole',
      'User',
      'Account',
    ),
  ),
  fc.tuple(
    fc.constantFrom('ArnLike', 'ArnNotLike', 'ArnEquals', 'ArnNotEquals', 'ArnNotLikeIfExists'),
    fc.constant('aws:PrincipalArn'),
    fc.constantFrom<JsonValue>(
      'arn:aws:iam::*:role/BreakGlass',
      'arn:aws:iam::*:role/*BreakGlass',
      [
        'arn:aws:iam::*:role/Admin*',
        'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
      ],
      'arn:aws:iam::${aws:PrincipalAccount}:role/*',
      'arn:aws:iam::*:user/*',
    ),
  ),
  fc.tuple(
    fc.constantFrom('Bool', 'BoolIfExists'),
    fc.constant('aws:MultiFactorAuthPresent'),
    fc.constantFrom<JsonValue>('true', 'false', true),
  ),
  fc.tuple(
    fc.constantFrom(
      'NumericLessThan',
      'NumericGreaterThanEquals',
      'NumericEquals',
      'NumericNotEquals',
      'NumericLessThanIfExists',
    ),
    fc.constant('aws:PrincipalTag/cost'),
    fc.constantFrom<JsonValue>('10', '42', 100, ['1', '42']),
  ),
  fc.tuple(
    fc.constantFrom('DateGreaterThan', 'DateLessThan', 'DateNotEquals', 'DateLessThanEquals'),
    fc.constant('aws:CurrentTime'),
    fc.constantFrom<JsonValue>('2026-01-01T00:00:00Z', '2027-06-30T12:00:00Z', '1798761600'),
  ),
  fc.tuple(
    fc.constantFrom('IpAddress', 'NotIpAddress', 'IpAddressIfExists'),
    fc.constant('aws:SourceIp'),
    fc.constantFrom<JsonValue>('203.0.113.0/24', '198.51.100.7', ['10.0.0.0/8', '2001:db8::/32']),
  ),
  fc.tuple(
    fc.constant('Null'),
    fc.constantFrom('aws:PrincipalTag/team', 'aws:PrincipalTag/cost'),
    fc.constantFrom<JsonValue>('true', 'false'),
  ),
  fc.tuple(
    fc.constantFrom(
      'ForAnyValue:StringLike',
      'ForAllValues:StringLike',
      'ForAnyValue:StringNotLike',
    ),
    fc.constant('aws:PrincipalOrgPaths'),
    fc.constantFrom<JsonValue>('o-abc123/r-ab12/ou-1/*', 'o-abc123/*', [
      'o-other/*',
      'o-abc123/r-ab12/',
    ]),
  ),
  fc.tuple(
    fc.constant('StringEquals'),
    fc.constant('aws:RequestedRegion'),
    fc.constantFrom<JsonValue>('us-east-1', 'eu-west-1'),
  ),
);

/** A policy statement (for any policy type; Principal is never generated). */
export const statementArb: fc.Arbitrary<Record<string, JsonValue>> = fc
  .record({
    effect: fc.constantFrom('Allow', 'Deny'),
    notAction: fc.boolean(),
    actions: fc.array(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 3 }),
    notResource: fc.constantFrom(false, false, false, true),
    resource: fc.constantFrom(...RESOURCES),
    conditions: fc.array(conditionArb, { maxLength: 2 }),
    sid: fc.option(fc.constantFrom('S1', 'DenyLeave', 'Guard'), { nil: undefined }),
  })
  .map((s) => {
    const out: Record<string, JsonValue> = { Effect: s.effect };
    if (s.sid !== undefined) out.Sid = s.sid;
    out[s.notAction ? 'NotAction' : 'Action'] = s.actions.length === 1 ? s.actions[0]! : s.actions;
    out[s.notResource ? 'NotResource' : 'Resource'] =
      s.notResource && s.resource === '*' ? 'arn:aws:s3:::x' : s.resource;
    if (s.conditions.length > 0) {
      const cond: Record<string, Record<string, JsonValue>> = {};
      for (const [op, key, value] of s.conditions) (cond[op] ??= {})[key] = value;
      out.Condition = cond;
    }
    return out;
  });

let counter = 0;
export const policyArb: fc.Arbitrary<PolicyInput> = fc
  .array(statementArb, { minLength: 1, maxLength: 3 })
  .map((statements) => {
    const n = ++counter;
    return {
      id: `p-gen${n}`,
      name: `Gen${n}`,
      document: { Version: '2012-10-17', Statement: statements },
    };
  });

const levelPoliciesArb: fc.Arbitrary<PolicyInput[]> = fc
  .tuple(fc.constantFrom(true, true, true, true, false), fc.array(policyArb, { maxLength: 2 }))
  .map(([full, extra]) => (full ? [FULL_ACCESS, ...extra] : extra));

export const PRINCIPALS = [
  'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
  'arn:aws:iam::222222222222:role/BreakGlass',
  'arn:aws:iam::222222222222:role/admin/BreakGlass',
  'arn:aws:iam::222222222222:user/alice',
  'arn:aws:iam::222222222222:root',
];

export interface GeneratedContext {
  principalArn: string;
  tags: Record<string, string>;
  /** Call-dependent keys; null = absent. */
  mfa: 'true' | 'false' | null;
  sourceIp: string;
  currentTime: string;
}

export const contextArb: fc.Arbitrary<GeneratedContext> = fc.record({
  principalArn: fc.constantFrom(...PRINCIPALS),
  tags: fc
    .record({
      team: fc.option(fc.constantFrom('platform', 'security', 'Platform'), { nil: undefined }),
      cost: fc.option(fc.constantFrom('5', '42', '150', 'n/a'), { nil: undefined }),
    })
    .map(
      (t) =>
        Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) as Record<
          string,
          string
        >,
    ),
  mfa: fc.constantFrom<'true' | 'false' | null>('true', 'false', null),
  sourceIp: fc.constantFrom('203.0.113.9', '198.51.100.7', '10.1.2.3', '2001:db8::1', '192.0.2.1'),
  currentTime: fc.constantFrom(
    '2026-11-28T12:00:00Z',
    '2025-03-01T00:00:00Z',
    '2027-12-31T23:59:59Z',
  ),
});

export interface GeneratedChain {
  levels: ScpLevel[];
  ctx: GeneratedContext;
}

export const chainArb: fc.Arbitrary<GeneratedChain> = fc
  .record({
    root: levelPoliciesArb,
    ous: fc.array(levelPoliciesArb, { maxLength: 3 }),
    account: levelPoliciesArb,
    ctx: contextArb,
  })
  .map(({ root, ous, account, ctx }) => ({
    levels: [
      { kind: 'root', id: 'r-ab12', name: 'Root', policies: root },
      ...ous.map((policies, i): ScpLevel => ({
        kind: 'ou',
        id: `ou-${i + 1}`,
        name: `OU${i + 1}`,
        policies,
      })),
      { kind: 'account', id: '222222222222', policies: account },
    ],
    ctx,
  }));

/** The concrete values of the call-dependent keys, as the evaluator's `requestContext`. */
export function requestContextOf(ctx: GeneratedContext): Record<string, string | null> {
  return {
    'aws:MultiFactorAuthPresent': ctx.mfa,
    'aws:SourceIp': ctx.sourceIp,
    'aws:CurrentTime': ctx.currentTime,
  };
}

export function scpInputOf(
  chain: GeneratedChain,
  extra: Partial<ScpEvaluationInput> = {},
): ScpEvaluationInput {
  return {
    levels: chain.levels,
    principal: {
      arn: chain.ctx.principalArn,
      accountId: '222222222222',
      orgId: 'o-abc123',
      tags: chain.ctx.tags,
    },
    isManagementAccount: false,
    scpEnabled: true,
    requestContext: requestContextOf(chain.ctx),
    ...extra,
  };
}
