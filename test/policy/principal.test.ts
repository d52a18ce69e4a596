import { describe, expect, it } from '@jest/globals';
import { evaluateScpChain, principalFromArn } from '../../src/policy/index.js';
import { FULL_ACCESS } from './generators.js';

describe('principalFromArn', () => {
  it('maps an assumed-role session ARN to its role ARN and says the path is unknown', () => {
    const p = principalFromArn(
      'arn:aws:sts::222222222222:assumed-role/OrganizationAccountAccessRole/leavegate',
    );
    expect(p).toMatchObject({
      principalArn: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
      accountId: '222222222222',
      kind: 'assumedRole',
      principalType: 'AssumedRole',
      pathKnown: false,
      sessionName: 'leavegate',
      isServiceLinkedRole: false,
    });
  });

  it('keeps a role ARN with its path', () => {
    expect(principalFromArn('arn:aws:iam::222222222222:role/admin/ops/BreakGlass')).toMatchObject({
      principalArn: 'arn:aws:iam::222222222222:role/admin/ops/BreakGlass',
      kind: 'role',
      principalType: 'AssumedRole',
      pathKnown: true,
    });
  });

  it('detects service-linked roles, root, users and the partition', () => {
    expect(
      principalFromArn(
        'arn:aws:iam::222222222222:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO',
      ).isServiceLinkedRole,
    ).toBe(true);
    expect(principalFromArn('arn:aws:iam::222222222222:root')).toMatchObject({
      isRoot: true,
      principalType: 'Account',
    });
    expect(principalFromArn('arn:aws:iam::222222222222:user/ops/alice')).toMatchObject({
      kind: 'user',
      principalType: 'User',
      userName: 'alice',
    });
    expect(principalFromArn('arn:aws-us-gov:iam::222222222222:role/R').partition).toBe(
      'aws-us-gov',
    );
  });

  it('uses the partition to set aws:RequestedRegion (GovCloud: us-gov-west-1)', () => {
    const v = evaluateScpChain({
      levels: [
        {
          kind: 'root',
          id: 'r-1',
          policies: [
            {
              id: 'p-1',
              name: 'OnlyUsEast1',
              document: {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Action: '*', Resource: '*' },
                  {
                    Effect: 'Deny',
                    Action: '*',
                    Resource: '*',
                    Condition: { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } },
                  },
                ],
              },
            },
          ],
        },
        { kind: 'account', id: '222222222222', policies: [FULL_ACCESS] },
      ],
      principal: { arn: 'arn:aws-us-gov:iam::222222222222:role/R', accountId: '222222222222' },
      isManagementAccount: false,
      scpEnabled: true,
    });
    expect(v.decision).toBe('explicitDeny');
    expect(v.assumptions?.join(' ')).toContain('us-gov-west-1');
  });
});
