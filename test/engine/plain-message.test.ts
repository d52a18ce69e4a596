import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { evaluateAccounts } from '../../src/gate/index.js';
import type { AccountFacts } from '../../src/facts/types.js';
import { loadRulePack, vocabulary } from '../../src/rules/load.js';

/** A rule written from DESIGN §4.4 alone: no `messages`. */
const RULE = {
  id: 'state-active',
  title: 'Account state is ACTIVE',
  severity: 'blocker',
  description: 'Only an ACTIVE account can leave its organization.',
  remediation: 'Reopen the account: aws organizations describe-account --account-id <id>',
  references: ['https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html'],
  facts: ['account.state'],
  conditions: { all: [{ fact: 'account', path: '$.state', operator: 'equal', value: 'ACTIVE' }] },
};

function facts(state: string): AccountFacts {
  return {
    accountId: '222222222222',
    known: { account: { id: '222222222222', ouPath: [], state } },
    unknown: {},
    ignoredAttestations: [],
    tags: undefined,
  };
}

describe('a rule without messages', () => {
  it('loads, and its message is written from the evidence (fact, found, expected)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leavegate-nomsg-'));
    await writeFile(join(dir, 'state-active.json'), JSON.stringify(RULE));
    const pack = await loadRulePack(dir, vocabulary());
    const out = await evaluateAccounts(pack.rules, [facts('SUSPENDED'), facts('ACTIVE')], {
      now: new Date('2026-11-28T12:00:00Z'),
    });
    expect(out.accounts.map((a) => [a.rules[0]!.status, a.rules[0]!.message])).toEqual([
      ['fail', 'account.state is "SUSPENDED", expected equal "ACTIVE"'],
      ['pass', 'account.state is "ACTIVE", expected equal "ACTIVE"'],
    ]);
  });

  it('keeps an untrusted value as data on one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leavegate-nomsg-'));
    await writeFile(join(dir, 'state-active.json'), JSON.stringify(RULE));
    const pack = await loadRulePack(dir, vocabulary());
    const hostile = 'X"\n\r\u2028\u2029\u0085<b>' + 'y'.repeat(500);
    const out = await evaluateAccounts(pack.rules, [facts(hostile)], {
      now: new Date('2026-11-28T12:00:00Z'),
    });
    const message = out.accounts[0]!.rules[0]!.message;
    expect(message).not.toMatch(/[\r\n\u2028\u2029\u0085]/);
    expect(message).toContain('account.state is "X\\"\\n\\r\\u2028\\u2029\\u0085<b>yyy');
    expect(message.length).toBeLessThan(250);
    expect(message).toMatch(/, expected equal "ACTIVE"$/);
  });
});
