/**
 * What a rule's json-rules-engine outcome depends on, as a string: the cache
 * key of ./cached.ts.
 *
 * With the built-in operators the outcome (result, the evaluated condition
 * tree with what each condition found) is a function of the rule and of the
 * value the engine reads at each (fact, path) its conditions name — nothing
 * else: no clock (a rule sees time only through facts such as
 * `daysSinceJoined`, whose values are in the key), no waiver (the gate applies
 * them after the engine), no attestation but through the `attested` fact. So
 * the key is, per read, the value the engine would resolve — or that the fact
 * is absent, with its unknown reason — serialized exactly: insertion order
 * kept (the evidence is written in that order), undefined, -0, NaN and
 * Infinity kept apart. Anything this serializer cannot vouch for (a function,
 * a class instance, an accessor, a sparse array, a value too large) makes the
 * evaluation uncached rather than guessed.
 *
 * A rule is cacheable only when every operator it names is a built-in
 * comparison or array operator (optionally with json-rules-engine's built-in
 * decorators) that no plugin replaces, and every node of its conditions is
 * one this walk understands; see `ruleReads`.
 */
import { ARRAY_OPERATORS, pathSteps } from '../rules/operators.js';
import { BUILTIN_OPERATORS, OPERATOR_DECORATORS } from '../rules/load.js';
import type { AccountFacts } from '../facts/types.js';
import { SKIP_FACT } from './results.js';

/** A fact a rule's conditions read, at a path (as json-rules-engine reads it). */
export interface FactRead {
  fact: string;
  path: string;
}

/** Longest key kept: a larger input is evaluated without the cache. */
export const MAX_KEY_CHARS = 4096;
const MAX_DEPTH = 32;

const PURE_OPERATORS: ReadonlySet<string> = new Set([...BUILTIN_OPERATORS, ...ARRAY_OPERATORS]);
const DECORATORS: ReadonlySet<string> = new Set(OPERATOR_DECORATORS);

