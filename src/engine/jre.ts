/**
 * The json-rules-engine side of the engine: one Engine for a list of rules,
 * our path resolver, and custom operators behind frozen copies.
 *
 * Every rule's conditions start with a guard on SKIP_FACT with the highest
 * priority: a rule whose declared facts are unknown for the account is named
 * in that fact and short-circuits instead of running.
 */
import { types } from 'node:util';
import { Engine, type RuleResult as JreRuleResult } from 'json-rules-engine';
import type { AccountFacts } from '../facts/types.js';
import { frozenClone, ignoreRejection } from '../rules/json-copy.js';
import type { LoadedRule, OperatorFn } from '../rules/types.js';
import { ELEMENT_OPERATOR_FNS, resolvePath } from '../rules/operators.js';
import { errorText } from '../rules/plugins.js';
import { SKIP_FACT, summarize, type EngineSummary } from './results.js';

const GUARD_PRIORITY = 1_000_000;

export { PATH_STEP, resolvePath } from '../rules/operators.js';

/**
 * A custom operator sees frozen copies (it cannot rewrite the facts or rule
 * values other rules read) and must return a boolean: anything else — a
 * promise included, our operators are synchronous — makes its rule unknown.
 */
function checkedOperator(name: string, fn: OperatorFn): OperatorFn {
  return (factValue, jsonValue) => {
    const out: unknown = fn(frozenClone(factValue), frozenClone(jsonValue));
    if (typeof out === 'boolean') return out;
    ignoreRejection(out);
    const what = types.isPromise(out)
      ? 'a Promise'
      : out === null || out === undefined
        ? String(out)
        : `${typeof out === 'object' ? 'an' : 'a'} ${typeof out}`;
    throw new Error(`operator ${name} returned ${what}, not a boolean`);
  };
}

/** An Engine for `rules` (each behind the SKIP_FACT guard), with our and the plugins' operators. */
export function newEngine(rules: LoadedRule[], operators: Record<string, OperatorFn>): Engine {
  const engine = new Engine([], { allowUndefinedFacts: false, pathResolver: resolvePath });
  // Ours, pure and non-mutating: no copies needed (plugins cannot replace them).
  for (const [name, fn] of Object.entries(ELEMENT_OPERATOR_FNS)) engine.addOperator(name, fn);
  for (const [name, fn] of Object.entries(operators))
    engine.addOperator(name, checkedOperator(name, fn));
  for (const rule of rules) {
    engine.addRule({
      name: rule.id,
      conditions: {
        all: [
          { fact: SKIP_FACT, operator: 'doesNotContain', value: rule.id, priority: GUARD_PRIORITY },
          rule.conditions as never,
        ],
      },
      event: { type: rule.id },
    });
  }
  return engine;
}

/** One run: each rule's result by id (the skipped ones left out). */
export async function runEngine(
  engine: Engine,
  known: AccountFacts['known'],
  skip: string[],
): Promise<Map<string, JreRuleResult>> {
  const out = await engine.run({ ...known, [SKIP_FACT]: skip });
  const byId = new Map<string, JreRuleResult>();
  for (const r of [...out.results, ...out.failureResults]) {
    if (!skip.includes(r.name)) byId.set(r.name, r);
  }
  return byId;
}

/** What the engine decided for one account's rules that could run: a summary or an error per rule. */
export interface Decided {
  summaries: Map<string, EngineSummary>;
  errors: Map<string, string>;
}

/** One account's rules through an evaluator (rules named in `unknowns` are not run). */
export type AccountEvaluator = (
  facts: AccountFacts,
  unknowns: ReadonlyMap<string, unknown>,
) => Promise<Decided>;

/** Engine results as summaries. */
export function decided(
  rules: readonly LoadedRule[],
  results: Map<string, JreRuleResult>,
  errors: Map<string, string>,
): Decided {
  const summaries = new Map<string, EngineSummary>();
  for (const rule of rules) {
    const jre = results.get(rule.id);
    if (jre !== undefined) summaries.set(rule.id, summarize(rule, jre));
  }
  return { summaries, errors };
}

/**
 * Runs `rules` on `engine` for one account; when the run throws, each rule
 * alone on a fresh engine, to find the one that throws.
 */
export async function evaluateOnEngine(
  engine: Engine,
  rules: LoadedRule[],
  operators: Record<string, OperatorFn>,
  facts: AccountFacts,
  skip: string[],
): Promise<Decided> {
  try {
    return decided(rules, await runEngine(engine, facts.known, skip), new Map());
  } catch {
    const results = new Map<string, JreRuleResult>();
    const errors = new Map<string, string>();
    for (const rule of rules) {
      if (skip.includes(rule.id)) continue;
      try {
        const r = (await runEngine(newEngine([rule], operators), facts.known, [])).get(rule.id);
        if (r !== undefined) results.set(rule.id, r);
      } catch (err) {
        errors.set(rule.id, errorText(err));
      }
    }
    return decided(rules, results, errors);
  }
}
