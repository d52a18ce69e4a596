/**
 * Condition operators (IAM User Guide, "IAM JSON policy elements: Condition
 * operators" and "Multivalued context keys") in three-valued logic: a key the
 * evaluator cannot know before the call yields 'unknown', never a guess.
 */
import { MULTIVALUED_KEYS, type ContextLookup } from './context.js';
import { LITERAL_QUESTION, LITERAL_STAR, unmark, wildcardMatch } from './wildcard.js';
import type { JsonValue } from '../json.js';
import type { Tri } from './types.js';

export type { Tri };

export function triAnd(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  if (a === true && b === true) return true;
  return 'unknown';
}

export function triOr(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  if (a === false && b === false) return false;
  return 'unknown';
}

export function triNot(a: Tri): Tri {
  return a === 'unknown' ? 'unknown' : !a;
}

type Family = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';

interface BaseOperator {
  family: Family;
  negated: boolean;
  /** Whether policy variables are substituted in this operator's values. */
  variables: boolean;
  /** Whether the policy value is a wildcard pattern. */
  like: boolean;
  test: (contextValue: string, policyValue: string) => boolean;
}

export function parseNumber(s: string): number | undefined {
  if (s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

export function parseDate(s: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

interface Cidr {
  v6: boolean;
  addr: bigint;
  bits: number;
}

function parseIp(s: string): Cidr | undefined {
  const [ip, prefix, ...extra] = s.trim().split('/');
  if (ip === undefined || extra.length > 0) return undefined;
  let v6 = false;
  let addr = 0n;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    for (const part of ip.split('.')) {
      const n = Number(part);
      if (n > 255) return undefined;
      addr = (addr << 8n) | BigInt(n);
    }
  } else if (ip.includes(':')) {
    v6 = true;
    const halves = ip.split('::');
    if (halves.length > 2) return undefined;
    const head = halves[0] ? halves[0].split(':') : [];
    const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
    const missing = 8 - head.length - tail.length;
    if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
    const groups = [
      ...head,
      ...Array<string>(halves.length === 2 ? missing : 0).fill('0'),
      ...tail,
    ];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      addr = (addr << 16n) | BigInt(parseInt(g, 16));
    }
  } else {
    return undefined;
  }
  const max = v6 ? 128 : 32;
  const bits = prefix === undefined ? max : Number(prefix);
  if (
    !Number.isInteger(bits) ||
    bits < 0 ||
    bits > max ||
    (prefix !== undefined && !/^\d+$/.test(prefix))
  )
    return undefined;
  return { v6, addr, bits };
}

/** Whether an address lies in a CIDR range (or equals an address); false when either does not parse. */
export function ipInRange(contextValue: string, policyValue: string): boolean {
  const ip = parseIp(contextValue);
  const net = parseIp(policyValue);
  if (!ip || !net || ip.v6 !== net.v6) return false;
  const width = net.v6 ? 128n : 32n;
  const shift = width - BigInt(net.bits);
  return ip.addr >> shift === net.addr >> shift;
}

function arnLike(contextValue: string, policyValue: string): boolean {
  const c = splitArn(contextValue);
  const p = splitArn(policyValue);
  if (!c || !p) return false;
  for (let i = 0; i < 6; i++) if (!wildcardMatch(p[i] ?? '', c[i] ?? '')) return false;
  return true;
}

function splitArn(s: string): string[] | undefined {
  const parts: string[] = [];
  let rest = s;
  for (let i = 0; i < 5; i++) {
    const at = rest.indexOf(':');
    if (at < 0) return undefined;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  return parts;
}

const eq = (c: string, p: string): boolean => c === unmark(p);
const eqIc = (c: string, p: string): boolean => c.toLowerCase() === unmark(p).toLowerCase();
const like = (c: string, p: string): boolean => wildcardMatch(p, c);

function op(
  family: Family,
  negated: boolean,
  test: BaseOperator['test'],
  like = false,
): BaseOperator {
  return { family, negated, test, like, variables: family === 'string' || family === 'arn' };
}

/** The six comparisons, named as the suffix of the Numeric* and Date* operators. */
const COMPARISONS: ReadonlyArray<[string, boolean, (a: number, b: number) => boolean]> = [
  ['equals', false, (a, b) => a === b],
  ['notequals', true, (a, b) => a === b],
  ['lessthan', false, (a, b) => a < b],
  ['lessthanequals', false, (a, b) => a <= b],
  ['greaterthan', false, (a, b) => a > b],
  ['greaterthanequals', false, (a, b) => a >= b],
];

/** The Numeric* or Date* operators: both sides parsed, a value that does not parse matches nothing. */
function comparisons(
  family: 'numeric' | 'date',
  parse: (s: string) => number | undefined,
): Array<[string, BaseOperator]> {
  return COMPARISONS.map(([suffix, negated, cmp]) => [
    family + suffix,
    op(family, negated, (c, p) => {
      const a = parse(c);
      const b = parse(p);
      return a !== undefined && b !== undefined && cmp(a, b);
    }),
  ]);
}

/** Base operators by lower-cased name. */
const OPERATORS: ReadonlyMap<string, BaseOperator> = new Map([
  ['stringequals', op('string', false, eq)],
  ['stringnotequals', op('string', true, eq)],
  ['stringequalsignorecase', op('string', false, eqIc)],
  ['stringnotequalsignorecase', op('string', true, eqIc)],
  ['stringlike', op('string', false, like, true)],
  ['stringnotlike', op('string', true, like, true)],
  ...comparisons('numeric', parseNumber),
  ...comparisons('date', parseDate),
  ['bool', op('bool', false, (c, p) => c.toLowerCase() === p.toLowerCase())],
  ['binaryequals', op('binary', false, (c, p) => c === p)],
  ['ipaddress', op('ip', false, ipInRange)],
  ['notipaddress', op('ip', true, ipInRange)],
  ['arnequals', op('arn', false, arnLike, true)],
  ['arnlike', op('arn', false, arnLike, true)],
  ['arnnotequals', op('arn', true, arnLike, true)],
  ['arnnotlike', op('arn', true, arnLike, true)],
  ['null', op('null', false, () => false)],
]);

export interface ParsedOperator {
  name: string;
  base: BaseOperator;
  set: 'ForAnyValue' | 'ForAllValues' | undefined;
  ifExists: boolean;
}

/** Parses `[ForAnyValue:|ForAllValues:]Operator[IfExists]`; undefined when it is not a known operator. */
export function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: ParsedOperator['set'];
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'foranyvalue') set = 'ForAnyValue';
    else if (prefix === 'forallvalues') set = 'ForAllValues';
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  let lower = rest.toLowerCase();
  let ifExists = false;
  if (lower.endsWith('ifexists')) {
    ifExists = true;
    lower = lower.slice(0, -'ifexists'.length);
  }
  const base = OPERATORS.get(lower);
  if (!base) return undefined;
  // Null tests presence itself: neither IfExists nor a set operator makes sense on it.
  if (base.family === 'null' && (ifExists || set !== undefined)) return undefined;
  return { name, base, set, ifExists };
}

