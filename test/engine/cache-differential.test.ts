/**
 * The outcome cache (src/engine/cached.ts) against the uncached reference
 * (`cache: false`: every rule, every account, one shared engine): random
 * rules over random account facts — values drawn from small pools so that
 * accounts repeat each other's inputs, key orders shuffled, unknown and
 * absent facts, fact-valued comparisons, element conditions, templates that
 * name the account — must give the same outcomes, byte for byte.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { runRules, type CacheStats } from '../../src/engine/evaluate.js';
import type { AccountFacts } from '../../src/facts/types.js';
import type { LoadedRule } from '../../src/rules/types.js';

const FACTS = ['a', 'b', 'c'] as const;

const primitive = fc.constantFrom<unknown>(
  0,
  1,
  2,
  -0,
  0.5,
  Number.NaN,
  'x',
  'y',
  '',
  true,
  false,
  null,
  undefined,
);
/** Objects with their keys in a random order (the evidence is written in that order). */
const object = fc
  .uniqueArray(
    fc.tuple(
      fc.constantFrom('s', 'n', 'list'),
      fc.oneof(primitive, fc.array(primitive, { maxLength: 3 })),
    ),
    { selector: (e) => e[0], maxLength: 3 },
  )
  .map((entries) => Object.fromEntries(entries));
const value = fc.oneof(primitive, object, fc.array(fc.oneof(primitive, object), { maxLength: 3 }));

const PATHS = [
  undefined,
  '$.s',
  '$.n',
  '$.list',
  '$.list.length',
  '$.s.length',
  '$.list[0]',
  '$[0]',
  '$[0].s',
  '$.length',
];
const OPERATORS = [
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'greaterThanInclusive',
  'not:equal',
  'someElement',
  'everyElement',
];

const leaf = fc
  .record({
    fact: fc.constantFrom(...FACTS),
    path: fc.constantFrom(...PATHS),
    operator: fc.constantFrom(...OPERATORS),
    value: fc.oneof(primitive, fc.array(primitive, { maxLength: 2 })),
    factRef: fc.option(
      fc.record({ fact: fc.constantFrom(...FACTS), path: fc.constantFrom(...PATHS) }),
      { freq: 4 },
    ),
  })
  .map(({ fact, path, operator, value: v, factRef }) => {
    const element = operator === 'someElement' || operator === 'everyElement';
    const compared = element
      ? { path: '$.s', operator: 'equal', value: 'x' }
      : factRef !== null
        ? { fact: factRef.fact, ...(factRef.path !== undefined && { path: factRef.path }) }
        : v;
    return { fact, ...(path !== undefined && { path }), operator, value: compared };
  });

const { tree } = fc.letrec<{ tree: unknown; node: unknown }>((tie) => ({
  tree: fc.oneof(
    fc.record({ all: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
  ),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    leaf,
    tie('tree'),
    fc.record({ not: tie('node') }),
  ),
}));

const MESSAGES: (LoadedRule['messages'] | undefined)[] = [
  undefined,
  {
    pass: 'P {{accountId}} {{a.s}}',
    fail: 'F {{b|count}} {{expected.a}}',
    unknown: 'U {{c}} {{accountId}}',
  },
  { pass: 'static pass', fail: 'only fail {{a}}' },
];

const rule = fc
  .record({
    conditions: tree,
    declared: fc.subarray([...FACTS, 'a.s', 'b.list']),
    messages: fc.constantFrom(...MESSAGES),
  })
  .map(({ conditions, declared, messages }, i = 0): Omit<LoadedRule, 'id'> => ({
    title: 'random rule',
    severity: 'blocker',
    description: 'generated',
    remediation: 'fix it',
    references: ['https://example.com/'],
    facts: declared,
    conditions: conditions as LoadedRule['conditions'],
    ...(messages !== undefined && { messages }),
    pack: 'random',
    source: `random-${i}.json`,
    expected: { a: 1 },
    waivable: false,
  }));

/** One fact of an account: known with a value, unknown with a reason, or not there at all. */
const factState = fc.oneof(
  { weight: 5, arbitrary: value.map((v) => ({ known: v })) },
  { weight: 1, arbitrary: fc.constantFrom('denied', 'throttled').map((why) => ({ unknown: why })) },
  { weight: 1, arbitrary: fc.constant({}) },
);

const accountShape = fc
  .record({ a: factState, b: factState, c: factState, attested: fc.boolean() })
  .map((states) => (accountId: string): AccountFacts => {
    const known: Record<string, unknown> = {};
    const unknown: Record<string, string> = {};
    for (const f of FACTS) {
      const s = states[f] as { known?: unknown; unknown?: string };
      if ('known' in s) known[f] = s.known;
      else if (s.unknown !== undefined) unknown[f] = s.unknown;
    }
    return {
      accountId,
      known,
      unknown,
      ignoredAttestations: [],
      tags: undefined,
      ...(states.attested && {
        attestationsUsed: {
          a: [
            {
              fact: 'a',
              value: true,
              attestedBy: `someone@${accountId}`,
              attestedAt: '2026-11-20T00:00:00Z',
              expiresAt: '2027-01-01T00:00:00Z',
            },
          ],
        },
      }),
    };
  });

/** A few account shapes, repeated across more accounts (as in a real organization). */
const accounts = fc
  .tuple(
    fc.array(accountShape, { minLength: 1, maxLength: 4 }),
    fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
  )
  .map(([shapes, picks]) =>
    picks.map((p, i) => shapes[p % shapes.length]!(String(200000000000 + i))),
  );

async function both(
  rules: LoadedRule[],
  facts: AccountFacts[],
  maxKeysPerRule?: number,
): Promise<{ cached: unknown; uncached: unknown; stats: CacheStats }> {
  let stats: CacheStats | undefined;
  const cached = await runRules(rules, facts, {
    ...(maxKeysPerRule !== undefined && { cache: { maxKeysPerRule } }),
    onCacheStats: (s) => (stats = s),
  });
  const uncached = await runRules(rules, facts, { cache: false });
  return { cached, uncached, stats: stats! };
}

describe('outcome cache: differential against the uncached engine', () => {
  it('random rules and accounts: the same outcomes, byte for byte', async () => {
    let hits = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(rule, { minLength: 1, maxLength: 4 }),
        accounts,
        fc.option(fc.integer({ min: 1, max: 3 })),
        async (rs, facts, max) => {
          const rules = rs.map((r, i) => ({ ...r, id: `r${i}` }));
          const { cached, uncached, stats } = await both(rules, facts, max ?? undefined);
          expect(cached).toStrictEqual(uncached);
          expect(JSON.stringify(cached)).toBe(JSON.stringify(uncached));
          hits += stats.hits;
        },
      ),
      { numRuns: 300 },
    );
    // The property is about the cache: it must actually have answered from it.
    expect(hits).toBeGreaterThan(100);
  });
});
