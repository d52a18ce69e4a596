/**
 * Copies of values that cross the border between leavegate and plugin code.
 * A plugin gets copies (so it cannot rewrite what built-in rules read) and
 * gives back JSON (so a BigInt, a function, a cycle or a getter cannot reach
 * the engine or a report).
 */
import { types } from 'node:util';

// Taken before any plugin runs: a plugin that replaces the globals cannot defeat the copies.
const freeze = Object.freeze;
const clone = globalThis.structuredClone;
const getPrototypeOf = Object.getPrototypeOf;
const keys = Object.keys;
const defineProperty = Object.defineProperty;
const isArray = Array.isArray;

const MAX_DEPTH = 200;

/** A value is not JSON: `pointer` is the JSON pointer of the first offending part. */
export class NotJsonError extends Error {
  readonly pointer: string;
  readonly what: string;
  constructor(pointer: string, what: string) {
    super(`${pointer === '' ? 'the value' : pointer} is ${what}, not JSON`);
    this.name = 'NotJsonError';
    this.pointer = pointer;
    this.what = what;
  }
}

const noop = (): void => undefined;

/**
 * A promise where a synchronous value belongs is refused; its rejection must
 * not become an unhandled rejection that ends the process.
 */
export function ignoreRejection(value: unknown): void {
  if (types.isPromise(value)) void Promise.prototype.then.call(value, noop, noop);
}

function escapeKey(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function copy(value: unknown, pointer: string, ancestors: object[], frozen: boolean): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new NotJsonError(pointer, String(value));
      return value;
    case 'undefined':
    case 'bigint':
    case 'symbol':
    case 'function':
      throw new NotJsonError(pointer, `a ${typeof value}`);
    default:
  }
  if (value === null) return null;
  // Checked without running any of the value's code (no trap, no getter).
  if (types.isPromise(value))
    throw new NotJsonError(pointer, 'a Promise (plugin code must be synchronous)');
  if (types.isProxy(value)) throw new NotJsonError(pointer, 'a Proxy');
  const obj = value as object;
  if (ancestors.includes(obj)) throw new NotJsonError(pointer, 'a cycle');
  if (ancestors.length >= MAX_DEPTH) throw new NotJsonError(pointer, 'nested too deeply');
  ancestors.push(obj);
  let out: unknown[] | Record<string, unknown>;
  if (isArray(obj)) {
    out = [];
    const list = obj as unknown[];
    for (let i = 0; i < list.length; i++)
      out.push(copy(list[i], `${pointer}/${i}`, ancestors, frozen));
  } else {
    const proto: unknown = getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null)
      throw new NotJsonError(pointer, 'an object that is not plain data');
    out = {};
    for (const key of keys(obj)) {
      const v = copy(
        (obj as Record<string, unknown>)[key],
        `${pointer}/${escapeKey(key)}`,
        ancestors,
        frozen,
      );
      // defineProperty: a "__proto__" key stays a key.
      defineProperty(out, key, {
        value: v,
        enumerable: true,
        writable: !frozen,
        configurable: !frozen,
      });
    }
  }
  ancestors.pop();
  return frozen ? freeze(out) : out;
}

/**
 * A deep copy of a JSON value (own enumerable string keys of plain objects,
 * arrays, finite numbers, strings, booleans, null). Throws NotJsonError for
 * anything else; errors thrown by getters propagate to the caller.
 */
export function jsonCopy(value: unknown, options: { freeze?: boolean } = {}): unknown {
  return copy(value, '', [], options.freeze === true);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    freeze(value);
    for (const key of keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** A deep-frozen copy of leavegate's own data (facts, rule values) for plugin code to read. */
export function frozenClone<T>(value: T): T {
  return deepFreeze(clone(value));
}
