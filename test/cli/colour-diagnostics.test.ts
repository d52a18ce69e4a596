/** NO_COLOR / FORCE_COLOR precedence, and --verbose / --debug diagnostics on stderr. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { colourEnabled } from '../../src/cli/output.js';
import { packageRoot } from '../../src/paths.js';
import { runMain } from './capture-io.js';

const demo = join(packageRoot(), 'examples', 'demo');
const cwd = mkdtempSync(join(tmpdir(), 'leavegate-colour-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const ESC = '\u001b[';

describe('colourEnabled', () => {
  const tty = { write: () => undefined, isTTY: true };
  const pipe = { write: () => undefined, isTTY: false };
  it.each([
    ['a terminal', tty, {}, true],
    ['a pipe', pipe, {}, false],
    ['TERM=dumb', tty, { TERM: 'dumb' }, false],
    ['NO_COLOR on a terminal', tty, { NO_COLOR: '1' }, false],
    ['NO_COLOR beats FORCE_COLOR', pipe, { NO_COLOR: '1', FORCE_COLOR: '3' }, false],
    ['empty NO_COLOR is unset', pipe, { NO_COLOR: '', FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR=0 on a terminal', tty, { FORCE_COLOR: '0' }, false],
    ['FORCE_COLOR=false', tty, { FORCE_COLOR: 'false' }, false],
    ['FORCE_COLOR=1 on a pipe', pipe, { FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR=2 on a pipe', pipe, { FORCE_COLOR: '2' }, true],
    ['FORCE_COLOR=3 with TERM=dumb', pipe, { FORCE_COLOR: '3', TERM: 'dumb' }, true],
  ])('%s', (_name, stream, env, expected) => {
    expect(colourEnabled(stream, env as NodeJS.ProcessEnv)).toBe(expected);
  });
});

const check = (env: NodeJS.ProcessEnv, ...extra: string[]) =>
  runMain(
    [
      'check',
      '--snapshot',
      join(demo, 'snapshot.json'),
      '--out',
      join(cwd, 'r'),
      '--format',
      'json',
      ...extra,
    ],
    { cwd, env },
  );

describe('the summary through the CLI (not a terminal)', () => {
  it('FORCE_COLOR=1 colours it, nothing else does', async () => {
    expect((await check({ FORCE_COLOR: '1' })).stdout).toContain(ESC);
    expect((await check({})).stdout).not.toContain(ESC);
    expect((await check({ FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toContain(ESC);
  });
});

describe('--verbose and --debug', () => {
  it('--verbose says what was loaded and how long it took, on stderr only', async () => {
    const quiet = await check({ NO_COLOR: '1' });
    const loud = await check({ NO_COLOR: '1' }, '--verbose');
    expect(loud.code).toBe(quiet.code);
    expect(loud.stdout).toBe(quiet.stdout);
    expect(loud.stderr).toMatch(/\[\d+ ms\] rule pack leave-organization@[\d.]+: 12 rules from /);
    expect(loud.stderr).toMatch(
      /\[\d+ ms\] snapshot .*snapshot\.json: 13 accounts \(sha256 [0-9a-f]{64}\)/,
    );
    expect(loud.stderr).toMatch(/\[\d+ ms\] evaluated 13 accounts in \d+ ms/);
    expect(loud.stderr).toMatch(/\[\d+ ms\] wrote json to /);
    expect(quiet.stderr).not.toMatch(/\[\d+ ms\]/);
  });

  it('--verbose names where each setting came from', async () => {
    const r = await check({ NO_COLOR: '1', LEAVEGATE_FAIL_ON: 'warning' }, '--verbose');
    expect(r.stderr).toMatch(/--fail-on from LEAVEGATE_FAIL_ON: "warning"/);
  });

  it('--debug implies the diagnostics', async () => {
    expect((await check({ NO_COLOR: '1' }, '--debug')).stderr).toMatch(
      /\[\d+ ms\] evaluated 13 accounts/,
    );
  });
});
