/**
 * `--out -`: the one requested format on stdout and nothing else, the human
 * summary on stderr, the verdict as the exit code; several formats or html
 * with `--out -` are a usage error.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { XMLParser } from 'fast-xml-parser';
import { packageRoot } from '../../src/paths.js';
import { runMain } from './capture-io.js';

const demo = join(packageRoot(), 'examples', 'demo');
const snapshot = join(demo, 'snapshot.json');
const attestations = join(demo, 'attestations.json');
const cwd = mkdtempSync(join(tmpdir(), 'leavegate-stdout-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const check = (...extra: string[]) =>
  runMain(['check', '--snapshot', snapshot, '--attestations', attestations, ...extra], { cwd });

describe('check --out -', () => {
  it('json: stdout is exactly the report document, the summary is on stderr, exit is the verdict', async () => {
    const r = await check('--out', '-', '--format', 'json');
    expect(r.code).toBe(1); // the demo has blocked accounts
    const report = JSON.parse(r.stdout) as { summary: { blocked: number; accounts: number } };
    expect(report.summary.accounts).toBe(13);
    expect(report.summary.blocked).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/13 accounts: \d+ ready, \d+ blocked/);
    expect(r.stdout).not.toMatch(/BLOCKED|reports:/);
    // Nothing was written into the working directory (no "-" directory, no reports/).
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('without --format it writes json', async () => {
    const r = await check('--out', '-');
    expect(r.code).toBe(1);
    expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
  });

  it.each([
    ['sarif', (t: string) => expect((JSON.parse(t) as { version: string }).version).toBe('2.1.0')],
    [
      'junit',
      (t: string) =>
        expect(new XMLParser().parse(t) as Record<string, unknown>).toHaveProperty('testsuites'),
    ],
    ['md', (t: string) => expect(t).toMatch(/^# /m)],
  ])('%s: the document alone on stdout', async (format, isDocument) => {
    const r = await check('--out', '-', '--format', format);
    expect(r.code).toBe(1);
    isDocument(r.stdout);
    expect(r.stderr).toMatch(/13 accounts/);
  });

  it.each([['json,md'], ['html'], ['json,html']])(
    '--format %s with --out - is a usage error (exit 2), nothing on stdout',
    async (formats) => {
      const r = await check('--out', '-', '--format', formats);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/--out -/);
    },
  );

  it('the same document as the file check writes', async () => {
    const out = join(cwd, 'dir');
    await check('--out', out, '--format', 'json');
    const r = await check('--out', '-', '--format', 'json');
    // Only the run's own time, duration and command line differ between the two runs.
    const norm = (text: string) => {
      const {
        generatedAt: _g,
        stats: _s,
        inputs,
        ...rest
      } = JSON.parse(text) as Record<string, unknown> & { inputs: Record<string, unknown> };
      const { commandLine: _c, ...inputsRest } = inputs;
      return { ...rest, inputs: inputsRest };
    };
    expect(norm(r.stdout)).toEqual(norm(readFileSync(join(out, 'report.json'), 'utf8')));
    rmSync(out, { recursive: true });
  });
});

describe('report --out -', () => {
  it('renders an existing report.json to stdout in the one format', async () => {
    const out = join(cwd, 'src');
    await check('--out', out, '--format', 'json');
    const r = await runMain(
      ['report', join(out, 'report.json'), '--format', 'sarif', '--out', '-'],
      {
        cwd,
      },
    );
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { runs: unknown[] }).runs.length).toBeGreaterThan(0);
    const two = await runMain(
      ['report', join(out, 'report.json'), '--format', 'sarif,md', '--out', '-'],
      { cwd },
    );
    expect(two.code).toBe(2);
    expect(two.stdout).toBe('');
    rmSync(out, { recursive: true });
  });
});

describe('leave --out -', () => {
  it('is refused before anything happens: an executor writes a directory', async () => {
    const r = await runMain(['leave', '--account', '222222222222', '--out', '-', '--yes'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out -: leave writes/);
  });
});
