import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { loadAttestationsFile, validateAttestations } from '../../src/facts/load-attestations.js';
import type { Attestations } from '../../src/facts/types.js';
import { loadSnapshotFile } from '../../src/snapshot/load.js';
import { expectInputError } from '../snapshot/expect-input-error.js';

const BAD = 'test/fixtures/bad';
const SMALL_ORG = 'test/fixtures/snapshots/small-org.json';

function base(): Attestations {
  return JSON.parse(
    readFileSync(`${BAD}/attestations-unknown-account.json`, 'utf8'),
  ) as Attestations;
}

describe('loadAttestationsFile', () => {
  test('the fixture attestations load against the small org, expired ones included', async () => {
    const { snapshot } = await loadSnapshotFile(SMALL_ORG);
    const { attestations, warnings } = await loadAttestationsFile(
      'test/fixtures/snapshots/attestations.json',
      snapshot,
    );
    expect(warnings).toEqual([]);
    expect(attestations.attestations).toHaveLength(4);
    // Expired before collectedAt: still valid input; the facts layer ignores it.
    expect(attestations.attestations[2]).toMatchObject({
      accountId: '333333333333',
      expiresAt: '2026-10-01T00:00:00Z',
    });
  });

  test('an attestation for an account not in the snapshot is a warning, not an error', async () => {
    const { snapshot } = await loadSnapshotFile(SMALL_ORG);
    const file = `${BAD}/attestations-unknown-account.json`;
    const { attestations, warnings } = await loadAttestationsFile(file, snapshot);
    expect(attestations.attestations[0]?.accountId).toBe('999999999999');
    expect(warnings).toEqual([
      `${file}: /attestations/0/accountId: attestation for account 999999999999, which is not in the snapshot; ignored`,
    ]);
    // Without a snapshot there is nothing to compare with.
    expect((await loadAttestationsFile(file)).warnings).toEqual([]);
  });

  const cases: [string, string, RegExp][] = [
    [
      'attestations-bad-date.json',
      '/attestations/0/expiresAt',
      /unparseable date-time "2026-12-20": expected RFC 3339/,
    ],
    [
      'attestations-inverted-window.json',
      '/attestations/0/expiresAt',
      /expiresAt 2026-11-19T00:00:00Z is not after attestedAt 2026-11-20T00:00:00Z/,
    ],
    [
      'attestations-unknown-fact.json',
      '/attestations/0/fact',
      /must be one of "paymentMethodPresent"/,
    ],
    [
      'attestations-missing-attested-by.json',
      '/attestations/0',
      /missing required property "attestedBy"/,
    ],
    [
      'attestations-schema-version-2.json',
      '/schemaVersion',
      /unsupported schemaVersion 2; this leavegate reads 1/,
    ],
  ];
  test.each(cases)('%s -> %s', async (name, pointer, what) => {
    const file = `${BAD}/${name}`;
    await expectInputError(loadAttestationsFile(file), 'attestations.invalid', file, pointer, what);
  });
});

describe('validateAttestations', () => {
  test('a date the format accepts but JavaScript cannot represent is an error', () => {
    const a = base();
    a.attestations[0]!.attestedAt = '2026-06-30T23:59:60Z';
    const result = validateAttestations(a, 'a.json');
    expect(result.ok ? [] : result.issues).toEqual([
      {
        file: 'a.json',
        path: '/attestations/0/attestedAt',
        message: expect.stringContaining('unparseable date-time "2026-06-30T23:59:60Z"'),
      },
    ]);
  });

  test('wrong types are reported with their pointers', () => {
    const a = base() as unknown as { attestations: Record<string, unknown>[] };
    a.attestations[0]!.value = 'true';
    a.attestations[0]!.accountId = 222222222222;
    const result = validateAttestations(a);
    expect(result.ok ? [] : result.issues.map((i) => [i.path, i.message])).toEqual([
      ['/attestations/0/accountId', 'must be string'],
      ['/attestations/0/value', 'must be boolean'],
    ]);
  });

  test('unknown properties are rejected (a typo must not be silently ignored)', () => {
    const a = base() as unknown as { attestations: Record<string, unknown>[] };
    a.attestations[0]!.expiresAT = '2027-01-01T00:00:00Z';
    const result = validateAttestations(a);
    expect(result.ok ? [] : result.issues).toEqual([
      expect.objectContaining({ path: '/attestations/0', message: 'unknown property "expiresAT"' }),
    ]);
  });

  test('contradicting attestations valid at the same time are a warning; successive ones are not', () => {
    const a = base();
    const first = { ...a.attestations[0]!, accountId: '222222222222' };
    a.attestations = [
      first,
      // Renewal after the first expired, with another value: fine.
      {
        ...first,
        value: false,
        attestedAt: '2026-12-20T00:00:00Z',
        expiresAt: '2027-01-20T00:00:00Z',
      },
      // Overlaps the first with the opposite value: ambiguous.
      {
        ...first,
        value: false,
        attestedAt: '2026-12-01T00:00:00Z',
        expiresAt: '2026-12-10T00:00:00Z',
      },
      // Same value, other fact: unrelated.
      { ...first, fact: 'phoneVerified', value: false },
    ];
    const result = validateAttestations(a, 'a.json');
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      'a.json: /attestations/2/value: contradicts /attestations/0/value (paymentMethodPresent of 222222222222) while both are valid',
    ]);
  });
});

describe('contradicting attestations at scale', () => {
  it('finds the overlapping contradiction among thousands of agreeing ones, whatever the order', () => {
    const base = {
      accountId: '222222222222',
      fact: 'paymentMethodPresent',
      attestedBy: 'jane@example.com',
      expiresAt: '2027-01-01T00:00:00Z',
    };
    const agreeing = Array.from({ length: 5000 }, (_, i) => ({
      ...base,
      value: true,
      attestedAt: '2026-11-01T00:00:00Z',
      evidence: `T-${i}`,
    }));
    const against = { ...base, value: false, attestedAt: '2026-12-01T00:00:00Z' };
    // Not overlapping: expired before the others start.
    const old = {
      ...base,
      value: false,
      attestedAt: '2025-01-01T00:00:00Z',
      expiresAt: '2025-02-01T00:00:00Z',
    };
    for (const list of [
      [...agreeing, against, old],
      [old, against, ...agreeing],
    ]) {
      const r = validateAttestations({ schemaVersion: 1, attestations: list });
      expect(r.ok).toBe(true);
      const contra = r.warnings.filter((w) => w.includes('contradicts'));
      expect(contra.length).toBeGreaterThanOrEqual(1);
      const oldIndex = list.indexOf(old);
      expect(contra.join('\n')).not.toContain(`/attestations/${oldIndex}/`);
    }
  });
});
