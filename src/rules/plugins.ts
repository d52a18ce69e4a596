/**
 * Code plugins (DESIGN §4.5): an ES module whose default export is
 * `{ name, version, rules?, operators?, facts? }`.
 *
 * Plugin code is code the user chose to run, but it must not be able to turn
 * the gate: it only ever sees copies of leavegate's data (frozen), gives back
 * values that are checked (a boolean from an operator, JSON from a fact, plain
 * data for rules), cannot end the process while it runs, and a module that
 * never finishes loading is an error after a bounded time. Whatever goes
 * wrong becomes a load error (exit 2) or an `unknown` rule, never a crash.
 */
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError, type Issue } from '../errors.js';
import { BUILTIN_FACTS } from '../facts/registry.js';
import type { PluginFact } from '../facts/types.js';
import type { AccountRecord, Snapshot } from '../snapshot/types.js';
import { frozenClone, ignoreRejection, jsonCopy, NotJsonError } from './json-copy.js';
import { ARRAY_OPERATORS } from './operators.js';
import { BUILTIN_OPERATORS } from './load.js';
import type { OperatorFn, RuleFile } from './types.js';

export interface LoadedPlugin {
  name: string;
  version: string;
  source: string;
  rules: RuleFile[];
  /** Guarded: plugin errors carry the plugin's name; process.exit is refused while they run. */
  operators: Record<string, OperatorFn>;
  /** Guarded as operators; the value is a frozen JSON copy, undefined when not provided. */
  facts: Record<string, PluginFact>;
}

/** How long a plugin module may take to load (import, top-level await) before it is an error. */
export const DEFAULT_PLUGIN_LOAD_TIMEOUT_MS = 30_000;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Text of whatever was thrown, without trusting it (a getter or Proxy may throw again). */
export function errorText(err: unknown): string {
  try {
    if (err instanceof Error) return String(err.message);
    if (typeof err === 'string') return err;
    return `a thrown ${err === null ? 'null' : typeof err}`;
  } catch {
    return 'an error that cannot be read';
  }
}

// --- process.exit while plugin code runs -----------------------------------

type ExitFn = (code?: number | string | null) => never;
interface ExitProcess {
  exit: ExitFn;
  reallyExit?: ExitFn;
}

/** One stretch of plugin code running; it records a refused exit. */
interface Frame {
  exitAttempt?: string;
  /** process.exitCode before the plugin ran: what it is put back to if the plugin changed it. */
  exitCode: typeof process.exitCode;
}
const frames = new Set<Frame>();
let saved: { exit: ExitFn; reallyExit: ExitFn | undefined } | undefined;

function refuseExit(code?: number | string | null): never {
  const attempt = `called process.exit(${String(code ?? '')})`;
  for (const f of frames) f.exitAttempt ??= attempt;
  throw new Error(`${attempt}: a plugin cannot end leavegate`);
}

function enterPluginCode(): Frame {
  if (frames.size === 0) {
    const proc = process as unknown as ExitProcess;
    saved = { exit: proc.exit, reallyExit: proc.reallyExit };
    proc.exit = refuseExit;
    if (proc.reallyExit !== undefined) proc.reallyExit = refuseExit;
  }
  const frame: Frame = { exitCode: process.exitCode };
  frames.add(frame);
  return frame;
}

/** Ends a frame (once); returns the exit it refused, if any. */
function leavePluginCode(frame: Frame): string | undefined {
  if (frames.has(frame) && process.exitCode !== frame.exitCode) {
    frame.exitAttempt ??= `set process.exitCode = ${String(process.exitCode)}`;
    process.exitCode = frame.exitCode;
  }
  if (frames.delete(frame) && frames.size === 0 && saved !== undefined) {
    const proc = process as unknown as ExitProcess;
    proc.exit = saved.exit;
    if (saved.reallyExit !== undefined) proc.reallyExit = saved.reallyExit;
    saved = undefined;
  }
  return frame.exitAttempt;
}

/**
 * Runs plugin code synchronously: process.exit is refused meanwhile (even if
 * the plugin catches the refusal, the call is an error), and anything thrown
 * comes back as an Error naming `what`.
 */
function runPluginCode<T>(what: string, fn: () => T): T {
  const frame = enterPluginCode();
  let out: T;
  try {
    out = fn();
  } catch (err) {
    leavePluginCode(frame);
    throw new Error(`${what} failed: ${errorText(err)}`);
  }
  const attempt = leavePluginCode(frame);
  if (attempt !== undefined) throw new Error(`${what} ${attempt}`);
  return out;
}

