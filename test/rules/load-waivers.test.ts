import { describe, expect, test } from '@jest/globals';
import { loadWaiversFile, validateWaivers } from '../../src/gate/waivers.js';
import { expectInputError } from '../snapshot/expect-input-error.js';

const BAD = 'test/fixtures/bad';

describe('loadWaiversFile', () => {
  test('the fixture waivers load', async () => {
    const { waivers, sha256 } = await loadWaiversFile('test/fixtures/snapshots/waivers.json');
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(waivers.waivers).toEqual([
      {
        rule: 'owner-tag-present',
        accounts: ['333333333333'],
        reason: 'legacy sandbox, owner left',
        owner: 'cloud-team@example.com',
        expiresAt: '2027-01-31T00:00:00Z',
      },
    ]);
  });

  const cases: [string, string, RegExp][] = [
    ['waivers-bad-date.json', '/waivers/0/expiresAt', /unparseable date-time "end of January"/],
    ['waivers-missing-owner.json', '/waivers/0', /missing required property "owner"/],
    ['waivers-wrong-type.json', '/waivers/0/accounts', /must be array/],
    [
      'waivers-schema-version-2.json',
      '/schemaVersion',
      /unsupported schemaVersion 2; this leavegate reads 1/,
    ],
  ];
  test.each(cases)('%s -> %s', async (name, pointer, what) => {
    const file = `${BAD}/${name}`;
    await expectInputError(loadWaiversFile(file), 'waivers.invalid', file, pointer, what);
  });
});

describe('validateWaivers', () => {
  const waiver = {
    rule: 'owner-tag-present',
    accounts: ['333333333333'],
    reason: 'r',
    owner: 'o',
    expiresAt: '2027-01-31T00:00:00Z',
  };

  test('an expired waiver is valid input (it is ignored and reported when rules apply)', () => {
    const value = { schemaVersion: 1, waivers: [{ ...waiver, expiresAt: '2020-01-01T00:00:00Z' }] };
    expect(validateWaivers(value)).toEqual({ ok: true, value });
  });

  test('a leap-second expiry passes the format but not Date.parse', () => {
    const value = { schemaVersion: 1, waivers: [{ ...waiver, expiresAt: '2026-12-31T23:59:60Z' }] };
    const result = validateWaivers(value, 'w.json');
    expect(result.ok ? [] : result.issues).toEqual([
      {
        file: 'w.json',
        path: '/waivers/0/expiresAt',
        message: expect.stringContaining('unparseable date-time'),
      },
    ]);
  });

  test('an empty account list, a bad account id and a bad rule id are each reported', () => {
    const value = {
      schemaVersion: 1,
      waivers: [
        { ...waiver, accounts: [] },
        { ...waiver, accounts: ['12345'] },
        { ...waiver, rule: 'Owner Tag' },
      ],
    };
    const result = validateWaivers(value);
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual([
      '/waivers/0/accounts',
      '/waivers/1/accounts/0',
      '/waivers/2/rule',
    ]);
  });
});
