import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  collect,
  createClientPool,
  memberRoleArn,
  memoizeCredentials,
} from '../../src/collect/index.js';
import type { ClientPool, Credentials } from '../../src/collect/index.js';
import { errorCode } from '../../src/collect/errors.js';
import { parsePolicyDocument } from '../../src/collect/sources/iam-policies.js';
import { parsePrincipalArn } from '../../src/collect/sources/principal.js';
import { CollectError } from '../../src/errors.js';
import { awsError, startAwsProxy } from '../harness/aws-proxy.js';
import type { AwsProxy } from '../harness/aws-proxy.js';
import { describeWithMoto, motoUrl, useAwsEnv } from '../harness/moto-env.js';
import { assumeInto, seedOrganization } from '../harness/moto-seed.js';
import type { SeededOrg, TestCredentials } from '../harness/moto-seed.js';

describe('memoizeCredentials', () => {
  const creds = (n: number, expiresAt?: number): Credentials => ({
    accessKeyId: `AKIA${n}`,
    secretAccessKey: 'x',
    ...(expiresAt === undefined ? {} : { expiration: new Date(expiresAt) }),
  });

  test('reuses credentials until 5 minutes before they expire, then assumes again', async () => {
    let clock = 0;
    let calls = 0;
    const provider = memoizeCredentials(
      () => {
        calls += 1;
        return Promise.resolve(creds(calls, clock + 3_600_000));
      },
      () => clock,
    );
    expect((await provider()).accessKeyId).toBe('AKIA1');
    clock = 3_600_000 - 5 * 60_000 - 1;
    expect((await provider()).accessKeyId).toBe('AKIA1');
    clock = 3_600_000 - 5 * 60_000 + 1;
    expect((await provider()).accessKeyId).toBe('AKIA2');
    expect(calls).toBe(2);
  });

  test('concurrent callers share one call; a failure is not cached', async () => {
    let calls = 0;
    let fail = true;
    const provider = memoizeCredentials(async () => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw Object.assign(new Error('denied'), { name: 'AccessDenied' });
      return creds(calls);
    });
    const results = await Promise.allSettled([provider(), provider(), provider()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(calls).toBe(1);
    fail = false;
    expect((await provider()).accessKeyId).toBe('AKIA2');
    expect((await provider()).accessKeyId).toBe('AKIA2');
    expect(calls).toBe(2);
  });
});

describe('helpers', () => {
  test('memberRoleArn accepts a name, a path/name or an ARN template', () => {
    expect(memberRoleArn('OrganizationAccountAccessRole', '222222222222')).toBe(
      'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
    );
    expect(memberRoleArn('ops/Leaver', '222222222222')).toBe(
      'arn:aws:iam::222222222222:role/ops/Leaver',
    );
    expect(memberRoleArn('arn:aws:iam::111111111111:role/x/Leaver', '222222222222')).toBe(
      'arn:aws:iam::222222222222:role/x/Leaver',
    );
  });

  test('IAM policy documents are URL-decoded; principal ARNs keep their path out of the name', () => {
    expect(parsePolicyDocument('%7B%22Version%22%3A%222012-10-17%22%7D')).toEqual({
      Version: '2012-10-17',
    });
    expect(parsePolicyDocument('{"a":1}')).toEqual({ a: 1 });
    expect(parsePrincipalArn('arn:aws:iam::222222222222:role/ops/team/Leaver')).toEqual({
      type: 'role',
      name: 'Leaver',
    });
    expect(parsePrincipalArn('arn:aws:iam::222222222222:root')).toBeUndefined();
  });

  test('errorCode prefers the AWS error name, then a Node network code', () => {
    expect(errorCode(Object.assign(new Error('x'), { name: 'TooManyRequestsException' }))).toBe(
      'TooManyRequestsException',
    );
    expect(errorCode(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
  });
});

describeWithMoto('client pool and caller checks against moto', () => {
  let org: SeededOrg;
  let proxy: AwsProxy;
  let restore: () => void;
  // A session of the member m1, assumed directly in moto (not through the proxy).
  let member: TestCredentials;

  beforeAll(async () => {
    org = await seedOrganization(motoUrl!, { accounts: [{ name: 'm1' }] });
    member = await assumeInto(
      motoUrl!,
      org.accounts.m1!,
      'OrganizationAccountAccessRole',
      org.credentials,
    );
    proxy = await startAwsProxy({
      target: motoUrl!,
      // moto enforces no permissions: answer ListRoots as AWS does for a plain member.
      handlers: {
        'organizations:ListRoots': (req) =>
          req.accessKeyId === member.accessKeyId
            ? awsError(
                req,
                'AccessDeniedException',
                'You don’t have permissions to access this resource.',
              )
            : undefined,
      },
    });
    restore = useAwsEnv(proxy.url, org.credentials);
  });

  afterAll(async () => {
    restore?.();
    await proxy?.close();
  });

  test('member sessions: one AssumeRole shared by concurrent users, calls counted per operation', async () => {
    const pool: ClientPool = createClientPool({ memberRole: 'OrganizationAccountAccessRole' });
    try {
      const session = pool.member(org.accounts.m1!);
      expect(session.roleArn).toBe(
        `arn:aws:iam::${org.accounts.m1}:role/OrganizationAccountAccessRole`,
      );
      const roles = await Promise.all(
        [1, 2, 3].map(() =>
          pool
            .client(IAMClient, session)
            .send(new GetRoleCommand({ RoleName: 'OrganizationAccountAccessRole' })),
        ),
      );
      expect(roles.map((r) => r.Role!.Arn)).toEqual(Array(3).fill(session.roleArn));
      expect(pool.apiCalls()).toEqual({ 'iam:GetRole': 3, 'sts:AssumeRole': 1 });
      // The member's calls are signed with the member session, not the management credentials.
      const getRoles = proxy.calls.filter((c) => c.key === 'iam:GetRole');
      expect(getRoles.every((c) => c.callerAccountId === org.accounts.m1)).toBe(true);
    } finally {
      pool.destroy();
    }
  });

  test('a member that is neither management nor delegated admin gets an explanation, not a snapshot', async () => {
    const attempt = collect({
      scope: { all: true },
      memberRole: 'OrganizationAccountAccessRole',
      concurrency: 2,
      progress: false,
      credentials: member,
    });
    await expect(attempt).rejects.toThrow(CollectError);
    await expect(attempt).rejects.toThrow(
      new RegExp(
        `account ${org.accounts.m1} is a member of ${org.organizationId} but neither its management account \\(${org.managementAccountId}\\)`,
      ),
    );
  });
});