/**
 * Rejects with `onTimeout()` when `work` has not settled after `ms`. The
 * timer keeps the event loop alive meanwhile, so a never-settling top-level
 * await is reported instead of Node exiting 13 without a word.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

// --- the default export ------------------------------------------------------

/** Reads a property of plugin-provided data; a throwing getter or Proxy becomes an issue. */
function read(obj: object, key: string, source: string, pointer: string, issues: Issue[]): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch (err) {
    issues.push({ file: source, path: pointer, message: `cannot be read: ${errorText(err)}` });
    return undefined;
  }
}

function functions(
  value: unknown,
  source: string,
  pointer: string,
  issues: Issue[],
): Record<string, (...args: never[]) => unknown> {
  const out: Record<string, (...args: never[]) => unknown> = {};
  if (value === undefined) return out;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    issues.push({ file: source, path: pointer, message: 'must be an object of functions' });
    return out;
  }
  let names: string[];
  try {
    names = Object.keys(value);
  } catch (err) {
    issues.push({ file: source, path: pointer, message: `cannot be read: ${errorText(err)}` });
    return out;
  }
  for (const key of names) {
    const fn = read(value, key, source, `${pointer}/${key}`, issues);
    if (!NAME.test(key))
      issues.push({ file: source, path: `${pointer}/${key}`, message: 'must be an identifier' });
    else if (typeof fn !== 'function')
      issues.push({ file: source, path: `${pointer}/${key}`, message: 'must be a function' });
    else out[key] = fn as (...args: never[]) => unknown;
  }
  return out;
}

function guardOperator(plugin: string, name: string, fn: OperatorFn): OperatorFn {
  // The engine hands plugin operators frozen copies and checks that they return a boolean.
  return (factValue, jsonValue) =>
    runPluginCode(`plugin ${plugin}: operator ${name}`, () => fn(factValue, jsonValue));
}

function guardFact(plugin: string, name: string, fn: PluginFact): PluginFact {
  const what = `plugin ${plugin}: fact ${name}`;
  return (account, snapshot, attestations) =>
    runPluginCode(what, () => {
      const value = fn(account, snapshot, attestations);
      if (value === undefined) return undefined;
      ignoreRejection(value);
      try {
        // Inside runPluginCode: the copy runs the value's getters, which are plugin code.
        return jsonCopy(value, { freeze: true });
      } catch (err) {
        if (!(err instanceof NotJsonError)) throw err;
        const where = err.pointer === '' ? '' : ` at ${err.pointer}`;
        throw new Error(`returned ${err.what}${where}, not JSON`);
      }
    });
}

function pluginRules(value: unknown, source: string, issues: Issue[]): RuleFile[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.push({ file: source, path: '/rules', message: 'must be an array of rule objects' });
    return [];
  }
  try {
    // A copy: the plugin keeps no reference to the rules the engine runs.
    return jsonCopy(value) as RuleFile[];
  } catch (err) {
    const path = err instanceof NotJsonError ? `/rules${err.pointer}` : '/rules';
    const message =
      err instanceof NotJsonError
        ? `a rule must be plain JSON data, not ${err.what}`
        : `cannot be read: ${errorText(err)}`;
    issues.push({ file: source, path, message });
    return [];
  }
}

/** Checks a plugin's default export; throws InputError (plugin.invalid) on any problem. */
export function validatePlugin(value: unknown, source: string): LoadedPlugin {
  const issues: Issue[] = [];
  if (value === null || typeof value !== 'object') {
    throw new InputError('plugin.invalid', [
      {
        file: source,
        path: '',
        message: 'default export must be an object { name, version, rules, operators, facts }',
      },
    ]);
  }
  const field = (key: string): unknown => read(value, key, source, `/${key}`, issues);
  const name = field('name');
  const version = field('version');
  if (typeof name !== 'string' || name === '')
    issues.push({ file: source, path: '/name', message: 'must be a non-empty string' });
  if (typeof version !== 'string' || version === '')
    issues.push({ file: source, path: '/version', message: 'must be a non-empty string' });
  const rules = pluginRules(field('rules'), source, issues);
  const operators = functions(field('operators'), source, '/operators', issues);
  const facts = functions(field('facts'), source, '/facts', issues);
  for (const op of Object.keys(operators)) {
    if ([...BUILTIN_OPERATORS, ...ARRAY_OPERATORS].includes(op as never)) {
      issues.push({
        file: source,
        path: `/operators/${op}`,
        message: `cannot replace the built-in operator "${op}"`,
      });
    }
  }
  for (const fact of Object.keys(facts)) {
    if (fact in BUILTIN_FACTS)
      issues.push({
        file: source,
        path: `/facts/${fact}`,
        message: `cannot replace the built-in fact "${fact}"`,
      });
  }
  if (issues.length > 0) throw new InputError('plugin.invalid', issues);
  const label = name as string;
  return {
    name: label,
    version: version as string,
    source,
    rules,
    operators: Object.fromEntries(
      Object.entries(operators).map(([k, fn]) => [k, guardOperator(label, k, fn as OperatorFn)]),
    ),
    facts: Object.fromEntries(
      Object.entries(facts).map(([k, fn]) => [k, guardFact(label, k, fn as PluginFact)]),
    ),
  };
}

