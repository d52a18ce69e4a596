/**
 * Facts + rules -> per-account, per-rule results with json-rules-engine.
 *
 * Accounts run one after another (an engine shared by overlapping runs can
 * silently skip rules); the engines belong to this run. A rule whose declared
 * facts are not all known is `unknown` and is not run: a guard condition with
 * the highest priority short-circuits it. A rule that throws is `unknown`
 * with the error. Every loaded rule must produce a result for every account,
 * or the account is unknown.
 *
 * By default the engine's outcome is computed once per distinct rule input
 * and rendered per account (./cached.ts); `cache: false` runs every rule for
 * every account on one shared engine — the reference the cached path is
 * tested against (test/engine/cache-differential.test.ts), byte for byte.
 *
 * Custom (plugin) operators get frozen copies of their arguments and must
 * return a boolean; one account's evaluation is bounded in time. Neither a
 * mutating operator nor a hanging one can change another rule's result.
 */
import type { AccountFacts } from '../facts/types.js';
import { errorText, withTimeout } from '../rules/plugins.js';
import type { LoadedRule, OperatorFn } from '../rules/types.js';
import { cachedEvaluator, type CacheOptions, type CacheStats } from './cached.js';
import { evaluateOnEngine, newEngine, type AccountEvaluator, type Decided } from './jre.js';
import { accountScope, fromSummary, result, unknownOutcome, unknownReason } from './results.js';
import type { AccountOutcome, RuleOutcome } from './types.js';

export type { AccountOutcome, RuleOutcome, OutcomeStatus } from './types.js';
export type { CacheOptions, CacheStats } from './cached.js';
export type { AccountEvaluator, Decided } from './jre.js';
export { resolvePath } from './jre.js';

export interface RunRulesOptions {
  operators?: Record<string, OperatorFn>;
  /** Bound on one account's evaluation (default 30 s); past it the account's rules are unknown. */
  accountTimeoutMs?: number;
  /** The outcome cache (default on); `false` runs every rule for every account. */
  cache?: boolean | CacheOptions;
  /** Called once at the end with what the cache did (not called when the cache is off). */
  onCacheStats?: (stats: CacheStats) => void;
}

const DEFAULT_ACCOUNT_TIMEOUT_MS = 30_000;

/** The reference evaluator: every rule, every account, one shared engine. */
function uncachedEvaluator(
  rules: LoadedRule[],
  operators: Record<string, OperatorFn>,
): AccountEvaluator {
  const engine = newEngine(rules, operators);
  return (facts, unknowns) =>
    evaluateOnEngine(engine, rules, operators, facts, [...unknowns.keys()]);
}

/** Per rule that cannot run for this account: its unknown declared facts (or paths), and why. */
type Unknowns = Map<string, { facts: string[]; reasons: string[] }>;

function unknownsOf(rules: LoadedRule[], facts: AccountFacts): Unknowns {
  const unknowns: Unknowns = new Map();
  // Rules share declared facts (`account.state`, `account.joinedMethod`...): one answer per account.
  const memo = new Map<string, string | undefined>();
  for (const rule of rules) {
    const missing: string[] = [];
    const reasons: string[] = [];
    for (const f of rule.facts) {
      let why: string | undefined;
      if (memo.has(f)) why = memo.get(f);
      else memo.set(f, (why = unknownReason(f, facts)));
      if (why === undefined) continue;
      missing.push(f);
      reasons.push(`${f}: ${why}`);
    }
    if (missing.length > 0) unknowns.set(rule.id, { facts: missing, reasons });
  }
  return unknowns;
}

function accountOutcome(
  rules: LoadedRule[],
  facts: AccountFacts,
  unknowns: Unknowns,
  { summaries, errors }: Decided,
): AccountOutcome {
  const scope = accountScope(facts);
  const outcomes = rules.map((rule): RuleOutcome => {
    const unknown = unknowns.get(rule.id);
    if (unknown !== undefined) return unknownOutcome(rule, facts, unknown, scope);
    const error = errors.get(rule.id);
    if (error !== undefined)
      return result(rule, 'unknown', `unknown: the rule failed to evaluate: ${error}`, { error });
    const summary = summaries.get(rule.id);
    if (summary === undefined)
      return result(rule, 'unknown', 'unknown: the engine produced no result for this rule', {});
    return fromSummary(rule, facts, summary, scope);
  });
  const path = (facts.known.account as { ouPath?: string[] } | undefined)?.ouPath;
  return {
    accountId: facts.accountId,
    outcomes,
    ...(facts.tags !== undefined && { tags: facts.tags }),
    ...(path !== undefined && path.length > 0 && { ouPath: path }),
    notes: facts.ignoredAttestations.map((a) => a.message),
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
  const cached =
    options.cache === false
      ? undefined
      : cachedEvaluator(rules, operators, options.cache === true ? {} : (options.cache ?? {}));
  const evaluate = cached?.evaluate ?? uncachedEvaluator(rules, operators);
  const timeoutMs = options.accountTimeoutMs ?? DEFAULT_ACCOUNT_TIMEOUT_MS;
  let stalled: string | undefined;
  const out: AccountOutcome[] = [];
  for (const facts of accounts) {
    const unknowns = unknownsOf(rules, facts);
    let outcome: Decided = { summaries: new Map(), errors: new Map() };
    if (stalled === undefined) {
      try {
        outcome = await withTimeout(
          evaluate(facts, unknowns),
          timeoutMs,
          () =>
            new Error(
              `the evaluation of account ${facts.accountId} did not finish within ${timeoutMs} ms`,
            ),
        );
      } catch (err) {
        // The stalled run still holds the engine: running another account on it could
        // overlap (and skip rules), so the accounts after it are not evaluated.
        stalled = errorText(err);
        outcome.errors = new Map(rules.map((r) => [r.id, stalled ?? '']));
      }
    } else {
      outcome.errors = new Map(rules.map((r) => [r.id, `not evaluated: ${stalled ?? ''}`]));
    }
    out.push(accountOutcome(rules, facts, unknowns, outcome));
  }
  if (cached !== undefined) options.onCacheStats?.(cached.stats());
  // The engine's own invariant: an outcome for every loaded rule for every account.
  for (const a of out) {
    if (a.outcomes.length !== rules.length)
      throw new Error(
        `internal: ${a.accountId} has ${a.outcomes.length} of ${rules.length} rule outcomes`,
      );
  }
  return out;
}
