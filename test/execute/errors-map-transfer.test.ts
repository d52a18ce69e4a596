/** AcceptHandshake failures -> message, rule, kind (only throttling is retried). */
import { describe, expect, it } from '@jest/globals';
import { mapTransferError } from '../../src/execute/errors-map-transfer.js';
import { awsErr } from './helpers.js';

const map = (name: string, message = 'AWS says no', extra: Record<string, unknown> = {}) =>
  mapTransferError(awsErr(name, message, extra), '222222222222');

describe('mapTransferError', () => {
  it.each([
    [
      'ORGANIZATION_MEMBERSHIP_CHANGE_RATE_LIMIT_EXCEEDED',
      /changed organizations too recently/,
      [],
    ],
    ['ALREADY_IN_AN_ORGANIZATION', /direct transfer is not available/, ['invitation-open']],
    ['ACCOUNT_NUMBER_LIMIT_EXCEEDED', /account quota/, []],
    ['SOMETHING_NEW', /constraint SOMETHING_NEW, which leavegate does not know/, []],
  ])('HandshakeConstraintViolationException %s', (reason, what, rules) => {
    const m = map('HandshakeConstraintViolationException', 'no', { Reason: reason });
    expect(m).toMatchObject({
      kind: 'refused',
      code: `HandshakeConstraintViolationException:${reason}`,
      rules,
      exitCode: 1,
      requestId: 'rid-HandshakeConstraintViolationException',
    });
    expect(m.message).toMatch(what);
    expect(m.message).toContain('(AWS: HandshakeConstraintViolationException');
  });

  it.each([
    ['InvalidHandshakeTransitionException', ['invitation-open']],
    ['HandshakeNotFoundException', ['invitation-open']],
    ['HandshakeAlreadyInStateException', ['invitation-open']],
    ['AccessDeniedForDependencyException', ['principal-allowed-to-transfer']],
  ])('%s is refused, naming %j', (name, rules) => {
    const m = map(name);
    expect([m.kind, m.rules]).toEqual(['refused', rules]);
    expect(m.message).toContain(`Rule ${rules.join(' or ')} should have caught this`);
  });

  it('AccessDeniedException names the SCP rule when AWS names an SCP, else both', () => {
    expect(map('AccessDeniedException', 'explicit deny in a service control policy').rules).toEqual(
      ['scp-allows-transfer'],
    );
    expect(map('AccessDeniedException', 'denied').rules).toEqual([
      'scp-allows-transfer',
      'principal-allowed-to-transfer',
    ]);
  });

  it('only throttling is retryable', () => {
    expect(map('TooManyRequestsException').kind).toBe('retryable');
    for (const name of ['ConcurrentModificationException', 'ServiceException', 'Whatever'])
      expect(map(name).kind).toBe('error');
  });

  it('the leaving half maps as for LeaveOrganization', () => {
    const m = map('ConstraintViolationException', 'wait', { Reason: 'WAIT_PERIOD_ACTIVE' });
    expect(m.rules).toEqual(['waiting-period-elapsed']);
    expect(map('MasterCannotLeaveOrganizationException').rules).toEqual(['member-account']);
  });
});