/** A policy value, pre-split when it contains policy variables. */
export interface PolicyValue {
  raw: string;
  /** Literal text and variable references, or undefined when the value is plain text. */
  parts?: Array<string | { key: string; fallback?: string }>;
}

const VAR_RE = /\$\{([^}]*)\}/g;

/** Splits a value into literal text and `${key}` / `${key, 'default'}` references. */
export function compileValue(raw: string, variables: boolean): PolicyValue {
  if (!variables || !raw.includes('${')) return { raw };
  const parts: NonNullable<PolicyValue['parts']> = [];
  let last = 0;
  for (const m of raw.matchAll(VAR_RE)) {
    const at = m.index;
    if (at > last) parts.push(raw.slice(last, at));
    const inner = (m[1] ?? '').trim();
    if (inner === '*') parts.push(LITERAL_STAR);
    else if (inner === '?') parts.push(LITERAL_QUESTION);
    else if (inner === '$') parts.push('$');
    else {
      const dm = /^([^,]+?)\s*,\s*'([^']*)'$/.exec(inner);
      if (dm) parts.push({ key: dm[1] ?? '', fallback: dm[2] ?? '' });
      else parts.push({ key: inner });
    }
    last = at + m[0].length;
  }
  if (last < raw.length) parts.push(raw.slice(last));
  return { raw, parts };
}

