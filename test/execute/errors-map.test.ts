/**
 * Every LeaveOrganization error of DESIGN §1, raised by the real SDK client
 * (aws-sdk-client-mock) through the executor's AWS port, mapped to a message
 * and the rule that should have caught it.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  AccessDeniedException,
  AccountNotFoundException,
  AWSOrganizationsNotInUseException,
  ConcurrentModificationException,
  ConstraintViolationException,
  DescribeOrganizationCommand,
  InvalidInputException,
  LeaveOrganizationCommand,
  MasterCannotLeaveOrganizationException,
  OrganizationsClient,
  ServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsPort } from '../../src/execute/aws-port.js';
import { isRetryableLeaveError, mapLeaveError } from '../../src/execute/errors-map.js';
import { sdkSource } from './helpers.js';

const ACCOUNT = '222222222222';
const meta = { $metadata: { requestId: 'req-123', httpStatusCode: 400 } };
const source = sdkSource;

const orgs = mockClient(OrganizationsClient);
const sts = mockClient(STSClient);
beforeEach(() => {
  orgs.reset();
  sts.reset();
});
afterEach(() => {
  orgs.reset();
  sts.reset();
});

/** Makes LeaveOrganization fail with `err` and returns what the port threw. */
async function leaveError(err: Error): Promise<unknown> {
  orgs.on(LeaveOrganizationCommand).rejects(err);
  try {
    await createAwsPort(source()).member(ACCOUNT).leaveOrganization();
  } catch (thrown) {
    return thrown;
  }
  throw new Error('LeaveOrganization did not fail');
}

function constraint(reason: string): Error {
  return new ConstraintViolationException({
    message: `constraint ${reason}`,
    Reason: reason as never,
    ...meta,
  });
}

