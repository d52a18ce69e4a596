/**
 * The outcome cache (src/engine/cached.ts): what its key must hold (each fact
 * a rule reads, the unknown status, clock-derived values, key order, -0),
 * plugin operators never answered from it, its bound, and the generated
 * benchmark organization through the real packs and facts layer, cached
 * against uncached.
 */
import { describe, expect, it } from '@jest/globals';
import { generateOrg } from '../../bench/generate.js';
import { loadGateConfig } from '../../src/check.js';
import { runRules, type CacheStats, type RunRulesOptions } from '../../src/engine/evaluate.js';
import { deriveFacts } from '../../src/facts/derive.js';
import type { AccountFacts } from '../../src/facts/types.js';
import type { LoadedRule } from '../../src/rules/types.js';
import type { AccountRecord } from '../../src/snapshot/types.js';
import { ORG_OU, orgSnapshot } from '../fixtures/organization.js';

function rule(id: string, conditions: unknown, over: Partial<LoadedRule> = {}): LoadedRule {
  return {
    id,
    title: id,
    severity: 'blocker',
    description: 'a rule of the cache tests',
    remediation: 'fix it',
    references: ['https://example.com/'],
    facts: [],
    conditions: conditions as LoadedRule['conditions'],
    pack: 'test',
    source: `${id}.json`,
    expected: {},
    waivable: false,
    ...over,
  };
}

function account(i: number, known: Record<string, unknown>, unknown: Record<string, string> = {}) {
  const facts: AccountFacts = {
    accountId: String(200000000000 + i),
    known,
    unknown,
    ignoredAttestations: [],
    tags: undefined,
  };
  return facts;
}

/** Cached and uncached runs; they must agree byte for byte before anything else is asserted. */
async function run(rules: LoadedRule[], facts: AccountFacts[], options: RunRulesOptions = {}) {
  let stats: CacheStats | undefined;
  const cached = await runRules(rules, facts, { ...options, onCacheStats: (s) => (stats = s) });
  const uncached = await runRules(rules, facts, { ...options, cache: false });
  expect(JSON.stringify(cached)).toBe(JSON.stringify(uncached));
  expect(cached).toStrictEqual(uncached);
  const statuses = cached.map((a) => a.outcomes.map((o) => o.status).join(','));
  return { cached, statuses, stats: stats! };
}

