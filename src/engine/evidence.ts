/**
 * What a json-rules-engine result says, as data (the evidence of a rule
 * result) and as the plain one-line message of a rule that has no
 * `messages` templates. English is written from the evidence in one place.
 */

import { isVerdictFact } from '../facts/registry.js';

export interface ConditionEvidence {
  fact: string;
  path?: string;
  operator: string;
  expected: unknown;
  found: unknown;
  result: boolean;
}

interface EvaluatedLeaf {
  node: Record<string, unknown> & { fact: string; result: boolean };
  /** Under an odd number of `not`s: the leaf's result is inverted on the way up. */
  negated: boolean;
}

/** Leaves of an evaluated condition tree that were actually evaluated, minus facts in `skip`. */
function evaluatedLeaves(
  node: unknown,
  skip: string,
  negated = false,
  out: EvaluatedLeaf[] = [],
): EvaluatedLeaf[] {
  if (node === null || typeof node !== 'object') return out;
  const n = node as Record<string, unknown>;
  for (const key of ['all', 'any'] as const) {
    const children = n[key];
    if (Array.isArray(children)) {
      children.forEach((c) => evaluatedLeaves(c, skip, negated, out));
      return out;
    }
  }
  if (n.not !== undefined) return evaluatedLeaves(n.not, skip, !negated, out);
  if (typeof n.fact === 'string' && n.fact !== skip && typeof n.result === 'boolean') {
    out.push({ node: n as EvaluatedLeaf['node'], negated });
  }
  return out;
}

/** Built with its keys sorted, the order report.json writes free-form evidence in (no copy then). */
function toEvidence({ node: n }: EvaluatedLeaf): ConditionEvidence {
  return {
    expected: n.valueResult ?? n.value,
    fact: n.fact,
    // Verdict objects are shown once at the top of the evidence; do not repeat them per condition.
    found: isVerdictFact(n.fact) && typeof n.path !== 'string' ? '(see decision)' : n.factResult,
    operator: String(n.operator),
    ...(typeof n.path === 'string' && { path: n.path }),
    result: n.result,
  };
}

/** The evaluated conditions of a rule (the guard fact `skip` left out). */
export function conditionEvidence(conditions: unknown, skip: string): ConditionEvidence[] {
  return evaluatedLeaves(conditions, skip).map(toEvidence);
}

const MAX_VALUE = 120;

/**
 * A value from the facts as one line of data: JSON (so quotes, newlines and
 * control characters are escaped), the line and paragraph separators JSON
 * leaves alone escaped too, long values cut.
 */
function shown(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? '(nothing)' : (JSON.stringify(value) ?? `(${typeof value})`);
  } catch {
    text = '(unprintable)';
  }
  text = text.replace(
    /[\u2028\u2029\u0085]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/**
 * The message of a rule without templates, from the conditions that decided
 * its outcome: `account.state is "SUSPENDED", expected equal "ACTIVE"`.
 */
export function plainMessage(conditions: unknown, skip: string, passed: boolean): string {
  const leaves = evaluatedLeaves(conditions, skip);
  const deciding = leaves.filter((l) => (l.node.result !== l.negated) === passed);
  const parts = (deciding.length > 0 ? deciding : leaves).map(({ node: n, negated }) => {
    // `$.state` -> `account.state`, `$[0]` -> `tags[0]`.
    const where = `${n.fact}${typeof n.path === 'string' ? n.path.slice(1) : ''}`;
    const expected = n.valueResult ?? n.value;
    return `${where} is ${shown(n.factResult)}, expected ${negated ? 'not ' : ''}${String(n.operator)} ${shown(expected)}`;
  });
  if (parts.length === 0) return passed ? 'passed' : 'failed';
  return parts.join('; ');
}