export interface PluginLoadOptions {
  /** Default: LEAVEGATE_PLUGIN_TIMEOUT_MS from the environment, else 30 s. */
  timeoutMs?: number;
}

function loadTimeout(options: PluginLoadOptions): number {
  if (options.timeoutMs !== undefined) return options.timeoutMs;
  const env = Number(process.env.LEAVEGATE_PLUGIN_TIMEOUT_MS);
  return Number.isFinite(env) && env > 0 ? env : DEFAULT_PLUGIN_LOAD_TIMEOUT_MS;
}

async function importPlugin(target: string, frame: Frame): Promise<unknown> {
  let mod: unknown;
  try {
    mod = await import(target);
  } finally {
    leavePluginCode(frame);
  }
  if (frame.exitAttempt !== undefined) throw new Error(frame.exitAttempt);
  const issues: Issue[] = [];
  const value = read(mod as object, 'default', target, '', issues);
  if (issues.length > 0) throw new Error(issues[0]?.message);
  return value;
}

/**
 * Imports a plugin by path (`./acme.mjs`, relative to cwd) or package name.
 * A plugin that has not finished loading after the timeout is an InputError
 * naming it.
 */
export async function loadPlugin(
  spec: string,
  cwd: string = process.cwd(),
  options: PluginLoadOptions = {},
): Promise<LoadedPlugin> {
  const isPath = spec.startsWith('.') || isAbsolute(spec);
  let target = isPath ? pathToFileURL(resolve(cwd, spec)).href : spec;
  if (!isPath) {
    // A package name resolves from the user's project (cwd), not from leavegate's own install.
    try {
      target = pathToFileURL(createRequire(join(cwd, 'package.json')).resolve(spec)).href;
    } catch {
      // ESM-only packages without a "require" export: let import() resolve it.
    }
  }
  const ms = loadTimeout(options);
  let value: unknown;
  // Ended when the import settles or times out, whichever comes first.
  const frame = enterPluginCode();
  try {
    value = await withTimeout(
      importPlugin(target, frame),
      ms,
      () =>
        new Error(`did not finish loading within ${ms} ms (a top-level await that never settles?)`),
    );
  } catch (err) {
    throw new InputError('plugin.invalid', [
      {
        file: spec,
        path: '',
        message: `cannot load plugin: ${frame.exitAttempt ?? errorText(err)}`,
      },
    ]);
  } finally {
    leavePluginCode(frame);
  }
  return validatePlugin(value, spec);
}

// --- what plugin facts see ---------------------------------------------------

interface FrozenView {
  snapshot: Snapshot;
  accounts: Map<AccountRecord, AccountRecord>;
}
const views = new WeakMap<object, FrozenView>();

/**
 * The frozen copy of `snapshot` plugin facts receive, and its entry for
 * `account`: copied once per `run` (any object that lives as long as one
 * derivation), so a plugin can neither change what built-in facts are
 * derived from nor see another run's data.
 */
export function pluginFactInputs(
  run: object,
  snapshot: Snapshot,
  account: AccountRecord,
): { account: AccountRecord; snapshot: Snapshot } {
  let view = views.get(run);
  if (view === undefined) {
    const copy = frozenClone(snapshot);
    const accounts = new Map(snapshot.accounts.map((a, i) => [a, copy.accounts[i] ?? a]));
    views.set(run, (view = { snapshot: copy, accounts }));
  }
  return { account: view.accounts.get(account) ?? frozenClone(account), snapshot: view.snapshot };
}

// The process exit guard lives in src/exit-guard.ts: bin/leavegate.js installs it
// before anything else loads, and importing this module would load the rule loader.
export { installExitGuard, type ExitGuardOptions } from '../exit-guard.js';
