import { describe, expect, it } from '@jest/globals';
import { resolvePath } from '../../src/engine/evaluate.js';
import { evaluateAccounts } from '../../src/gate/index.js';
import type { AccountFacts } from '../../src/facts/types.js';
import { validateRule, vocabulary } from '../../src/rules/load.js';
import type { LoadedRule, RuleFile } from '../../src/rules/types.js';

const NOW = new Date('2026-11-28T12:00:00Z');

function rule(
  over: Partial<RuleFile> & Pick<RuleFile, 'id' | 'facts' | 'conditions'>,
  waivable = true,
  ops: string[] = [],
): LoadedRule {
  const file: RuleFile = {
    title: `Rule ${over.id}`,
    severity: 'blocker',
    description: 'A rule used by the engine tests.',
    remediation: 'Do the thing that fixes it.',
    references: [
      'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_introduction.html',
    ],
    messages: { pass: 'ok', fail: 'not ok: {{tags|count}} tags' },
    ...over,
  };
  const r = validateRule(file, `${over.id}.json`, vocabulary([], ops), 'test');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return { ...r.value, waivable };
}

function facts(
  known: Record<string, unknown>,
  unknown: Record<string, string> = {},
  accountId = '222222222222',
): AccountFacts {
  return { accountId, known, unknown, ignoredAttestations: [], tags: undefined };
}

/** A rule on `tags` that uses one custom operator. */
function withOperator(id: string, operator: string): LoadedRule {
  return rule(
    { id, facts: ['tags'], conditions: { all: [{ fact: 'tags', operator, value: 1 }] } },
    true,
    [operator],
  );
}

const hasTags = rule({
  id: 'has-tags',
  facts: ['tags'],
  conditions: { all: [{ fact: 'tags', path: '$.length', operator: 'greaterThan', value: 0 }] },
});

