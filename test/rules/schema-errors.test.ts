import { describe, expect, it } from '@jest/globals';
import { validateRule, vocabulary } from '../../src/rules/load.js';

const base = {
  id: 'x',
  title: 'A rule',
  severity: 'warning',
  description: 'A rule with a mistake in its conditions.',
  remediation: 'Fix the mistake.',
  references: ['https://docs.aws.amazon.com/organizations/latest/userguide/orgs_introduction.html'],
  facts: ['account'],
};

function issues(conditions: unknown): string[] {
  const r = validateRule({ ...base, conditions }, 'rules/x.json', vocabulary(), 'test');
  if (r.ok) return [];
  return r.issues.map((i) => `${i.file ?? ''}: ${i.path}: ${i.message}`);
}

describe('rule schema errors name the root cause once', () => {
  it.each([
    [
      'a bad path in a leaf',
      { all: [{ fact: 'account', path: 'state', operator: 'equal', value: 'ACTIVE' }] },
      [/^rules\/x\.json: \/conditions\/all\/0\/path: must match pattern/],
    ],
    [
      'a misspelt property deep in any/all/not',
      { any: [{ all: [{ not: { fact: 'account', operater: 'equal', value: 1 } }] }] },
      [
        /^rules\/x\.json: \/conditions\/any\/0\/all\/0\/not: missing required property "operator"$/,
        /^rules\/x\.json: \/conditions\/any\/0\/all\/0\/not: unknown property "operater"$/,
      ],
    ],
    [
      'an empty all',
      { all: [] },
      [/^rules\/x\.json: \/conditions\/all: must NOT have fewer than 1 items$/],
    ],
    [
      'a string where a condition belongs',
      { all: ['x'] },
      [/^rules\/x\.json: \/conditions\/all\/0: must be object$/],
    ],
    [
      'a leaf at the top level',
      { fact: 'account', operator: 'equal', value: 1 },
      [/^rules\/x\.json: \/conditions: missing required property "all"$/],
    ],
  ])('%s', (_name, conditions, expected) => {
    const got = issues(conditions);
    expect(got).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(got[i]).toMatch(re));
  });
});
