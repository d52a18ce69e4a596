/**
 * Facts + rules -> per-account, per-rule results with json-rules-engine.
 *
 * One Engine per evaluation run, accounts run one after another (a shared
 * engine can silently skip rules when runs overlap). A rule whose declared
 * facts are not all known is `unknown` and is not run: a guard condition
 * with the highest priority short-circuits it. A rule that throws is
 * `unknown` with the error. Every loaded rule must produce a result for
 * every account, or the account is unknown.
 *
 * Custom (plugin) operators get frozen copies of their arguments and must
 * return a boolean; one account's evaluation is bounded in time. Neither a
 * mutating operator nor a hanging one can change another rule's result.
 */
import { types } from 'node:util';
import { Engine, type RuleResult as JreRuleResult } from 'json-rules-engine';
import type { AccountFacts } from '../facts/types.js';
import { frozenClone, ignoreRejection } from '../rules/json-copy.js';
import { errorText, withTimeout } from '../rules/plugins.js';
import { renderTemplate } from '../rules/template.js';
import type { LoadedRule, OperatorFn } from '../rules/types.js';
import { ELEMENT_OPERATOR_FNS } from '../rules/operators.js';
import { fromEngine, fromFactsLayer, result, SKIP_FACT, unknownReason } from './results.js';
import type { AccountOutcome, RuleOutcome } from './types.js';

export type { AccountOutcome, RuleOutcome, OutcomeStatus } from './types.js';

const GUARD_PRIORITY = 1_000_000;

export interface RunRulesOptions {
  operators?: Record<string, OperatorFn>;
  /** Bound on one account's evaluation (default 30 s); past it the account's rules are unknown. */
  accountTimeoutMs?: number;
}

const DEFAULT_ACCOUNT_TIMEOUT_MS = 30_000;

/**
 * Simple `$.a.b[0]` paths (the rule schema allows nothing else); much faster
 * than JSONPath. `.length` also works on strings, as in JSONPath.
 */
export function resolvePath(value: object, path: string): unknown {
  let cur: unknown = value;
  for (const m of path.slice(1).matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)) {
    if (typeof cur === 'string' && m[1] === 'length') cur = cur.length;
    else if (cur === null || typeof cur !== 'object') return undefined;
    else {
      // Own properties only: a rule path must never reach the prototype chain.
      const key = m[1] ?? Number(m[2]);
      cur = Object.hasOwn(cur, key) ? (cur as Record<string | number, unknown>)[key] : undefined;
    }
  }
  return cur;
}

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