describe('mapLeaveError (through the AWS port and the SDK error classes)', () => {
  const table: [
    string,
    () => Error,
    { kind: string; code: string; rules: string[]; says: RegExp },
  ][] = [
    [
      'WAIT_PERIOD_ACTIVE',
      () => constraint('WAIT_PERIOD_ACTIVE'),
      {
        kind: 'refused',
        code: 'ConstraintViolationException:WAIT_PERIOD_ACTIVE',
        rules: ['waiting-period-elapsed'],
        says: /created in this organization too recently/,
      },
    ],
    [
      'phone verification',
      () => constraint('ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION'),
      {
        kind: 'refused',
        code: 'ConstraintViolationException:ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION',
        rules: ['phone-verified'],
        says: /phone number is not verified/,
      },
    ],
    [
      'payment instrument required',
      () => constraint('MEMBER_ACCOUNT_PAYMENT_INSTRUMENT_REQUIRED'),
      {
        kind: 'refused',
        code: 'ConstraintViolationException:MEMBER_ACCOUNT_PAYMENT_INSTRUMENT_REQUIRED',
        rules: ['payment-method-present'],
        says: /no payment method/,
      },
    ],
    [
      'invalid payment instrument',
      () => constraint('INVALID_PAYMENT_INSTRUMENT'),
      {
        kind: 'refused',
        code: 'ConstraintViolationException:INVALID_PAYMENT_INSTRUMENT',
        rules: ['payment-method-present'],
        says: /payment method is not valid/,
      },
    ],
    [
      'EULA',
      () => constraint('ACCOUNT_CANNOT_LEAVE_WITHOUT_EULA'),
      {
        kind: 'refused',
        code: 'ConstraintViolationException:ACCOUNT_CANNOT_LEAVE_WITHOUT_EULA',
        rules: [],
        says: /AWS Customer Agreement.*No built-in rule observes this/,
      },
    ],
    [
      'management account (constraint)',
      () => constraint('ACCOUNT_CANNOT_LEAVE_ORGANIZATION'),
      {
        kind: 'refused',
        code: 'ConstraintViolationException:ACCOUNT_CANNOT_LEAVE_ORGANIZATION',
        rules: ['member-account'],
        says: /management account/,
      },
    ],
    [
      'creation not complete',
      () => constraint('ACCOUNT_CREATION_NOT_COMPLETE'),
      {
        kind: 'refused',
        code: 'ConstraintViolationException:ACCOUNT_CREATION_NOT_COMPLETE',
        rules: ['account-active'],
        says: /still being created/,
      },
    ],
    [
      'delegated administrator',
      () => constraint('CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG'),
      {
        kind: 'refused',
        code: 'ConstraintViolationException:CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG',
        rules: ['not-delegated-admin'],
        says: /delegated administrator/,
      },
    ],
    [
      'unknown reason, verbatim',
      () => constraint('SOMETHING_AWS_ADDED_LATER'),
      {
        kind: 'refused',
        code: 'ConstraintViolationException:SOMETHING_AWS_ADDED_LATER',
        rules: [],
        says: /constraint SOMETHING_AWS_ADDED_LATER, which leavegate does not know.*constraint SOMETHING_AWS_ADDED_LATER/,
      },
    ],
    [
      'access denied by an SCP',
      () =>
        new AccessDeniedException({
          message:
            'User: x is not authorized to perform: organizations:LeaveOrganization with an explicit deny in a service control policy',
          ...meta,
        }),
      {
        kind: 'refused',
        code: 'AccessDeniedException',
        rules: ['scp-allows-leave'],
        says: /access denied.*service control policy/,
      },
    ],
    [
      'access denied by identity policy',
      () =>
        new AccessDeniedException({
          message:
            'User: x is not authorized to perform: organizations:LeaveOrganization because no identity-based policy allows the organizations:LeaveOrganization action',
          ...meta,
        }),
      {
        kind: 'refused',
        code: 'AccessDeniedException',
        rules: ['principal-allowed-to-leave'],
        says: /identity-based policy/,
      },
    ],
    [
      'access denied, cause unsaid',
      () => new AccessDeniedException({ message: 'You don\u2019t have permissions', ...meta }),
      {
        kind: 'refused',
        code: 'AccessDeniedException',
        rules: ['scp-allows-leave', 'principal-allowed-to-leave'],
        says: /scp-allows-leave or principal-allowed-to-leave/,
      },
    ],
    [
      'management account',
      () => new MasterCannotLeaveOrganizationException({ message: 'master cannot leave', ...meta }),
      {
        kind: 'refused',
        code: 'MasterCannotLeaveOrganizationException',
        rules: ['member-account'],
        says: /management account/,
      },
    ],
    [
      'not in use',
      () => new AWSOrganizationsNotInUseException({ message: 'not in use', ...meta }),
      {
        kind: 'already-out',
        code: 'AWSOrganizationsNotInUseException',
        rules: [],
        says: /not a member of an organization/,
      },
    ],
    [
      'account not found',
      () => new AccountNotFoundException({ message: 'not found', ...meta }),
      {
        kind: 'already-out',
        code: 'AccountNotFoundException',
        rules: [],
        says: /not a member of an organization/,
      },
    ],
    [
      'throttled',
      () => new TooManyRequestsException({ message: 'rate exceeded', ...meta }),
      { kind: 'retryable', code: 'TooManyRequestsException', rules: [], says: /could not process/ },
    ],
    [
      'concurrent modification',
      () => new ConcurrentModificationException({ message: 'busy', ...meta }),
      {
        kind: 'retryable',
        code: 'ConcurrentModificationException',
        rules: [],
        says: /could not process/,
      },
    ],
    [
      'service fault',
      () =>
        new ServiceException({
          message: 'oops',
          $metadata: { requestId: 'req-123', httpStatusCode: 500 },
        }),
      { kind: 'retryable', code: 'ServiceException', rules: [], says: /could not process/ },
    ],
    [
      'invalid input',
      () => new InvalidInputException({ message: 'bad', ...meta }),
      { kind: 'error', code: 'InvalidInputException', rules: [], says: /rejected the request/ },
    ],
    [
      'network error',
      () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'Error' }),
      { kind: 'error', code: 'Error', rules: [], says: /LeaveOrganization failed.*ECONNREFUSED/ },
    ],
  ];

  it.each(table)('%s', async (_name, make, expected) => {
    const thrown = await leaveError(make());
    const mapped = mapLeaveError(thrown, ACCOUNT);
    expect({ kind: mapped.kind, code: mapped.code, rules: mapped.rules }).toEqual({
      kind: expected.kind,
      code: expected.code,
      rules: expected.rules,
    });
    expect(mapped.message).toMatch(expected.says);
    expect(
      mapped.message.startsWith(`account ${ACCOUNT}: `) ||
        mapped.message.startsWith(`account ${ACCOUNT} `),
    ).toBe(true);
    // A refusal is never a success, and AWS's own words travel with it.
    expect(mapped.exitCode).not.toBe(0);
    expect(mapped.remediation.length).toBeGreaterThan(10);
    if (expected.code !== 'Error') {
      expect(mapped.requestId).toBe('req-123');
      expect(mapped.message).toContain('request id req-123');
    }
    expect(isRetryableLeaveError(thrown)).toBe(expected.kind === 'retryable');
  });

  it('keeps AWS message text verbatim for unknown constraint reasons', () => {
    const m = mapLeaveError(
      Object.assign(new Error('Some new constraint text'), {
        name: 'ConstraintViolationException',
        Reason: 'NEW_REASON',
      }),
      ACCOUNT,
    );
    expect(m.message).toContain('NEW_REASON: Some new constraint text');
  });

  it('reads thrown non-errors without crashing', () => {
    expect(mapLeaveError('boom', ACCOUNT)).toMatchObject({ kind: 'error', code: 'Error' });
    expect(mapLeaveError(undefined, ACCOUNT).exitCode).toBe(1);
  });
});

