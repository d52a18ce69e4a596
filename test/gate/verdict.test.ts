import { describe, expect, it } from '@jest/globals';
import { countWarnings, exitCodeFor, verdictOf } from '../../src/gate/verdict.js';
import type { RuleResult } from '../../src/report/types.js';

const r = (severity: RuleResult['severity'], status: RuleResult['status']) =>
  ({ severity, status }) as RuleResult;

describe('verdictOf (severity contract)', () => {
  const cases: [
    string,
    RuleResult[],
    'ready' | 'blocked' | 'unknown',
    'ready' | 'blocked' | 'unknown',
  ][] = [
    ['all pass', [r('blocker', 'pass'), r('warning', 'pass')], 'ready', 'ready'],
    ['failing warning', [r('blocker', 'pass'), r('warning', 'fail')], 'ready', 'blocked'],
    ['unknown warning', [r('blocker', 'pass'), r('warning', 'unknown')], 'ready', 'unknown'],
    ['failing blocker', [r('blocker', 'fail'), r('warning', 'pass')], 'blocked', 'blocked'],
    ['unknown blocker', [r('blocker', 'unknown')], 'unknown', 'unknown'],
    [
      'unknown blocker, failing warning',
      [r('blocker', 'unknown'), r('warning', 'fail')],
      'unknown',
      'blocked',
    ],
    ['waived blocker', [r('blocker', 'waived')], 'ready', 'ready'],
  ];
  it.each(cases)('%s', (_name, rules, blocker, warning) => {
    expect(verdictOf({ rules })).toBe(blocker);
    expect(verdictOf({ rules }, 'warning')).toBe(warning);
  });

  it('counts warnings that failed or are unknown, not passing or blocker ones', () => {
    const accounts = [
      { rules: [r('warning', 'fail'), r('warning', 'pass'), r('blocker', 'fail')] },
      { rules: [r('warning', 'unknown'), r('warning', 'waived')] },
    ];
    expect(countWarnings(accounts)).toBe(2);
  });

  it('exit codes follow the summary', () => {
    const summary = (blocked: number, unknown: number) => ({
      summary: { accounts: 2, ready: 2 - blocked - unknown, blocked, unknown },
    });
    expect(exitCodeFor(summary(0, 0))).toBe(0);
    expect(exitCodeFor(summary(1, 1))).toBe(1);
    expect(exitCodeFor(summary(0, 1))).toBe(3);
    expect(exitCodeFor({ summary: { accounts: 0, ready: 0, blocked: 0, unknown: 0 } })).toBe(3);
  });
});