/** json-rules-engine's lookup (operator-map.js `get`): whole name first, then decorator by decorator. */
function isPureOperator(name: unknown, plugin: ReadonlySet<string>): boolean {
  if (typeof name !== 'string') return false;
  let rest = name;
  for (;;) {
    if (plugin.has(rest)) return false;
    if (PURE_OPERATORS.has(rest)) return true;
    const i = rest.indexOf(':');
    if (i <= 0 || !DECORATORS.has(rest.slice(0, i))) return false;
    rest = rest.slice(i + 1);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function leafReads(
  n: Record<string, unknown>,
  plugin: ReadonlySet<string>,
  out: FactRead[],
): boolean {
  if (typeof n.fact !== 'string' || n.fact === SKIP_FACT) return false;
  if (n.path !== undefined && typeof n.path !== 'string') return false;
  if (!isPureOperator(n.operator, plugin)) return false;
  out.push({ fact: n.fact, path: n.path ?? '' });
  // A value `{ fact, path? }` is read from the facts too (almanac.getValue).
  const v = n.value;
  if (isRecord(v) && Object.hasOwn(v, 'fact')) {
    if (typeof v.fact !== 'string' || v.fact === SKIP_FACT) return false;
    if (v.path !== undefined && typeof v.path !== 'string') return false;
    out.push({ fact: v.fact, path: v.path ?? '' });
  }
  return true;
}

/**
 * Every (fact, path) the conditions can read, or undefined when the rule must
 * not be cached: a plugin (or unknown) operator, a condition reference, a
 * node of a shape this walk does not know. Over-approximates on purpose: a
 * node with both `all` and `any` contributes both (a larger key is never wrong).
 */
export function ruleReads(
  conditions: unknown,
  pluginOperators: ReadonlySet<string>,
): FactRead[] | undefined {
  const out: FactRead[] = [];
  const walk = (node: unknown, depth: number): boolean => {
    if (!isRecord(node) || depth > MAX_DEPTH || Object.hasOwn(node, 'condition')) return false;
    let boolean = false;
    for (const key of ['all', 'any'] as const) {
      if (!Object.hasOwn(node, key)) continue;
      const list = node[key];
      if (!Array.isArray(list) || !list.every((c) => walk(c, depth + 1))) return false;
      boolean = true;
    }
    if (Object.hasOwn(node, 'not')) {
      if (!walk(node.not, depth + 1)) return false;
      boolean = true;
    }
    if (boolean && !Object.hasOwn(node, 'fact')) return true;
    return leafReads(node, pluginOperators, out);
  };
  if (!walk(conditions, 0)) return undefined;
  const seen = new Set<string>();
  return out.filter((r) => {
    const id = `${r.fact}\u0000${r.path}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
}

class Uncacheable extends Error {}

/** An own data property (never a getter: reading it must not run code or change). */
function data(value: object, key: string, enumerable = true): unknown {
  const d = Object.getOwnPropertyDescriptor(value, key);
  if (d === undefined || !('value' in d) || (enumerable && d.enumerable !== true))
    throw new Uncacheable();
  return d.value;
}

function plainOrThrow(value: object): void {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && proto !== Array.prototype)
    throw new Uncacheable();
}

/** resolvePath (the engine's path resolver) step by step, refusing what serialize refuses. */
function resolveChecked(value: object, path: string): unknown {
  let cur: unknown = value;
  for (const key of pathSteps(path)) {
    if (typeof cur === 'string' && key === 'length') cur = cur.length;
    else if (cur === null || typeof cur !== 'object') return undefined;
    else {
      plainOrThrow(cur);
      cur = Object.hasOwn(cur, key) ? data(cur, key, false) : undefined;
    }
  }
  return cur;
}

function serialize(value: unknown, depth: number, out: string[]): void {
  if (out.length > MAX_KEY_CHARS || depth > MAX_DEPTH) throw new Uncacheable();
  switch (typeof value) {
    case 'undefined':
      out.push('u');
      return;
    case 'boolean':
      out.push(value ? 't' : 'f');
      return;
    case 'number':
      out.push(Object.is(value, -0) ? 'd-0' : `d${value}`);
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new Uncacheable();
  }
  if (value === null) {
    out.push('n');
    return;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  const names = Object.getOwnPropertyNames(value);
  if (Object.getOwnPropertySymbols(value).length > 0) throw new Uncacheable();
  if (Array.isArray(value)) {
    if (proto !== Array.prototype || names.length !== value.length + 1) throw new Uncacheable();
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      serialize(data(value, String(i)), depth + 1, out);
    }
    out.push(']');
    return;
  }
  if (proto !== Object.prototype && proto !== null) throw new Uncacheable();
  out.push('{');
  names.forEach((k, i) => {
    out.push(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:`);
    serialize(data(value, k), depth + 1, out);
  });
  out.push('}');
}

/** The value json-rules-engine reads for `read` (almanac.factValue), serialized; undefined when uncacheable. */
function readKey(read: FactRead, facts: AccountFacts): string | undefined {
  const { known } = facts;
  // engine.run is given `{ ...facts.known }`: own enumerable properties are the facts.
  if (!Object.prototype.propertyIsEnumerable.call(known, read.fact)) {
    const reason = facts.unknown[read.fact];
    return reason === undefined ? 'a' : `x${JSON.stringify(reason)}`;
  }
  const raw = known[read.fact];
  // A function would be a dynamic fact (computed by the engine); never cached.
  if (typeof raw === 'function') return undefined;
  const out: string[] = ['k'];
  try {
    // As almanac.factValue: the path is resolved in objects only; any other value is itself.
    const value =
      read.path !== '' && raw !== null && typeof raw === 'object'
        ? resolveChecked(raw, read.path)
        : raw;
    serialize(value, 0, out);
  } catch (err) {
    if (err instanceof Uncacheable) return undefined;
    throw err;
  }
  const text = out.join('');
  return text.length > MAX_KEY_CHARS ? undefined : text;
}

/**
 * The key of one account's inputs to a rule with reads `reads`, or undefined
 * when they cannot be keyed exactly. `memo` holds this account's keys by
 * (fact, path), shared between its rules.
 */
export function inputKey(
  reads: readonly FactRead[],
  facts: AccountFacts,
  memo: Map<string, string | undefined>,
): string | undefined {
  const parts: string[] = [];
  for (const read of reads) {
    const id = `${read.fact}\u0000${read.path}`;
    let part: string | undefined;
    if (memo.has(id)) part = memo.get(id);
    else memo.set(id, (part = readKey(read, facts)));
    if (part === undefined) return undefined;
    parts.push(part);
  }
  const key = parts.join('\u0001');
  return key.length > MAX_KEY_CHARS ? undefined : key;
}
