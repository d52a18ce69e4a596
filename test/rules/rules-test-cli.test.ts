/**
 * `leavegate rules test DIR` end to end on a user pack in a temp directory:
 * an agreeing case file (exit 0), a disagreeing one (exit 1, naming the
 * case with found vs expected and the message), broken ones (exit 2 naming
 * the file and JSON path, nothing run), and waivers in a case.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runCli } from './run-cli.js';

const temp = mkdtempSync(join(tmpdir(), 'leavegate-rules-test-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const OWNER_RULE = {
  id: 'owner-tag-present',
  title: 'Account has an Owner tag',
  severity: 'blocker',
  description: 'Someone must own the account after it leaves the organization.',
  remediation:
    'Tag it: `aws organizations tag-resource --resource-id <id> --tags Key=Owner,Value=<email>`.',
  references: ['https://docs.aws.amazon.com/organizations/latest/userguide/orgs_tagging.html'],
  facts: ['tags'],
  conditions: {
    all: [
      {
        fact: 'tags',
        operator: 'someElement',
        value: { path: '$.key', operator: 'equal', value: 'Owner' },
      },
    ],
  },
};
const account = (tags?: { key: string; value: string }[]) => ({
  id: '222222222222',
  state: 'ACTIVE',
  ...(tags !== undefined && { tags }),
});
const cases = (list: unknown[]) => JSON.stringify({ cases: list });
const ownerCase = (
  name: string,
  tags: { key: string; value: string }[] | undefined,
  expected: string,
) => ({
  name,
  rule: 'owner-tag-present',
  account: account(tags),
  expected,
});

let n = 0;
/** A pack directory with the owner rule and the given extra files. */
function pack(files: Record<string, string>): string {
  const dir = join(temp, `pack${++n}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'owner-tag-present.json'), JSON.stringify(OWNER_RULE));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}

const AGREEING = cases([
  ownerCase('an Owner tag passes', [{ key: 'Owner', value: 'a@example.com' }], 'pass'),
  ownerCase('other tags only fail', [{ key: 'CostCenter', value: '42' }], 'fail'),
  ownerCase('tags not collected: unknown', undefined, 'unknown'),
  {
    ...ownerCase('a waiver makes the failure waived', [], 'waived'),
    waivers: [
      {
        rule: 'owner-tag-present',
        accounts: ['222222222222'],
        reason: 'sandbox',
        owner: 'cloud@example.com',
        expiresAt: '2027-01-31T00:00:00Z',
      },
    ],
  },
]);

describe('leavegate rules test', () => {
  it('exit 0 when every case agrees, one pass line per case, and the pack still loads for check', async () => {
    const dir = pack({ 'owner-tag-present.test.json': AGREEING });
    const r = await runCli(['rules', 'test', dir], temp);
    expect(r.err).toBe('');
    const lines = r.out.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      `pass  ${join(dir, 'owner-tag-present.test.json')}  an Owner tag passes`,
      `pass  ${join(dir, 'owner-tag-present.test.json')}  other tags only fail`,
      `pass  ${join(dir, 'owner-tag-present.test.json')}  tags not collected: unknown`,
      `pass  ${join(dir, 'owner-tag-present.test.json')}  a waiver makes the failure waived`,
    ]);
    expect(lines[4]).toBe('4 cases: 4 agree, 0 disagree');
    expect(r.code).toBe(0);
    // The case file beside the rule is not a rule: the pack validates as one rule.
    const v = await runCli(['rules', 'validate', '--rules', dir], temp);
    expect(v.code).toBe(0);
    expect(v.out).toContain(`${12 + 8 + 1} rules in 3 packs`);
  });

  it('exit 1 when a case disagrees, naming it with found vs expected and the message', async () => {
    const dir = pack({
      'owner-tag-present.test.json': cases([
        ownerCase('an Owner tag passes', [{ key: 'Owner', value: 'a@example.com' }], 'pass'),
        ownerCase('wrongly expected to pass', [{ key: 'CostCenter', value: '42' }], 'pass'),
        // The rule is waivable, but without a waiver a failure is a failure.
        ownerCase('not waived without a waiver', undefined, 'fail'),
      ]),
    });
    const r = await runCli(['rules', 'test', dir], temp);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^pass {2}/);
    expect(lines[1]).toMatch(
      /^FAIL {2}.*owner-tag-present\.test\.json {2}wrongly expected to pass: found fail, expected pass: tags is .*CostCenter/,
    );
    expect(lines[2]).toMatch(
      /^FAIL {2}.*not waived without a waiver: found unknown, expected fail: unknown: tags/,
    );
    expect(lines.at(-1)).toBe('3 cases: 1 agree, 2 disagree');
    expect(r.code).toBe(1);
  });

  it.each([
    [
      'a bad expected value',
      cases([{ ...ownerCase('x', [], 'fail'), expected: 'passes' }]),
      '/cases/0/expected',
      'must be one of "pass", "fail", "unknown", "waived"',
    ],
    [
      'a case naming a rule not in the directory',
      cases([
        ownerCase('a', [], 'fail'),
        { ...ownerCase('b', [], 'fail'), rule: 'account-active' },
      ]),
      '/cases/1/rule',
      'rule "account-active" is not in this directory',
    ],
    [
      'an account that is no snapshot account',
      cases([{ ...ownerCase('x', [], 'fail'), account: { id: '2222', state: 'ACTIVE' } }]),
      '/cases/0/account/id',
      'must match pattern',
    ],
    [
      'an attestation of an unknown fact',
      cases([
        {
          ...ownerCase('x', [], 'fail'),
          attestations: [
            {
              accountId: '222222222222',
              fact: 'financeSignOff',
              value: true,
              attestedBy: 'a',
              attestedAt: '2026-11-01T00:00:00Z',
              expiresAt: '2026-12-01T00:00:00Z',
            },
          ],
        },
      ]),
      '/cases/0/attestations/0/fact',
      'must be one of',
    ],
    [
      'a waived case without waivers',
      cases([ownerCase('x', [], 'waived')]),
      '/cases/0/expected',
      '"waived" needs the case\'s "waivers"',
    ],
    ['invalid JSON', '{"cases": [', '/cases/0', 'invalid JSON at line 1'],
  ])(
    'exit 2 for %s, naming the file and JSON path; nothing runs',
    async (_name, text, path, message) => {
      const dir = pack({
        'owner-tag-present.test.json': text,
      });
      const r = await runCli(['rules', 'test', dir], temp);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      const file = join(dir, 'owner-tag-present.test.json');
      expect(r.err).toContain(`${file}: ${path}: `);
      expect(r.err).toContain(message);
    },
  );

  it('exit 2 for a case file beside no rule, and for a bad file among good ones', async () => {
    const dir = pack({
      'owner-tag-present.test.json': AGREEING,
      'owner-tag-presnet.test.json': AGREEING,
    });
    const r = await runCli(['rules', 'test', dir], temp);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${join(dir, 'owner-tag-presnet.test.json')}: /: no rule "owner-tag-presnet"`,
    );
    expect(r.out).toBe('');
  });
});
