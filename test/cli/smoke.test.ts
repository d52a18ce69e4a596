/**
 * The built binary itself (`bin/leavegate.js` on dist/, built by `npm test`
 * when stale), a few runs: what the in-process tests (main through
 * test/harness/in-process.ts) cannot show is that the real entry point hands
 * main's answer to the process as its exit code, prints on the real streams,
 * and maps a usage error and bad input to 2. Crashes and signals are in
 * process-boundary.test.ts and plugin-hostile.test.ts; module loading in
 * start-time.test.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'leavegate.js');
const DEMO = join(ROOT, 'examples', 'demo');
const BAD = join(ROOT, 'test', 'fixtures', 'bad');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function leavegate(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const work = mkdtempSync(join(tmpdir(), 'leavegate-smoke-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const check = (out: string, ...extra: string[]) => [
  'check',
  '--snapshot',
  join(DEMO, 'snapshot.json'),
  '--attestations',
  join(DEMO, 'attestations.json'),
  '--format',
  'json',
  '--out',
  join(work, out),
  ...extra,
];

// The runs are independent: start them together (one process each), assert one by one.
let runs: Record<'version' | 'help' | 'blocked' | 'usage' | 'bad' | 'badFlag', Run>;
beforeAll(async () => {
  const [version, help, blocked, usage, bad, badFlag] = await Promise.all([
    leavegate(['--version']),
    leavegate(['--help']),
    leavegate(check('blocked')),
    leavegate(['frobnicate']),
    leavegate([
      'check',
      '--snapshot',
      join(BAD, 'snapshot-not-json.txt'),
      '--out',
      join(work, 'bad'),
    ]),
    leavegate(check('bad-flag', '--fail-on', 'everything')),
  ]);
  runs = { version, help, blocked, usage, bad, badFlag };
}, 60_000);

describe('the built binary', () => {
  it('--version prints the package version and exits 0', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(runs.version).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('--help lists the commands on stdout, exit 0', () => {
    expect(runs.help.code).toBe(0);
    for (const command of ['check', 'collect', 'leave', 'transfer', 'rules', 'compare'])
      expect(runs.help.stdout).toContain(command);
  });

  it('check on the demo: exit 1 (blocked), the summary on stdout, report.json written', () => {
    expect(runs.blocked.code).toBe(1);
    expect(runs.blocked.stdout).toMatch(/\d+ accounts: \d+ ready, \d+ blocked, \d+ unknown/);
    expect(runs.blocked.stdout).toContain('BLOCKED');
    expect(existsSync(join(work, 'blocked', 'report.json'))).toBe(true);
  });

  it('an unknown command is a usage error: exit 2, said on stderr', () => {
    expect(runs.usage.code).toBe(2);
    expect(runs.usage.stderr).toMatch(/leavegate: error \[usage\]/);
    expect(runs.usage.stdout).toBe('');
  });

  it('bad input and a bad flag value: exit 2 naming what is wrong, no report', () => {
    expect(runs.bad.code).toBe(2);
    expect(runs.bad.stderr).toMatch(/snapshot-not-json\.txt/);
    expect(existsSync(join(work, 'bad', 'report.json'))).toBe(false);
    expect(runs.badFlag.code).toBe(2);
    expect(runs.badFlag.stderr).toMatch(/fail-on/);
  });
});