describe('evaluateAccounts', () => {
  it('pass, fail and unknown per account, with verdicts', async () => {
    const out = await evaluateAccounts(
      [hasTags],
      [
        facts({ tags: [{ key: 'a', value: 'b' }] }, {}, '111111111111'),
        facts({ tags: [] }),
        facts({}, { tags: 'AccessDenied' }, '333333333333'),
      ],
      { now: NOW },
    );
    expect(out.accounts.map((a) => [a.accountId, a.verdict, a.rules[0]!.status])).toEqual([
      ['111111111111', 'ready', 'pass'],
      ['222222222222', 'blocked', 'fail'],
      ['333333333333', 'unknown', 'unknown'],
    ]);
    expect(out.accounts[1]!.rules[0]!.message).toBe('not ok: 0 tags');
    expect(out.accounts[2]!.rules[0]!.message).toContain('AccessDenied');
  });

  it('does not run a rule whose fact is unknown (its operator is never called)', async () => {
    let calls = 0;
    const r = withOperator('custom', 'spy');
    const out = await evaluateAccounts([r], [facts({}, { tags: 'not collected' })], {
      now: NOW,
      operators: { spy: () => (calls++, true) },
    });
    expect(calls).toBe(0);
    expect(out.accounts[0]!.rules[0]!.status).toBe('unknown');
  });

  it('a rule that throws is unknown with the error; the other rules still get results', async () => {
    const boom = withOperator('boom', 'explode');
    const out = await evaluateAccounts([boom, hasTags], [facts({ tags: [] })], {
      now: NOW,
      operators: {
        explode: () => {
          throw new Error('kaboom');
        },
      },
    });
    const [b, h] = out.accounts[0]!.rules;
    expect(b).toMatchObject({ id: 'boom', status: 'unknown' });
    expect(b!.message).toContain('kaboom');
    expect(h).toMatchObject({ id: 'has-tags', status: 'fail' });
    expect(out.accounts[0]!.verdict).toBe('blocked');
  });

  it('an operator that returns a promise (even of false) is unknown, never pass', async () => {
    const r = withOperator('async-op', 'later');
    const out = await evaluateAccounts([r], [facts({ tags: [] })], {
      now: NOW,
      operators: { later: (() => Promise.resolve(false)) as never },
    });
    expect(out.accounts[0]!.rules[0]).toMatchObject({ status: 'unknown' });
    expect(out.accounts[0]!.rules[0]!.message).toContain('returned a Promise, not a boolean');
    expect(out.accounts[0]!.verdict).toBe('unknown');
  });

  it('an account whose evaluation never settles is unknown after the bound; later accounts are not run on that engine', async () => {
    const never = new Promise(() => undefined);
    const out = await evaluateAccounts(
      [hasTags],
      [facts({ tags: never }, {}, '111111111111'), facts({ tags: [{ key: 'a', value: 'b' }] })],
      { now: NOW, accountTimeoutMs: 50 },
    );
    expect(out.accounts.map((a) => [a.verdict, a.rules[0]!.status])).toEqual([
      ['unknown', 'unknown'],
      ['unknown', 'unknown'],
    ]);
    expect(out.accounts[0]!.rules[0]!.message).toContain(
      'the evaluation of account 111111111111 did not finish within 50 ms',
    );
    expect(out.accounts[1]!.rules[0]!.message).toContain(
      'not evaluated: the evaluation of account 111111111111',
    );
  });

  it('a dotted fact path that is undefined makes the rule unknown, not fail', async () => {
    const pay = rule({
      id: 'pay',
      facts: ['attested.paymentMethodPresent'],
      conditions: {
        all: [{ fact: 'attested', path: '$.paymentMethodPresent', operator: 'equal', value: true }],
      },
      messages: { pass: 'ok', fail: 'attested false' },
    });
    const out = await evaluateAccounts(
      [pay],
      [
        facts({ attested: {} }),
        facts({ attested: { paymentMethodPresent: false } }, {}, '333333333333'),
      ],
      { now: NOW },
    );
    expect(out.accounts[0]!.rules[0]!.status).toBe('unknown');
    expect(out.accounts[0]!.rules[0]!.message).toContain('nobody attested paymentMethodPresent');
    expect(out.accounts[1]!.rules[0]!.status).toBe('fail');
  });

  it('an unknown attested fact says why: an ignored attestation is named', async () => {
    const pay = rule({
      id: 'pay2',
      facts: ['attested.paymentMethodPresent'],
      messages: { pass: 'ok', fail: 'attested false' },
      conditions: {
        all: [{ fact: 'attested', path: '$.paymentMethodPresent', operator: 'equal', value: true }],
      },
    });
    const f = facts({ attested: {} });
    f.ignoredAttestations = [
      {
        accountId: f.accountId,
        fact: 'paymentMethodPresent',
        reason: 'expired',
        message: 'attestation paymentMethodPresent by jane expired 2026-11-01',
      },
    ];
    const out = await evaluateAccounts([pay], [f], { now: NOW });
    expect(out.accounts[0]!.rules[0]!.message).toContain('expired 2026-11-01');
  });

  it('paths never reach the prototype chain; .length works on strings and arrays', () => {
    expect(resolvePath({}, '$.constructor')).toBeUndefined();
    expect(resolvePath({ a: { b: [1, 2] } }, '$.a.b[1]')).toBe(2);
    expect(resolvePath({ a: 'xyz' }, '$.a.length')).toBe(3);
    expect(resolvePath({ a: [1, 2] }, '$.a.length')).toBe(2);
    expect(resolvePath({ a: null }, '$.a.length')).toBeUndefined();
  });

  describe('waivers', () => {
    const waiver = {
      rule: 'has-tags',
      accounts: ['222222222222'],
      reason: 'legacy',
      owner: 'team@example.com',
      expiresAt: '2027-01-31T00:00:00Z',
    };

    it('a valid waiver turns fail into waived and the account is ready', async () => {
      const out = await evaluateAccounts([hasTags], [facts({ tags: [] })], {
        now: NOW,
        waivers: [waiver],
      });
      expect(out.accounts[0]!.rules[0]).toMatchObject({
        status: 'waived',
        waiver: { reason: 'legacy', owner: 'team@example.com' },
      });
      expect(out.accounts[0]!.verdict).toBe('ready');
    });

    it('an expired waiver is ignored and reported', async () => {
      const out = await evaluateAccounts([hasTags], [facts({ tags: [] })], {
        now: NOW,
        waivers: [{ ...waiver, expiresAt: '2026-11-01T00:00:00Z' }],
      });
      expect(out.accounts[0]!.rules[0]!.status).toBe('fail');
      expect(out.accounts[0]!.notes?.join(' ')).toContain('expired');
    });

    it('a waiver never applies to another account, to unknown, or to a non-waivable rule', async () => {
      const builtIn = { ...hasTags, waivable: false };
      const out = await evaluateAccounts([builtIn], [facts({ tags: [] })], {
        now: NOW,
        waivers: [waiver],
      });
      expect(out.accounts[0]!.rules[0]!.status).toBe('fail');
      expect(out.warnings.join(' ')).toContain('cannot be waived');
      const other = await evaluateAccounts(
        [hasTags],
        [facts({ tags: [] }, {}, '333333333333'), facts({}, { tags: 'x' })],
        { now: NOW, waivers: [waiver] },
      );
      expect(other.accounts.map((a) => a.rules[0]!.status)).toEqual(['fail', 'unknown']);
    });
  });
});
