/**
 * compare --format text|json|md, and reports of different organizations:
 * exit 2 with a warning unless --allow-different-org.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { packageRoot } from '../../src/paths.js';
import { runMain } from './capture-io.js';

const demo = join(packageRoot(), 'examples', 'demo');
const cwd = mkdtempSync(join(tmpdir(), 'leavegate-compare-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const HOSTILE = 'evil<img src=x onerror=alert(1)>|[click](https://evil.example)';

/** Checks a variant of the demo snapshot; returns the report path. */
async function reportOf(
  name: string,
  edit: (s: Record<string, unknown>) => Record<string, unknown>,
): Promise<string> {
  const snapshot = JSON.parse(readFileSync(join(demo, 'snapshot.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const file = join(cwd, `${name}.snapshot.json`);
  writeFileSync(file, JSON.stringify(edit(snapshot)));
  const r = await runMain(
    [
      'check',
      '--snapshot',
      file,
      '--attestations',
      join(demo, 'attestations.json'),
      '--out',
      join(cwd, name),
      '--format',
      'json',
    ],
    { cwd },
  );
  if (![0, 1, 3].includes(r.code)) throw new Error(r.stderr);
  return join(cwd, name, 'report.json');
}

let before: string;
let after: string;
let otherOrg: string;
beforeAll(async () => {
  before = await reportOf('before', (s) => s);
  // 300000000009 (unknown in the demo) is suspended and renamed to something hostile.
  after = await reportOf('after', (s) => {
    const a = (s.accounts as { id: string; state: string; name: string }[]).find(
      (x) => x.id === '300000000009',
    )!;
    a.state = 'SUSPENDED';
    a.name = HOSTILE;
    return s;
  });
  // Every ARN names the organization too: the whole snapshot moves.
  otherOrg = await reportOf(
    'other',
    (s) =>
      JSON.parse(JSON.stringify(s).replaceAll('o-demo12345ab', 'o-zzzzzzzzzz')) as Record<
        string,
        unknown
      >,
  );
}, 60_000);

describe('compare --format', () => {
  it('json: a stable machine-readable diff, exit 1 on a regression', async () => {
    const r = await runMain(['compare', before, after, '--format', 'json'], { cwd });
    expect(r.code).toBe(1);
    const diff = JSON.parse(r.stdout) as Record<string, unknown> & {
      changes: {
        accountId: string;
        before: string;
        after: string;
        name: string;
        rules: { id: string }[];
      }[];
    };
    expect(Object.keys(diff)).toEqual([
      'schemaVersion',
      'old',
      'new',
      'differentOrganizations',
      'summary',
      'changes',
    ]);
    expect(diff.summary).toEqual({ changed: 1, regressions: 1, improvements: 0 });
    expect(diff.changes).toEqual([
      expect.objectContaining({
        accountId: '300000000009',
        before: 'unknown',
        after: 'blocked',
        name: HOSTILE,
      }),
    ]);
    expect(diff.changes[0]!.rules.map((x) => x.id)).toContain('account-active');
    // Stable: the same inputs give the same bytes.
    const again = await runMain(['compare', before, after, '--format', 'json'], { cwd });
    expect(again.stdout).toBe(r.stdout);
  });

  it('md: the hostile name is escaped (no raw HTML, no link, no extra table cell)', async () => {
    const r = await runMain(['compare', before, after, '--format', 'md'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('| 300000000009 |');
    expect(r.stdout).not.toContain('<img');
    expect(r.stdout).not.toContain('](https://');
    const row = r.stdout.split('\n').find((l) => l.includes('300000000009'))!;
    // 5 cells: 6 unescaped pipes.
    expect(row.replace(/\\\|/g, '').split('|').length - 1).toBe(6);
  });

  it('text stays the default', async () => {
    const r = await runMain(['compare', before, after], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/300000000009 .*: unknown -> blocked/);
    expect(r.stdout).toMatch(/1 accounts changed: 1 worse, 0 better/);
  });

  it('no change: exit 0', async () => {
    const r = await runMain(['compare', before, before, '--format', 'json'], { cwd });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { changes: unknown[] }).changes).toEqual([]);
  });
});

describe('reports of different organizations', () => {
  it('exit 2 with a warning naming both, nothing on stdout', async () => {
    const r = await runMain(['compare', before, otherOrg, '--format', 'json'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/different organizations \(o-demo12345ab and o-zzzzzzzzzz\)/);
    expect(r.stderr).toMatch(/--allow-different-org/);
  });

  it('--allow-different-org compares them, still warning', async () => {
    const r = await runMain(
      ['compare', before, otherOrg, '--format', 'json', '--allow-different-org'],
      { cwd },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: the reports are for different organizations/);
    expect(
      (JSON.parse(r.stdout) as { differentOrganizations: boolean }).differentOrganizations,
    ).toBe(true);
  });
});