describe('createAwsPort', () => {
  it('answers the caller identity and membership with the member clients', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/R/s` });
    orgs
      .on(DescribeOrganizationCommand)
      .resolves({ Organization: { Id: 'o-abc', MasterAccountId: '111111111111' } });
    const member = createAwsPort(source()).member(ACCOUNT);
    await expect(member.getCallerIdentity()).resolves.toEqual({
      account: ACCOUNT,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/R/s`,
    });
    await expect(member.describeOrganization()).resolves.toEqual({
      status: 'member',
      organizationId: 'o-abc',
      managementAccountId: '111111111111',
    });
  });

  it('fails (never answers empty strings) when AWS leaves out the identity or the organization', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/R/s` });
    orgs.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-abc' } });
    const port = createAwsPort(source());
    await expect(port.member(ACCOUNT).getCallerIdentity()).rejects.toThrow(
      /GetCallerIdentity Account is missing/,
    );
    await expect(port.operatorIdentity()).rejects.toThrow(/GetCallerIdentity Account is missing/);
    await expect(port.member(ACCOUNT).describeOrganization()).rejects.toThrow(
      /MasterAccountId is missing/,
    );
  });

  it('maps AWSOrganizationsNotInUseException on DescribeOrganization to not-in-organization, and rethrows anything else', async () => {
    orgs
      .on(DescribeOrganizationCommand)
      .rejectsOnce(new AWSOrganizationsNotInUseException({ message: 'x', ...meta }))
      .rejectsOnce(new AccessDeniedException({ message: 'denied', ...meta }));
    const member = createAwsPort(source()).member(ACCOUNT);
    await expect(member.describeOrganization()).resolves.toEqual({ status: 'not-in-organization' });
    await expect(member.describeOrganization()).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });

  it('returns the AWS request id of a successful LeaveOrganization and sends exactly one request per attempt', async () => {
    orgs.on(LeaveOrganizationCommand).resolves({ $metadata: { requestId: 'req-ok' } });
    await expect(createAwsPort(source()).member(ACCOUNT).leaveOrganization()).resolves.toEqual({
      requestId: 'req-ok',
    });
    expect(orgs.commandCalls(LeaveOrganizationCommand)).toHaveLength(1);
  });
});