function newEngine(rules: LoadedRule[], operators: Record<string, OperatorFn>): Engine {
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

async function runEngine(
  engine: Engine,
  facts: AccountFacts,
  skip: string[],
): Promise<Map<string, JreRuleResult>> {
  const out = await engine.run({ ...facts.known, [SKIP_FACT]: skip });
  const byId = new Map<string, JreRuleResult>();
  for (const r of [...out.results, ...out.failureResults]) {
    if (!skip.includes(r.name)) byId.set(r.name, r);
  }
  return byId;
}

/** Runs each rule alone to find the one that throws (only after a run failed). */
async function isolate(
  rules: LoadedRule[],
  operators: Record<string, OperatorFn>,
  facts: AccountFacts,
  skip: string[],
): Promise<{ results: Map<string, JreRuleResult>; errors: Map<string, string> }> {
  const results = new Map<string, JreRuleResult>();
  const errors = new Map<string, string>();
  for (const rule of rules) {
    if (skip.includes(rule.id)) continue;
    try {
      const one = await runEngine(newEngine([rule], operators), facts, []);
      const r = one.get(rule.id);
      if (r !== undefined) results.set(rule.id, r);
    } catch (err) {
      errors.set(rule.id, errorText(err));
    }
  }
  return { results, errors };
}

/** One account: the shared engine, and when a rule throws, each rule alone to find it. */
async function evaluateOne(
  engine: Engine,
  rules: LoadedRule[],
  operators: Record<string, OperatorFn>,
  facts: AccountFacts,
  skip: string[],
): Promise<{ results: Map<string, JreRuleResult>; errors: Map<string, string> }> {
  try {
    return { results: await runEngine(engine, facts, skip), errors: new Map() };
  } catch {
    return isolate(rules, operators, facts, skip);
  }
}

/** Why each rule cannot run for this account (a declared fact or path is unknown). */
function unknownsOf(rules: LoadedRule[], facts: AccountFacts): Map<string, string[]> {
  const unknowns = new Map<string, string[]>();
  for (const rule of rules) {
    const reasons = rule.facts
      .map((f) => [f, unknownReason(f, facts)] as const)
      .filter((x): x is readonly [string, string] => x[1] !== undefined)
      .map(([f, why]) => `${f}: ${why}`);
    if (reasons.length > 0) unknowns.set(rule.id, reasons);
  }
  return unknowns;
}

/** The outcome of a rule that did not run because facts it declares are unknown. */
function unknownOutcome(rule: LoadedRule, facts: AccountFacts, reasons: string[]): RuleOutcome {
  // The rule's own words first (when it has them), then why, from the facts layer.
  const message =
    rule.messages?.unknown === undefined
      ? `unknown: ${reasons.join('; ')}`
      : `${renderTemplate(rule.messages.unknown, {
          ...facts.known,
          accountId: facts.accountId,
          expected: rule.expected,
        })} (${reasons.join('; ')})`;
  return {
    ...result(rule, 'unknown', message, { unknownFacts: reasons }),
    ...fromFactsLayer(rule, facts),
  };
}

/**
 * Runs every rule for every account and answers one outcome per rule per
 * account (waivers and verdicts are the gate's). Pure apart from the engine's
 * own async scheduling: no I/O, no clock.
 */
export async function runRules(
  rules: LoadedRule[],
  accounts: Iterable<AccountFacts>,
  options: RunRulesOptions = {},
): Promise<AccountOutcome[]> {
  const operators = options.operators ?? {};
  const engine = newEngine(rules, operators);
  const timeoutMs = options.accountTimeoutMs ?? DEFAULT_ACCOUNT_TIMEOUT_MS;
  let stalled: string | undefined;
  const out: AccountOutcome[] = [];
  for (const facts of accounts) {
    const unknowns = unknownsOf(rules, facts);
    const skip = [...unknowns.keys()];
    let byId = new Map<string, JreRuleResult>();
    let thrown = new Map<string, string>();
    if (stalled === undefined) {
      try {
        ({ results: byId, errors: thrown } = await withTimeout(
          evaluateOne(engine, rules, operators, facts, skip),
          timeoutMs,
          () =>
            new Error(
              `the evaluation of account ${facts.accountId} did not finish within ${timeoutMs} ms`,
            ),
        ));
      } catch (err) {
        // The stalled run still holds the engine: running another account on it could
        // overlap (and skip rules), so the accounts after it are not evaluated.
        stalled = errorText(err);
        thrown = new Map(rules.map((r) => [r.id, stalled ?? '']));
      }
    } else {
      thrown = new Map(rules.map((r) => [r.id, `not evaluated: ${stalled ?? ''}`]));
    }
    const outcomes = rules.map((rule): RuleOutcome => {
      const reasons = unknowns.get(rule.id);
      if (reasons !== undefined) return unknownOutcome(rule, facts, reasons);
      const error = thrown.get(rule.id);
      if (error !== undefined)
        return result(rule, 'unknown', `unknown: the rule failed to evaluate: ${error}`, { error });
      const jre = byId.get(rule.id);
      if (jre === undefined)
        return result(rule, 'unknown', 'unknown: the engine produced no result for this rule', {});
      return { ...fromEngine(rule, facts, jre), ...fromFactsLayer(rule, facts) };
    });
    const path = (facts.known.account as { ouPath?: string[] } | undefined)?.ouPath;
    out.push({
      accountId: facts.accountId,
      outcomes,
      ...(facts.tags !== undefined && { tags: facts.tags }),
      ...(path !== undefined && path.length > 0 && { ouPath: path }),
      notes: facts.ignoredAttestations.map((a) => a.message),
    });
  }
  // The engine's own invariant: an outcome for every loaded rule for every account.
  for (const a of out) {
    if (a.outcomes.length !== rules.length)
      throw new Error(
        `internal: ${a.accountId} has ${a.outcomes.length} of ${rules.length} rule outcomes`,
      );
  }
  return out;
}
