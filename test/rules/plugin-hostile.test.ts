/**
 * Plugins cannot be turned against the gate (DESIGN §4.5): hostile plugin
 * modules (test/fixtures/plugins/) through the library API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { evaluateSnapshot, loadGateConfig } from '../../src/check.js';
import { InputError } from '../../src/errors.js';
import { installExitGuard, loadPlugin } from '../../src/rules/plugins.js';
import type { Snapshot } from '../../src/snapshot/types.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PLUGINS = join(ROOT, 'test', 'fixtures', 'plugins');

function snapshot(): Snapshot {
  const s = JSON.parse(
    readFileSync(join(ROOT, 'test', 'fixtures', 'snapshots', 'small-org.json'), 'utf8'),
  ) as Snapshot;
  // Something for a plugin to hide: a closed account and a delegated administrator.
  s.accounts[1]!.state = 'SUSPENDED';
  return s;
}

async function loadError(plugin: string): Promise<InputError> {
  const err = await loadGateConfig({ plugins: [plugin], cwd: PLUGINS }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  expect((err as InputError).exitCode).toBe(2);
  return err as InputError;
}

describe('a hostile plugin', () => {
  it('cannot change a built-in result: the same with or without it', async () => {
    const plain = await evaluateSnapshot(snapshot(), 'x', await loadGateConfig({}));
    const input = snapshot();
    const hostile = await evaluateSnapshot(
      input,
      'x',
      await loadGateConfig({ plugins: ['./hostile.mjs'], cwd: PLUGINS }),
    );
    const builtin = (r: typeof plain) =>
      r.accounts.map((a) => ({
        id: a.accountId,
        rules: a.rules.filter((x) => x.pack === 'leave-organization'),
      }));
    expect(builtin(hostile)).toEqual(builtin(plain));
    expect(plain.accounts.map((a) => a.verdict)).toContain('blocked');
    expect(hostile.accounts.map((a) => a.verdict)).toEqual(plain.accounts.map((a) => a.verdict));
    // The snapshot it was given a copy of is untouched too.
    expect(input).toEqual(snapshot());
    // Its own rules ran: the operator saw frozen copies and returned true.
    const own = hostile.accounts[0]!.rules.find((r) => r.id === 'hostile-operator');
    expect(own?.status).toBe('pass');
  });

  it('an operator or fact returning what it must not makes its rule unknown, with the error', async () => {
    const config = await loadGateConfig({ plugins: ['./misbehaving.mjs'], cwd: PLUGINS });
    const report = await evaluateSnapshot(snapshot(), 'x', config);
    const byId = new Map(report.accounts[0]!.rules.map((r) => [r.id, r]));
    const expectUnknown = (id: string, text: RegExp) => {
      expect(byId.get(id)).toMatchObject({ status: 'unknown' });
      expect(byId.get(id)!.message).toMatch(text);
    };
    expectUnknown('m-opstring', /operator opString returned a string, not a boolean/);
    expectUnknown('m-oppromise', /operator opPromise returned a Promise, not a boolean/);
    expectUnknown('m-oprejects', /returned a Promise/);
    expectUnknown('m-opnever', /returned a Promise/);
    expectUnknown('m-opproxy', /operator opProxy returned an object, not a boolean/);
    expectUnknown('m-opthrowsproxy', /plugin misbehaving: operator opThrowsProxy failed: /);
    expectUnknown('m-opexits', /operator opExits called process\.exit\(0\)/);
    expectUnknown('m-opexitcode', /operator opExitCode set process\.exitCode = 0/);
    expect(process.exitCode).toBeUndefined();
    expectUnknown('m-fbigint', /fact fBigint failed: returned a bigint, not JSON/);
    expectUnknown('m-fsymbol', /returned a symbol, not JSON/);
    expectUnknown('m-ffunction', /returned a function, not JSON/);
    expectUnknown('m-fcycle', /returned a cycle at \/self, not JSON/);
    expectUnknown('m-fundefined', /plugin fact fUndefined gave no value/);
    expectUnknown('m-fpromise', /returned a Promise/);
    expectUnknown('m-fgetter', /getter!/);
    expectUnknown('m-fproxy', /returned a Proxy, not JSON/);
    expectUnknown('m-fnested', /returned a bigint at \/list\/1, not JSON/);
    expectUnknown('m-fexits', /fact fExits failed: called process\.exit\(0\)/);
    expectUnknown('m-fdate', /not plain data/);
    // Fail closed: blocking rules unknown, nothing ready.
    expect(report.accounts.every((a) => a.verdict !== 'ready')).toBe(true);
  });

  it('a top-level await that never settles is a load error naming the plugin, after the timeout', async () => {
    const started = Date.now();
    const err = await loadPlugin('./never-loads.mjs', PLUGINS, { timeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(
      /^\.\/never-loads\.mjs: \/: cannot load plugin: did not finish loading within 200 ms/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    process.env.LEAVEGATE_PLUGIN_TIMEOUT_MS = '100';
    try {
      expect((await loadError('./never-loads.mjs')).message).toContain('within 100 ms');
    } finally {
      delete process.env.LEAVEGATE_PLUGIN_TIMEOUT_MS;
    }
  });

  it('process.exit while loading is refused and a load error', async () => {
    const err = await loadError('./exits-on-load.mjs');
    expect(err.message).toMatch(
      /exits-on-load\.mjs: \/: cannot load plugin: called process\.exit\(0\)/,
    );
  });

  it('a default export whose properties throw is a load error naming the property', async () => {
    const err = await loadError('./throwing-export.mjs');
    expect(err.message).toMatch(/throwing-export\.mjs: \/operators: cannot be read: trap!/);
  });

  it('a cyclic rule is a load error naming the plugin and the path', async () => {
    const err = await loadError('./cyclic-rule.mjs');
    expect(err.code).toBe('plugin.invalid');
    expect(err.message).toMatch(
      /cyclic-rule\.mjs: \/rules\/0\/conditions\/all\/0\/value\/self: a rule must be plain JSON data, not a cycle/,
    );
  });
});

describe('installExitGuard', () => {
  function fake() {
    const exits: number[] = [];
    const handlers: ((err: unknown) => void)[] = [];
    const stderr: string[] = [];
    const proc = {
      exit: (code?: number | string | null) => {
        exits.push(Number(code));
        return undefined as never;
      },
      reallyExit: (code?: number | string | null) => {
        exits.push(Number(code));
        return undefined as never;
      },
      on: (_event: 'uncaughtException', h: (err: unknown) => void) => handlers.push(h),
    };
    const exit = installExitGuard({ process: proc, stderr: { write: (t) => stderr.push(t) } });
    return { proc, exit, exits, handlers, stderr };
  }

  it('the returned function exits with its code; an exit listener cannot change it', () => {
    const f = fake();
    f.exit(1);
    f.proc.reallyExit(0); // what Node's exit() does after an 'exit' listener set exitCode = 0
    expect(f.exits).toEqual([1, 1]);
    expect(f.stderr).toEqual([]);
  });

  it('process.exit(0) from anyone else exits 2 with a message', () => {
    const f = fake();
    f.proc.exit(0);
    f.proc.reallyExit(0);
    expect(f.exits).toEqual([2, 2]);
    expect(f.stderr.join('')).toMatch(
      /process\.exit\(0\) was called outside leavegate's exit point/,
    );
  });

  it('an uncaught exception exits 2, never 0 or 1', () => {
    const f = fake();
    f.handlers[0]!(new Error('boom'));
    expect(f.exits).toEqual([2]);
    expect(f.stderr.join('')).toContain('boom');
  });
});
