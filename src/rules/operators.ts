/**
 * Built-in array operators: `someElement` and `everyElement` test a nested
 * *element condition* against each element of an array fact, so "some tag
 * has key Owner" needs no plugin:
 *
 * ```json
 * { "fact": "tags", "operator": "someElement",
 *   "value": { "path": "$.key", "operator": "equal", "value": "Owner" } }
 * ```
 *
 * An element condition is `{ path?, operator, value }` (the path is read in
 * the element; without it the element itself is compared) or `all` / `any` /
 * `not` of element conditions. Its operators are json-rules-engine's
 * comparison operators and, for arrays inside elements, these two again.
 *
 * Three-valued, failing closed: the fact itself unknown leaves the rule
 * unknown before it runs (the facts layer); a fact value that is not an
 * array (null, absent path) cannot be answered and makes the rule unknown
 * (the operator throws, the engine reports the rule unknown with the
 * reason); an element whose path has no value is "unknown" for that element:
 * `someElement` is true as soon as one element matches, false only when every
 * element was decided and none matched, and unknown otherwise (likewise
 * `everyElement`). An unknown never becomes a pass.
 */
import type { Issue } from '../errors.js';

/**
 * json-rules-engine 7's built-in operators: what rules may name besides the array
 * operators, and the operators of element conditions.
 */
export const COMPARISON_OPERATORS = [
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
] as const;

/** The built-in array operators (registered on every engine, cannot be replaced by plugins). */
export const ARRAY_OPERATORS = ['someElement', 'everyElement'] as const;
export type ArrayOperator = (typeof ARRAY_OPERATORS)[number];

/** Three-valued: undefined is "cannot tell". */
type Tri = boolean | undefined;

const PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*|\[[0-9]+\])*$/;

/** One step of a `$.a.b[0]` path. */
export const PATH_STEP = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g;

/**
 * Simple `$.a.b[0]` paths (the rule schema allows nothing else), the engine's
 * path resolver too (engine/jre.ts): much faster than JSONPath. `.length` also
 * works on strings, as in JSONPath. Own properties only: a rule path must
 * never reach the prototype chain.
 */
export function resolvePath(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const step of pathSteps(path)) {
    if (typeof cur === 'string' && step === 'length') cur = cur.length;
    else if (cur === null || typeof cur !== 'object') return undefined;
    else cur = Object.hasOwn(cur, step) ? (cur as Record<string, unknown>)[step] : undefined;
  }
  return cur;
}

/** A path's steps as property keys (`[2]` is "2"), parsed once per path. */
const STEPS = new Map<string, readonly string[]>();
const STEPS_MAX = 10_000;

/** The property keys `$.a.b[0]` steps through: ['a', 'b', '0']. */
export function pathSteps(path: string): readonly string[] {
  let steps = STEPS.get(path);
  if (steps === undefined) {
    steps = Object.freeze(
      [...path.slice(1).matchAll(PATH_STEP)].map((m) => m[1] ?? String(Number(m[2]))),
    );
    if (STEPS.size >= STEPS_MAX) STEPS.clear();
    STEPS.set(path, steps);
  }
  return steps;
}

