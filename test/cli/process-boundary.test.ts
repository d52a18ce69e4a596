/**
 * The process boundary of the built CLI: output errors, repeated flags, and
 * exit codes that stay within 0-3 whatever happens to stdout. Spawned (a real
 * process, a real pipe), but for the argument checks.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { discardAllStagedSync, stageFile } from '../../src/write-file.js';
import { runMain } from '../harness/in-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'leavegate.js');
const DEMO = join(ROOT, 'examples', 'demo');

function sh(command: string): { status: number | null; stderr: string } {
  const r = spawnSync('bash', ['-c', command], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr };
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe('output errors', () => {
  const out = mkdtempSync(join(tmpdir(), 'leavegate-boundary-'));
  const check = (extra: string) =>
    `node ${q(BIN)} check --snapshot ${q(join(DEMO, 'snapshot.json'))} --max-snapshot-age 9999d --out ${q(out)} ${extra}`;

  it('a reader that closes early (EPIPE) keeps the verdict exit code: blocked stays 1', () => {
    const r = sh(`${check('')} | head -c1 >/dev/null; echo "code=\${PIPESTATUS[0]}" >&2`);
    expect(r.stderr).toMatch(/code=1/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('a ready run stays 0 under EPIPE', () => {
    const r = sh(
      `node ${q(BIN)} demo --out ${q(out)} | head -c1 >/dev/null; echo "code=\${PIPESTATUS[0]}" >&2`,
    );
    expect(r.stderr).toMatch(/code=0/);
  });

  it('a full disk on stdout (ENOSPC) is exit 2 with one line, never 1', () => {
    const r = sh(`${check('')} >/dev/full`);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^leavegate: error \[io\.failed\] cannot write the output: ENOSPC$/m);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

// Argument checks need no process of their own: main, in-process (test/harness/in-process.ts).
describe('flags', () => {
  const snapshot = join(DEMO, 'snapshot.json');
  it.each([
    [
      '--snapshot twice',
      ['--snapshot', snapshot, '--snapshot', 'x.json'],
      /--snapshot was given 2 times/,
    ],
    [
      '--out twice',
      ['--snapshot', snapshot, '--out', 'a', '--out', 'b'],
      /--out was given 2 times/,
    ],
    [
      '--attestations twice',
      ['--snapshot', snapshot, '--attestations', 'a', '--attestations', 'b'],
      /--attestations was given 2 times/,
    ],
    [
      '--waivers twice',
      ['--snapshot', snapshot, '--waivers', 'a', '--waivers', 'b'],
      /--waivers was given 2 times/,
    ],
    [
      '--principal twice',
      ['--snapshot', snapshot, '--principal', 'a', '--principal', 'b'],
      /--principal was given 2 times/,
    ],
    ['empty --out', ['--snapshot', snapshot, '--out', ''], /--out is empty/],
  ])('%s is a usage error (exit 2)', async (_name, args, message) => {
    const r = await runMain(['check', ...args], { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('interrupts', () => {
  it('discardAllStagedSync removes every staged temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leavegate-staged-'));
    writeFileSync(join(dir, 'report.json'), 'old');
    await stageFile(join(dir, 'report.json'), ['new']);
    await stageFile(join(dir, 'report.md'), ['new']);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toHaveLength(2);
    expect(discardAllStagedSync()).toBe(2);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });
});

describe('a signal while reports are written', () => {
  it('SIGTERM during the write leaves no hidden temporary file and exits 2', async () => {
    const { spawn } = await import('node:child_process');
    const { readFileSync } = await import('node:fs');
    const demo = JSON.parse(readFileSync(join(DEMO, 'snapshot.json'), 'utf8')) as {
      accounts: { id: string; [k: string]: unknown }[];
      policies: { targets: string[] }[];
      delegatedAdministrators: unknown[];
      errors: { accountId?: string }[];
    };
    // Many accounts, so that writing the reports takes long enough to be interrupted:
    // with 1,000 the five reports take seconds to write (the evaluation ~1.5 s before
    // them), against a poll every 5 ms; 4,000 only made the evaluation longer.
    const template = demo.accounts.find((a) => a.id === '300000000002')!;
    const accounts = Array.from({ length: 1000 }, (_, i) => ({
      ...template,
      id: String(400000000000 + i),
      name: `acct-${i}`,
    }));
    const dir = mkdtempSync(join(tmpdir(), 'leavegate-signal-'));
    const snap = join(dir, 'big.json');
    writeFileSync(
      snap,
      JSON.stringify({
        ...demo,
        accounts: [...demo.accounts, ...accounts],
        errors: demo.errors.filter((e) => e.accountId === undefined),
        policies: demo.policies.map((p) => ({
          ...p,
          targets: p.targets.filter((t) => !/^\d{12}$/.test(t)),
        })),
        delegatedAdministrators: [],
      }),
    );
    const out = join(dir, 'out');
    const child = spawn(
      process.execPath,
      [BIN, 'check', '--snapshot', snap, '--out', out, '--format', 'json,html,md,junit,sarif'],
      { env: { ...process.env, NO_COLOR: '1' } },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // Wait for the first staged file, then interrupt.
    let sent = false;
    for (let i = 0; i < 4000 && !sent; i++) {
      await new Promise((r) => setTimeout(r, 5));
      const staged = (() => {
        try {
          return readdirSync(out).some((f) => f.endsWith('.tmp'));
        } catch {
          return false;
        }
      })();
      if (staged) {
        child.kill('SIGTERM');
        sent = true;
      }
    }
    const code = await exited;
    expect(sent).toBe(true);
    expect(code).toBe(2);
    expect(stderr).toMatch(/interrupted by SIGTERM/);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
    expect(readdirSync(out).filter((f) => f.startsWith('report.'))).toEqual([]);
  }, 60_000);
});
