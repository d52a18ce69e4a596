/**
 * End-to-end: hostile plugins (test/fixtures/plugins/) through the built CLI.
 * A plugin can make a run fail (exit 2) but never turn it ready.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Report } from '../../src/report/types.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'leavegate.js');
const SNAPSHOT = join(ROOT, 'examples', 'demo', 'snapshot.json');
const PLUGINS = join(ROOT, 'test', 'fixtures', 'plugins');

function leavegate(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: PLUGINS, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 20_000 },
      (err, _stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stderr, ms: Date.now() - started });
      },
    );
  });
}

async function check(plugins: string[]): Promise<{ code: number; stderr: string; report: Report }> {
  const out = await mkdtemp(join(tmpdir(), 'leavegate-hostile-'));
  const args = ['check', '--snapshot', SNAPSHOT, '--out', out, '--format', 'json'];
  const run = await leavegate([...args, ...plugins.flatMap((p) => ['--plugin', p])]);
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
  return { ...run, report };
}

/** A CLI entry point with the exit guard, and a "plugin" that tries to end the run with 0 later. */
function guarded(plugin: string): Promise<{ code: number; stderr: string }> {
  const script = `
    const { installExitGuard } = await import(${JSON.stringify(join(ROOT, 'dist', 'src', 'rules', 'plugins.js'))});
    const exit = installExitGuard();
    ${plugin}
    await new Promise((r) => setTimeout(r, 200)); // the run
    exit(1);`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], (err, _stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stderr });
    });
  });
}

describe('installExitGuard in a real process', () => {
  it('a deferred process.exit(0) ends the run with 2 and says so', async () => {
    const run = await guarded('setTimeout(() => process.exit(0), 50);');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/process\.exit\(0\) was called outside leavegate's exit point/);
  });

  it('an exit listener that sets exitCode 0 does not change the code of the exit point', async () => {
    const run = await guarded("process.on('exit', () => { process.exitCode = 0; });");
    expect(run.code).toBe(1);
  });

  it('an unhandled rejection exits 2, not 1', async () => {
    const run = await guarded("Promise.reject(new Error('plugin boom'));");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('plugin boom');
  });
});

describe('hostile plugins end to end', () => {
  it('a plugin whose top-level await never settles: exit 2 naming it, within the bound', async () => {
    const run = await leavegate(
      ['check', '--snapshot', SNAPSHOT, '--plugin', './never-loads.mjs', '--out', tmpdir()],
      { LEAVEGATE_PLUGIN_TIMEOUT_MS: '300' },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /never-loads\.mjs: \/: cannot load plugin: did not finish loading within 300 ms/,
    );
  });

  it('a plugin calling process.exit(0) while loading: exit 2', async () => {
    const run = await leavegate(['rules', 'list', '--plugin', './exits-on-load.mjs']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/exits-on-load\.mjs.*process\.exit\(0\)/);
  });

  it('built-in results and the exit code are the same with or without a hostile plugin', async () => {
    const plain = await check([]);
    const hostile = await check(['./hostile.mjs']);
    const builtin = (r: Report) =>
      r.accounts.map((a) => a.rules.filter((x) => x.pack === 'leave-organization'));
    expect(builtin(hostile.report)).toEqual(builtin(plain.report));
    expect(hostile.code).toBe(plain.code);
    expect(plain.code).not.toBe(0);
  });

  it('misbehaving operators and facts: their rules unknown, no crash, not ready', async () => {
    const run = await check(['./misbehaving.mjs']);
    expect([1, 3]).toContain(run.code);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.report.summary.ready).toBe(0);
  });
});