/** The element itself, or what `path` reaches in it. */
function at(value: unknown, path: string | undefined): unknown {
  return path === undefined ? value : resolvePath(value, path);
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** json-rules-engine's comparison semantics (numbers must be numbers, contains needs an array). */
function compare(operator: string, a: unknown, b: unknown): boolean {
  switch (operator) {
    case 'equal':
      return a === b;
    case 'notEqual':
      return a !== b;
    case 'in':
      return Array.isArray(b) && b.includes(a);
    case 'notIn':
      return Array.isArray(b) && !b.includes(a);
    case 'contains':
      return Array.isArray(a) && a.includes(b);
    case 'doesNotContain':
      return Array.isArray(a) && !a.includes(b);
    case 'lessThan':
      return isNumber(a) && isNumber(b) && a < b;
    case 'lessThanInclusive':
      return isNumber(a) && isNumber(b) && a <= b;
    case 'greaterThan':
      return isNumber(a) && isNumber(b) && a > b;
    case 'greaterThanInclusive':
      return isNumber(a) && isNumber(b) && a >= b;
    default:
      // The loader accepts no other operator; an unvalidated one must not decide anything.
      throw new Error(`unknown element operator "${operator}"`);
  }
}

function and(values: Tri[]): Tri {
  if (values.includes(false)) return false;
  return values.includes(undefined) ? undefined : true;
}

function or(values: Tri[]): Tri {
  if (values.includes(true)) return true;
  return values.includes(undefined) ? undefined : false;
}

/** One element condition on one element (validated by elementConditionIssues at load). */
function evalElement(cond: Record<string, unknown>, element: unknown): Tri {
  if (Array.isArray(cond.all)) return and(cond.all.map((c) => evalElement(c as never, element)));
  if (Array.isArray(cond.any)) return or(cond.any.map((c) => evalElement(c as never, element)));
  if (cond.not !== undefined) {
    const inner = evalElement(cond.not as never, element);
    return inner === undefined ? undefined : !inner;
  }
  const value = at(element, cond.path as string | undefined);
  const operator = String(cond.operator);
  if ((ARRAY_OPERATORS as readonly string[]).includes(operator)) {
    if (!Array.isArray(value)) return undefined;
    return overElements(operator as ArrayOperator, value, cond.value as never);
  }
  return value === undefined ? undefined : compare(operator, value, cond.value);
}

function overElements(op: ArrayOperator, list: unknown[], cond: Record<string, unknown>): Tri {
  const each = list.map((e) => evalElement(cond, e));
  return op === 'someElement' ? or(each) : and(each);
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'no value';
  return Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

/** The operator as json-rules-engine calls it: a boolean, or a throw (the rule is then unknown). */
function arrayOperator(op: ArrayOperator): (factValue: unknown, jsonValue: unknown) => boolean {
  return (factValue, jsonValue) => {
    if (!Array.isArray(factValue))
      throw new Error(`${op} needs an array, the fact is ${kind(factValue)}`);
    const out = overElements(op, factValue, jsonValue as Record<string, unknown>);
    if (out === undefined)
      throw new Error(
        `${op} cannot decide: no element ${op === 'someElement' ? 'matches' : 'fails'} and some element lacks a value the condition reads`,
      );
    return out;
  };
}

/** The built-in array operators by name, as the engine registers them. */
export const ELEMENT_OPERATOR_FNS: Readonly<
  Record<ArrayOperator, (factValue: unknown, jsonValue: unknown) => boolean>
> = {
  someElement: arrayOperator('someElement'),
  everyElement: arrayOperator('everyElement'),
};

const LEAF_KEYS = new Set(['path', 'operator', 'value']);

/**
 * Why `value` is not an element condition, as issues with JSON pointers
 * (`pointer` is where the value sits in the rule document).
 */
export function elementConditionIssues(value: unknown, pointer: string, file: string): Issue[] {
  const issue = (path: string, message: string): Issue[] => [{ file, path, message }];
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return issue(
      pointer,
      'must be an element condition: { "path"?, "operator", "value" } or all/any/not of them',
    );
  const v = value as Record<string, unknown>;
  for (const key of ['all', 'any'] as const) {
    if (key in v) {
      const list = v[key];
      if (!Array.isArray(list) || list.length === 0)
        return issue(`${pointer}/${key}`, 'must be a non-empty array of element conditions');
      const extra = Object.keys(v).filter((k) => k !== key);
      if (extra.length > 0)
        return issue(`${pointer}/${extra[0]}`, `unknown property beside ${key}`);
      return list.flatMap((c, i) => elementConditionIssues(c, `${pointer}/${key}/${i}`, file));
    }
  }
  if ('not' in v) {
    const extra = Object.keys(v).filter((k) => k !== 'not');
    if (extra.length > 0) return issue(`${pointer}/${extra[0]}`, 'unknown property beside not');
    return elementConditionIssues(v.not, `${pointer}/not`, file);
  }
  const out: Issue[] = [];
  for (const k of Object.keys(v))
    if (!LEAF_KEYS.has(k)) out.push(...issue(`${pointer}/${k}`, `unknown property "${k}"`));
  if (v.path !== undefined && (typeof v.path !== 'string' || !PATH.test(v.path)))
    out.push(...issue(`${pointer}/path`, 'must be a simple path: $.a.b or $.list[0]'));
  if (!('value' in v)) out.push(...issue(pointer, 'missing required property "value"'));
  const op = v.operator;
  const known = [...COMPARISON_OPERATORS, ...ARRAY_OPERATORS] as readonly string[];
  if (typeof op !== 'string' || !known.includes(op))
    out.push(...issue(`${pointer}/operator`, `must be one of ${known.join(', ')}`));
  else if ((ARRAY_OPERATORS as readonly string[]).includes(op))
    out.push(...elementConditionIssues(v.value, `${pointer}/value`, file));
  else if ((op === 'in' || op === 'notIn') && !Array.isArray(v.value))
    out.push(...issue(`${pointer}/value`, `must be an array for ${op}`));
  return out;
}
