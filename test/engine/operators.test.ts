/**
 * The built-in array operators someElement / everyElement: true, false and
 * unknown through the engine (an unknown fact stays unknown, an undecidable
 * element makes the rule unknown, never pass), and their value shape
 * checked at load with a JSON path.
 */
import { describe, expect, it } from '@jest/globals';
import { evaluateAccounts } from '../../src/gate/index.js';
import type { AccountFacts } from '../../src/facts/types.js';
import { validateRule, vocabulary } from '../../src/rules/load.js';
import { validatePlugin } from '../../src/rules/plugins.js';
import type { RuleFile } from '../../src/rules/types.js';

const NOW = new Date('2026-11-28T12:00:00Z');

function ruleFile(conditions: Record<string, unknown>, facts = ['tags']): RuleFile {
  return {
    id: 'owner-tag',
    title: 'Some tag has key Owner',
    severity: 'blocker',
    description: 'A rule used by the operator tests.',
    remediation: 'Tag the account with an Owner.',
    references: ['https://docs.aws.amazon.com/organizations/latest/userguide/orgs_tagging.html'],
    facts,
    conditions,
  };
}

const OWNER = { path: '$.key', operator: 'equal', value: 'Owner' };

async function status(
  conditions: Record<string, unknown>,
  known: Record<string, unknown>,
  unknown: Record<string, string> = {},
) {
  const r = validateRule(
    ruleFile(conditions, Object.keys({ ...known, ...unknown })),
    'owner-tag.json',
    vocabulary(),
    'test',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const facts: AccountFacts = {
    accountId: '222222222222',
    known,
    unknown,
    ignoredAttestations: [],
    tags: undefined,
  };
  const out = await evaluateAccounts([r.value], [facts], { now: NOW });
  return out.accounts[0]!.rules[0]!;
}

const some = (value: unknown) => ({ all: [{ fact: 'tags', operator: 'someElement', value }] });
const every = (value: unknown) => ({ all: [{ fact: 'tags', operator: 'everyElement', value }] });
const tag = (key: string, value = 'x') => ({ key, value });

describe('someElement', () => {
  it('true when some element matches, false when none does', async () => {
    expect((await status(some(OWNER), { tags: [tag('CostCenter'), tag('Owner')] })).status).toBe(
      'pass',
    );
    expect((await status(some(OWNER), { tags: [tag('CostCenter')] })).status).toBe('fail');
    expect((await status(some(OWNER), { tags: [] })).status).toBe('fail');
  });

  it('an unknown fact stays unknown, also under not', async () => {
    expect((await status(some(OWNER), {}, { tags: 'tags not collected' })).status).toBe('unknown');
    const negated = { not: { fact: 'tags', operator: 'someElement', value: OWNER } };
    expect((await status(negated, {}, { tags: 'tags not collected' })).status).toBe('unknown');
    expect((await status(negated, { tags: [tag('CostCenter')] })).status).toBe('pass');
  });

  it('a value that is not an array (null) is unknown, never an empty list', async () => {
    const r = await status(some(OWNER), { tags: null });
    expect(r.status).toBe('unknown');
    expect(r.message).toContain('someElement needs an array, the fact is null');
    const negated = { not: { fact: 'tags', operator: 'someElement', value: OWNER } };
    expect((await status(negated, { tags: null })).status).toBe('unknown');
  });

  it('an element without the path: a match elsewhere decides, otherwise unknown (not pass under not)', async () => {
    expect((await status(some(OWNER), { tags: [{ value: 'v' }, tag('Owner')] })).status).toBe(
      'pass',
    );
    const r = await status(some(OWNER), { tags: [{ value: 'v' }, tag('CostCenter')] });
    expect(r.status).toBe('unknown');
    expect(r.message).toContain('someElement cannot decide');
    const negated = { not: { fact: 'tags', operator: 'someElement', value: OWNER } };
    expect((await status(negated, { tags: [{ value: 'v' }] })).status).toBe('unknown');
  });

  it('nested all/any/not and comparisons inside an element', async () => {
    const cond = some({
      all: [OWNER, { not: { path: '$.value', operator: 'in', value: ['', 'nobody'] } }],
    });
    expect((await status(cond, { tags: [tag('Owner', 'nobody')] })).status).toBe('fail');
    expect(
      (await status(cond, { tags: [tag('Owner', 'nobody'), tag('Owner', 'jane')] })).status,
    ).toBe('pass');
    const len = some({ path: '$.value.length', operator: 'greaterThan', value: 3 });
    expect((await status(len, { tags: [tag('Owner', 'jane')] })).status).toBe('pass');
    expect((await status(len, { tags: [tag('Owner', 'al')] })).status).toBe('fail');
  });
});

describe('everyElement', () => {
  const hasValue = { path: '$.value.length', operator: 'greaterThan', value: 0 };
  it('true when every element matches (also none), false when one does not, unknown when undecidable', async () => {
    expect((await status(every(hasValue), { tags: [tag('a', 'b'), tag('c', 'd')] })).status).toBe(
      'pass',
    );
    expect((await status(every(hasValue), { tags: [tag('a', 'b'), tag('c', '')] })).status).toBe(
      'fail',
    );
    expect((await status(every(hasValue), { tags: [tag('a', 'b'), { key: 'c' }] })).status).toBe(
      'unknown',
    );
    expect((await status(every(hasValue), { tags: [{ key: 'c' }, tag('c', '')] })).status).toBe(
      'fail',
    );
  });
});

describe('loading a rule with an array operator', () => {
  it.each([
    [{ operator: 'equal' }, '/conditions/all/0/value', 'missing required property "value"'],
    [
      { path: '$.key', operator: 'hasTagKey', value: 1 },
      '/conditions/all/0/value/operator',
      'must be one of',
    ],
    [
      { path: 'key', operator: 'equal', value: 1 },
      '/conditions/all/0/value/path',
      'must be a simple path',
    ],
    [
      { path: '$.key', operator: 'in', value: 'Owner' },
      '/conditions/all/0/value/value',
      'must be an array for in',
    ],
    [
      { fact: 'account', operator: 'equal', value: 1 },
      '/conditions/all/0/value/fact',
      'unknown property "fact"',
    ],
    [{ any: [] }, '/conditions/all/0/value/any', 'must be a non-empty array'],
    [
      { all: [OWNER, { not: { operator: 'someElement', value: 3 } }] },
      '/conditions/all/0/value/all/1/not/value',
      'must be an element condition',
    ],
    ['Owner', '/conditions/all/0/value', 'must be an element condition'],
  ])('%j is a load error at %s', (value, path, message) => {
    const r = validateRule(ruleFile(some(value)), 'owner-tag.json', vocabulary(), 'test');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toContainEqual({
      file: 'owner-tag.json',
      path,
      message: expect.stringContaining(message) as unknown,
    });
  });

  it('a plugin cannot replace them', () => {
    expect(() =>
      validatePlugin({ name: 'p', version: '1', operators: { someElement: () => true } }, 'p.mjs'),
    ).toThrow(/someElement: cannot replace the built-in operator/);
  });
});
