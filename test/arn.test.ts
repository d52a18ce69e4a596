import { describe, expect, it } from '@jest/globals';
import {
  organizationsRegion,
  parseArn,
  parseIamPrincipalArn,
  partitionOfRegion,
  roleArn,
  sameRole,
} from '../src/arn.js';

describe('arn', () => {
  it('parses resources with colons', () => {
    expect(parseArn('arn:aws:logs:us-east-1:123456789012:log-group:/x:*')).toEqual({
      partition: 'aws',
      service: 'logs',
      region: 'us-east-1',
      accountId: '123456789012',
      resource: 'log-group:/x:*',
    });
    expect(parseArn('not:an:arn')).toBeUndefined();
  });

  it.each([
    [
      'arn:aws:iam::123456789012:role/ops/team/Leaver',
      { kind: 'role', path: '/ops/team/', name: 'Leaver' },
    ],
    [
      'arn:aws-us-gov:iam::123456789012:user/jane',
      { kind: 'user', path: '/', name: 'jane', partition: 'aws-us-gov' },
    ],
    ['arn:aws:iam::123456789012:root', { kind: 'root', name: 'root' }],
  ])('IAM principal %s', (arn, expected) => {
    expect(parseIamPrincipalArn(arn)).toMatchObject(expected);
  });

  it.each([
    'arn:aws:sts::123456789012:assumed-role/Leaver/session',
    'arn:aws:iam::123456789012:role/',
    'arn:aws:iam::12345:role/x',
    'arn:aws:iam::123456789012:group/admins',
    'arn:aws:iam:us-east-1:123456789012:role/x',
  ])('not an IAM principal: %s', (arn) => expect(parseIamPrincipalArn(arn)).toBeUndefined());

  it('same role: the session ARN has no path; partition and account must match', () => {
    const s = 'arn:aws:sts::123456789012:assumed-role/Leaver/s1';
    expect(sameRole('arn:aws:iam::123456789012:role/ops/Leaver', s)).toBe(true);
    expect(sameRole('arn:aws:iam::123456789012:role/ops/Other', s)).toBe(false);
    expect(sameRole('arn:aws:iam::210987654321:role/ops/Leaver', s)).toBe(false);
    expect(sameRole('arn:aws-us-gov:iam::123456789012:role/Leaver', s)).toBe(false);
  });

  it('builds role ARNs and finds the Organizations region per partition', () => {
    expect(roleArn('aws', '123456789012', '/ops/Leaver')).toBe(
      'arn:aws:iam::123456789012:role/ops/Leaver',
    );
    expect(organizationsRegion(partitionOfRegion('us-gov-east-1'))).toBe('us-gov-west-1');
    expect(organizationsRegion(partitionOfRegion('cn-north-1'))).toBe('cn-northwest-1');
    expect(organizationsRegion(partitionOfRegion('eu-west-1'))).toBe('us-east-1');
    expect(organizationsRegion(partitionOfRegion(undefined))).toBe('us-east-1');
  });
});
