/** The transfer part of the gate: the named handshake must be the open invitation the report found. */
import { describe, expect, it } from '@jest/globals';
import { invitationFound } from '../../src/execute/gate-transfer.js';
import type { AccountReport, RuleResult } from '../../src/report/types.js';

function account(rule?: Partial<RuleResult>, found: Record<string, unknown> = {}): AccountReport {
  const conditions = Object.entries(found).map(([path, value]) => ({
    fact: 'invitation',
    path,
    operator: 'notEqual',
    expected: null,
    found: value,
    result: true,
  }));
  return {
    accountId: '222222222222',
    verdict: 'ready',
    rules:
      rule === undefined
        ? []
        : [
            {
              id: 'invitation-open',
              title: 'An open invitation from the target organization exists',
              severity: 'blocker',
              status: 'pass',
              message: 'open invitation',
              evidence: { conditions },
              ...rule,
            },
          ],
  };
}

const OPEN = {
  '$.open': true,
  '$.handshakeId': 'h-abcdef1234',
  '$.organizationId': 'o-target12345',
};

describe('invitationFound', () => {
  it('the open invitation the report found: the plan gets its handshake and target', () => {
    expect(invitationFound(account({}, OPEN), 'h-abcdef1234')).toEqual({
      ok: true,
      value: { handshakeId: 'h-abcdef1234', targetOrganizationId: 'o-target12345' },
    });
  });

  it.each([
    [
      'another handshake in the evidence',
      account({}, OPEN),
      'h-other00001',
      /found handshake h-abcdef1234/,
    ],
    ['no invitation-open result', account(), 'h-abcdef1234', /no invitation-open result/],
    [
      'a failed invitation-open',
      account({ status: 'fail' }, { '$.open': false }),
      'h-abcdef1234',
      /no open invitation \(invitation-open fail\)/,
    ],
    [
      'no target organization in the evidence',
      account({}, { '$.open': true, '$.handshakeId': 'h-abcdef1234' }),
      'h-abcdef1234',
      /invitation-open pass/,
    ],
  ])('%s: refused (handshake-mismatch, exit 1)', (_name, a, handshake, says) => {
    const got = invitationFound(a, handshake);
    expect(got.ok).toBe(false);
    if (got.ok) return;
    expect([got.refusal.kind, got.refusal.exitCode]).toEqual(['handshake-mismatch', 1]);
    expect(got.refusal.summary).toMatch(says);
    expect(got.refusal.reasons[0]!.rule).toBe('invitation-open');
  });
});
