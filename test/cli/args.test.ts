import { describe, expect, it } from '@jest/globals';
import { parseDuration, parseNow, redactArgv } from '../../src/cli/args.js';

describe('parseNow (strict ISO 8601 with a zone)', () => {
  it.each([
    ['2026-11-28T12:00:00Z', '2026-11-28T12:00:00.000Z'],
    ['2026-11-28T12:00Z', '2026-11-28T12:00:00.000Z'],
    ['2026-11-28T13:00:00+01:00', '2026-11-28T12:00:00.000Z'],
    ['2028-02-29T00:00:00.5Z', '2028-02-29T00:00:00.500Z'],
  ])('%s', (text, iso) => expect(parseNow(text)?.toISOString()).toBe(iso));

  it.each([
    '2026-02-30T00:00:00Z',
    '2027-02-29T00:00:00Z',
    '2026-11-28T24:00:00Z',
    '2026-11-28T12:60:00Z',
    '2026-11-28T12:00:00',
    '2026-11-28',
    '2026-13-01T00:00:00Z',
    '2026-11-28T12:00:00+25:00',
    'yesterday',
  ])('refuses %s', (text) => expect(() => parseNow(text)).toThrow(/--now/));
});

describe('parseDuration', () => {
  it.each([
    ['24h', 86_400_000],
    ['90m', 5_400_000],
    ['1d12h', 129_600_000],
    ['2w', 1_209_600_000],
  ])('%s', (text, ms) => expect(parseDuration('--x', text)).toBe(ms));
  it.each(['', '0h', '1 day', '-1h', 'h'])('refuses %j', (text) =>
    expect(() => parseDuration('--x', text)).toThrow(/--x/),
  );
});

describe('redactArgv', () => {
  it('hides secret-bearing flag values and key-shaped strings, keeps the rest', () => {
    expect(
      redactArgv([
        'leave',
        '--external-id',
        'shh',
        '--session-token=abc',
        '--account',
        '222222222222',
        'AKIAIOSFODNN7EXAMPLE',
      ]),
    ).toEqual([
      'leave',
      '--external-id',
      '***',
      '--session-token=***',
      '--account',
      '222222222222',
      '***',
    ]);
  });
});