describe('outcome cache key', () => {
  it('holds every fact a rule reads: accounts that differ in the second fact only', async () => {
    const both = rule('both', {
      all: [
        { fact: 'a', operator: 'equal', value: 1 },
        { fact: 'b', path: '$.x', operator: 'equal', value: 1 },
      ],
    });
    const { statuses, stats } = await run(
      [both],
      [
        account(0, { a: 1, b: { x: 1 } }),
        account(1, { a: 1, b: { x: 2 } }),
        account(2, { a: 1, b: { x: 1 } }),
      ],
    );
    expect(statuses).toEqual(['pass', 'fail', 'pass']);
    expect(stats).toMatchObject({ hits: 1, misses: 2 });
  });

  it('holds whether a fact is known: an absent fact is not a known fact without the path', async () => {
    // `b` is read but not declared (a library caller's rule): absent, the engine throws.
    const undeclared = rule('undeclared', {
      all: [{ fact: 'b', path: '$.x', operator: 'equal', value: null }],
    });
    const { cached, statuses } = await run(
      [undeclared],
      [
        account(0, { b: {} }),
        account(1, {}, { b: 'AccessDenied' }),
        account(2, {}),
        account(3, { b: {} }),
      ],
    );
    expect(statuses).toEqual(['fail', 'unknown', 'unknown', 'fail']);
    expect(cached[1]!.outcomes[0]!.message).toContain('Undefined fact');
  });

  it('a declared fact unknown for one account is unknown for it, and does not poison the others', async () => {
    const r = rule(
      'declared',
      { all: [{ fact: 'a', operator: 'equal', value: true }] },
      { facts: ['a'] },
    );
    const { statuses } = await run(
      [r],
      [account(0, { a: true }), account(1, {}, { a: 'throttled' }), account(2, { a: true })],
    );
    expect(statuses).toEqual(['pass', 'unknown', 'pass']);
  });

  it('keeps key order and -0 apart (the evidence shows what was found, as it was found)', async () => {
    const whole = rule('whole', { all: [{ fact: 'a', operator: 'notEqual', value: 'z' }] });
    const { cached } = await run(
      [whole],
      [
        account(0, { a: { s: 'x', n: 1 } }),
        account(1, { a: { n: 1, s: 'x' } }),
        account(2, { a: 0 }),
        account(3, { a: -0 }),
      ],
    );
    const found = cached.map(
      (a) => (a.outcomes[0]!.evidence.conditions as { found: unknown }[])[0]!.found,
    );
    expect(Object.keys(found[1] as object)).toEqual(['n', 's']);
    expect(Object.is(found[3], -0)).toBe(true);
  });

  it('clock-derived facts: daysSinceJoined from the evaluation time decides, per run and per account', async () => {
    const config = await loadGateConfig({});
    const waiting = config.packs
      .flatMap((p) => p.rules)
      .filter((r) => r.id === 'waiting-period-elapsed');
    const joined = (id: string, at: string): AccountRecord => ({
      id,
      name: id,
      state: 'ACTIVE',
      joinedMethod: 'CREATED',
      joinedTimestamp: at,
      parentId: ORG_OU,
    });
    const snapshot = orgSnapshot([
      joined('222222222222', '2026-11-24T12:00:00Z'),
      joined('333333333333', '2026-11-24T12:00:00Z'),
      joined('444444444444', '2026-11-20T12:00:00Z'),
    ]);
    const at = async (now: string) =>
      (await run(waiting, deriveFacts(snapshot, undefined, { now: new Date(now) }))).cached;
    const early = await at('2026-11-28T00:00:00Z');
    const late = await at('2026-11-28T13:00:00Z');
    expect(early.map((a) => a.outcomes[0]!.status)).toEqual(['fail', 'fail', 'pass']);
    expect(late.map((a) => a.outcomes[0]!.status)).toEqual(['pass', 'pass', 'pass']);
    // The message embeds the account's own values, cache or not.
    expect(early[0]!.outcomes[0]!.message).toContain('3.5 of 4 days');
    expect(early[2]!.outcomes[0]!.message).toContain('7.5 days ago');
  });

  it('templates render each account, also on a cache hit', async () => {
    const r = rule(
      'named',
      { all: [{ fact: 'a', operator: 'equal', value: 1 }] },
      {
        messages: { pass: 'account {{accountId}} has {{b}}', fail: 'no' },
      },
    );
    const { cached, stats } = await run(
      [r],
      [account(0, { a: 1, b: 'x' }), account(1, { a: 1, b: 'y' })],
    );
    expect(stats.hits).toBe(1);
    expect(cached.map((a) => a.outcomes[0]!.message)).toEqual([
      'account 200000000000 has x',
      'account 200000000001 has y',
    ]);
  });
  it('the evaluated conditions accounts share cannot be rewritten through one of them', async () => {
    const r = rule('shared', { all: [{ fact: 'a', operator: 'equal', value: 1 }] });
    const { cached } = await run([r], [account(0, { a: 1 }), account(1, { a: 1 })]);
    const [first, second] = cached.map(
      (a) => a.outcomes[0]!.evidence.conditions as { result: boolean }[],
    );
    expect(first).toBe(second);
    expect(() => {
      first![0]!.result = false;
    }).toThrow(TypeError);
    expect(() => first!.push({ result: false })).toThrow(TypeError);
    expect(second![0]!.result).toBe(true);
  });
});

describe('outcome cache and plugins', () => {
  const uses = (id: string, operator: string) =>
    rule(id, { all: [{ fact: 'a', operator, value: 1 }] });

  it('a plugin operator that answers differently per call is asked for every account', async () => {
    let calls = 0;
    const flip = () => calls++ % 2 === 0;
    const facts = [0, 1, 2, 3].map((i) => account(i, { a: 1 }));
    let stats: CacheStats | undefined;
    const cached = await runRules([uses('flip', 'flip')], facts, {
      operators: { flip },
      onCacheStats: (s) => (stats = s),
    });
    expect(cached.map((a) => a.outcomes[0]!.status)).toEqual(['pass', 'fail', 'pass', 'fail']);
    expect(calls).toBe(4);
    expect(stats?.neverCached).toEqual(['flip']);
    calls = 0;
    const uncached = await runRules([uses('flip', 'flip')], facts, {
      operators: { flip },
      cache: false,
    });
    expect(JSON.stringify(cached)).toBe(JSON.stringify(uncached));
  });

  it('a plugin operator that passes only the first account cannot make the others pass', async () => {
    let first = true;
    const once = () => (first ? ((first = false), true) : false);
    const cached = await runRules(
      [uses('once', 'once')],
      [0, 1, 2].map((i) => account(i, { a: 1 })),
      {
        operators: { once },
      },
    );
    expect(cached.map((a) => a.outcomes[0]!.status)).toEqual(['pass', 'fail', 'fail']);
  });

  it('a plugin that replaces a built-in operator makes the rules using it uncached', async () => {
    let calls = 0;
    let stats: CacheStats | undefined;
    await runRules(
      [uses('eq', 'not:equal')],
      [0, 1, 2].map((i) => account(i, { a: 1 })),
      {
        operators: { equal: () => (calls++, true) },
        onCacheStats: (s) => (stats = s),
      },
    );
    expect(calls).toBe(3);
    expect(stats?.neverCached).toEqual(['eq']);
  });
});

