/**
 * The in-process harness (test/harness/in-process.ts) isolates runs: the
 * environment is exactly the one given, and whatever a run leaves in the
 * process (a listener, a timer, another working directory) fails that run
 * and is undone, instead of leaking into the next test. The probes are
 * plugins, loaded by the real `rules list --plugin`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runMain } from '../harness/in-process.js';

const work = mkdtempSync(join(tmpdir(), 'leavegate-harness-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;

/** A plugin whose module body is `body` (a fresh file each time: modules load once per path). */
function plugin(body: string): string {
  const file = join(work, `probe-${++n}.mjs`);
  writeFileSync(file, `${body}\nexport default { name: 'probe-${n}', version: '1.0.0' };\n`);
  return file;
}

const listRules = (file: string, env?: NodeJS.ProcessEnv) =>
  runMain(['rules', 'list', '--plugin', file], { cwd: work, ...(env && { env }) });

describe('the in-process harness', () => {
  it('runs main for real: exit code and output of the command', async () => {
    const r = await runMain(['rules', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('waiting-period-elapsed');
    expect((await runMain(['frobnicate'])).code).toBe(2);
  });

  it('the run sees exactly the given environment; the test process keeps its own', async () => {
    const seen = join(work, 'env.json');
    process.env.LEAVEGATE_HARNESS_OUTSIDE = 'outside';
    try {
      const file = plugin(
        `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(seen)}, JSON.stringify(process.env));\nprocess.env.LEAVEGATE_HARNESS_SET_BY_RUN = 'x';`,
      );
      const r = await listRules(file, { NO_COLOR: '1', LEAVEGATE_HARNESS_INSIDE: 'inside' });
      expect(r.code).toBe(0);
      const env = JSON.parse(readFileSync(seen, 'utf8')) as Record<string, string>;
      expect(env.LEAVEGATE_HARNESS_INSIDE).toBe('inside');
      expect(env.LEAVEGATE_HARNESS_OUTSIDE).toBeUndefined();
      expect(process.env.LEAVEGATE_HARNESS_OUTSIDE).toBe('outside');
      expect(process.env.LEAVEGATE_HARNESS_INSIDE).toBeUndefined();
      expect(process.env.LEAVEGATE_HARNESS_SET_BY_RUN).toBeUndefined();
    } finally {
      delete process.env.LEAVEGATE_HARNESS_OUTSIDE;
    }
  });

  it('a signal listener left behind fails the run and is removed', async () => {
    const before = process.listenerCount('SIGINT');
    const file = plugin(`process.on('SIGINT', () => undefined);`);
    await expect(listRules(file)).rejects.toThrow(/left a 'SIGINT' listener/);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('a pending timer fails the run', async () => {
    const file = plugin(`globalThis.__leavegateProbeTimer = setTimeout(() => undefined, 60_000);`);
    try {
      await expect(listRules(file)).rejects.toThrow(/1 timer\(s\) still pending/);
    } finally {
      clearTimeout(
        (globalThis as { __leavegateProbeTimer?: NodeJS.Timeout }).__leavegateProbeTimer,
      );
    }
  });

  it('a timer the run cleared or saw fire is no leak', async () => {
    const file = plugin(
      `clearTimeout(setTimeout(() => undefined, 60_000));\nawait new Promise((r) => setTimeout(r, 1));`,
    );
    expect((await listRules(file)).code).toBe(0);
  });

  it('a change of working directory fails the run and is undone', async () => {
    const cwd = process.cwd();
    const file = plugin(`process.chdir(${JSON.stringify(tmpdir())});`);
    await expect(listRules(file)).rejects.toThrow(/the working directory changed/);
    expect(process.cwd()).toBe(cwd);
  });
});