/**
 * Resolves a value's variables: the text, `undefined` when a variable has no
 * value and no default (then the value matches nothing), or `null` when a
 * variable's key cannot be known before the call.
 */
function resolveValue(
  v: PolicyValue,
  ctx: ContextLookup,
  like: boolean,
): string | undefined | null {
  if (!v.parts) return v.raw;
  let out = '';
  for (const p of v.parts) {
    if (typeof p === 'string') {
      out += p;
      continue;
    }
    const cv = ctx.get(p.key);
    if (cv.kind === 'unknown') return null;
    let text: string | undefined;
    if (cv.kind === 'present' && cv.values.length === 1) text = cv.values[0];
    else text = p.fallback;
    if (text === undefined) return undefined;
    // A substituted value is literal text, even inside a Like pattern.
    out += like ? text.replaceAll('*', LITERAL_STAR).replaceAll('?', LITERAL_QUESTION) : text;
  }
  return out;
}

/** A condition value as text (policy values may be JSON numbers or booleans). */
export function scalarText(v: JsonValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A condition (operator, key, values) ready to evaluate. */
export interface CompiledCondition {
  operator: string;
  key: string;
  values: JsonValue[];
  parsed: ParsedOperator;
  policyValues: PolicyValue[];
}

export interface ConditionOutcome {
  result: Tri;
  contextValue: string[] | 'unknown' | undefined;
}

/** Whether one context value matches any of the policy values (three-valued because of variables). */
function matchesAny(c: string, cond: CompiledCondition, ctx: ContextLookup): Tri {
  const base = cond.parsed.base;
  let acc: Tri = false;
  for (const pv of cond.policyValues) {
    const resolved = resolveValue(pv, ctx, base.like);
    if (resolved === undefined) continue;
    if (resolved === null) {
      acc = 'unknown';
      continue;
    }
    if (base.test(c, resolved)) return true;
  }
  return acc;
}

/** Evaluates one condition against the request context. */
export function evaluateCondition(cond: CompiledCondition, ctx: ContextLookup): ConditionOutcome {
  const cv = ctx.get(cond.key);
  const { base, set, ifExists } = cond.parsed;
  if (cv.kind === 'unknown') return { result: 'unknown', contextValue: 'unknown' };
  if (base.family === 'null') {
    // Null: "true" asks for the key to be absent, "false" for it to be present; values OR.
    const absent = cv.kind === 'absent' || cv.values.length === 0;
    const result = cond.policyValues.some((v) =>
      v.raw.toLowerCase() === 'true' ? absent : !absent,
    );
    return { result, contextValue: cv.kind === 'present' ? cv.values : undefined };
  }
  const values = cv.kind === 'present' ? cv.values : [];
  if (values.length === 0) {
    // Absent key (or empty set): IfExists and ForAllValues are true, negated operators true,
    // ForAnyValue and positive operators false.
    let result: boolean;
    if (ifExists || set === 'ForAllValues') result = true;
    else if (set === 'ForAnyValue') result = false;
    else result = base.negated;
    return { result, contextValue: undefined };
  }
  const perValue = (c: string): Tri => {
    const m = matchesAny(c, cond, ctx);
    return base.negated ? triNot(m) : m;
  };
  let result: Tri;
  if (set === 'ForAllValues') {
    result = true;
    for (const c of values) result = triAnd(result, perValue(c));
  } else if (set === 'ForAnyValue' || !MULTIVALUED_KEYS.has(cond.key.toLowerCase())) {
    result = false;
    for (const c of values) result = triOr(result, perValue(c));
  } else {
    // A multivalued key without a set operator: positive operators match when any value does,
    // negated ones when no value matches.
    let any: Tri = false;
    for (const c of values) any = triOr(any, matchesAny(c, cond, ctx));
    result = base.negated ? triNot(any) : any;
  }
  return { result, contextValue: values };
}