describe('outcome cache bound', () => {
  it('a rule with more distinct inputs than the bound stops being cached, with the same results', async () => {
    const r = rule('n', { all: [{ fact: 'a', operator: 'lessThan', value: 3 }] });
    const facts = [0, 0, 1, 2, 3, 4, 5, 0, 1].map((v, i) => account(i, { a: v }));
    const { statuses, stats } = await run([r], facts, { cache: { maxKeysPerRule: 3 } });
    expect(statuses).toEqual([
      'pass',
      'pass',
      'pass',
      'pass',
      'fail',
      'fail',
      'fail',
      'pass',
      'pass',
    ]);
    expect(stats.rules).toEqual({ n: 'stopped' });
    expect(stats).toMatchObject({ hits: 1, misses: 3 });
  });

  it('a fact value too large to key is evaluated, not cached', async () => {
    const r = rule('big', {
      all: [{ fact: 'a', path: '$.length', operator: 'greaterThan', value: 0 }],
    });
    const big = 'x'.repeat(10_000);
    const { statuses, stats } = await run(
      [r],
      [account(0, { a: [big] }), account(1, { a: [big] })],
      {},
    );
    expect(statuses).toEqual(['pass', 'pass']);
    expect(stats).toMatchObject({ hits: 1, misses: 1 });
    const whole = rule('whole', { all: [{ fact: 'a', operator: 'notEqual', value: null }] });
    const w = await run([whole], [account(0, { a: [big] }), account(1, { a: [big] })]);
    expect(w.stats).toMatchObject({ hits: 0, misses: 0, uncached: 2 });
  });
});

describe('the generated benchmark organization (bench/generate.ts)', () => {
  it('has the shape of issue 13: 3 OUs per 100 accounts, five OU levels, FullAWSAccess everywhere, a dozen conditional denies', () => {
    const { snapshot } = generateOrg({ accounts: 2000, seed: 42 });
    const ous = new Map(snapshot.organizationalUnits!.map((o) => [o.id, o]));
    const depth = (id: string): number => {
      const parent = ous.get(id)?.parentId;
      return parent === undefined ? 0 : 1 + depth(parent);
    };
    expect(ous.size).toBe(60);
    expect(Math.max(...[...ous.keys()].map(depth))).toBe(5);
    const full = snapshot.policies!.find((p) => p.name === 'FullAWSAccess')!;
    expect(new Set(full.targets)).toEqual(
      new Set([snapshot.rootId, ...ous.keys(), ...snapshot.accounts.map((a) => a.id)]),
    );
    const deny = snapshot.policies!.find((p) => p.name === 'DenyLeaveOrganization')!;
    expect(JSON.stringify(deny.document)).toContain('"ArnNotLike":{"aws:PrincipalArn"');
    expect(new Set(deny.targets).size).toBe(12);
    expect(deny.targets.every((t) => ous.has(t))).toBe(true);
    const tagCounts = new Set(snapshot.accounts.map((a) => a.tags?.length));
    expect([...tagCounts].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const none = snapshot.accounts.filter((a) => a.contactInformation === null).length;
    expect(none / snapshot.accounts.length).toBeGreaterThan(0.04);
    expect(none / snapshot.accounts.length).toBeLessThan(0.06);
    expect(new Set(snapshot.delegatedAdministrators!.map((d) => d.accountId)).size).toBe(20);
    expect(JSON.stringify(generateOrg({ accounts: 2000, seed: 42 }))).toBe(
      JSON.stringify(generateOrg({ accounts: 2000, seed: 42 })),
    );
  });

  it('through the built-in packs and the facts layer: cached = uncached, byte for byte', async () => {
    const { snapshot, attestations } = generateOrg({ accounts: 400, seed: 7 });
    const config = await loadGateConfig({});
    const rules = config.packs.flatMap((p) => p.rules);
    const facts = deriveFacts(snapshot, attestations, { now: new Date(snapshot.collectedAt) });
    const { cached, stats } = await run(rules, facts);
    const statuses = new Set(cached.flatMap((a) => a.outcomes.map((o) => o.status)));
    expect(statuses).toEqual(new Set(['pass', 'fail', 'unknown']));
    expect(stats.hits).toBeGreaterThan(stats.misses * 4);
  });
});
