/** The README's rule example must stay a valid rule (docs that lie are worse than none). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { evaluateAccounts } from '../../src/gate/index.js';
import { validateRule, vocabulary } from '../../src/rules/load.js';

it('the README rule example validates and evaluates', async () => {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const match = /```json\n(\{\n {2}"id": "[^"]+"[\s\S]*?)\n```/.exec(readme);
  expect(match).not.toBeNull();
  const result = validateRule(
    JSON.parse(match![1]!),
    'README.md',
    vocabulary(),
    'readme',
    undefined,
  );
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  const out = await evaluateAccounts(
    [result.value],
    [
      {
        accountId: '222222222222',
        known: { daysSinceJoined: 10.25 },
        unknown: {},
        ignoredAttestations: [],
        tags: undefined,
      },
      {
        accountId: '333333333333',
        known: { daysSinceJoined: 45 },
        unknown: {},
        ignoredAttestations: [],
        tags: undefined,
      },
    ],
    { now: new Date() },
  );
  expect(out.accounts.map((a) => a.rules[0]!.status)).toEqual(['fail', 'pass']);
  expect(out.accounts[0]!.rules[0]!.message).toBe('only 10.2 of 30 days in the organization');
});
