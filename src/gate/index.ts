/**
 * The gate: rule outcomes (the engine's) -> per-account results with waivers
 * applied and the verdict decided. The one place that owns waivers, the pass
 * predicate and verdicts (./verdict.ts); check, leave and transfer all
 * decide through it.
 */
import type { AccountFacts } from '../facts/types.js';
import { runRules } from '../engine/evaluate.js';
import type { AccountReport } from '../report/types.js';
import type { LoadedRule, OperatorFn, Waiver } from '../rules/types.js';
import { verdictOf, type FailOn } from './verdict.js';
import { applyWaivers, waiverWarnings } from './waivers.js';

export * from './verdict.js';
export { applyWaivers, loadWaiversFile, validateWaivers, waiverWarnings } from './waivers.js';

export interface EvaluateOptions {
  operators?: Record<string, OperatorFn>;
  waivers?: Waiver[];
  /** The evaluation time (waiver expiry). */
  now: Date;
  /** Account names for the report. */
  names?: ReadonlyMap<string, string>;
  /** `warning`: warning rules decide the verdict as blockers do. */
  failOn?: FailOn;
  /** Bound on one account's evaluation (default 30 s); past it the account's rules are unknown. */
  accountTimeoutMs?: number;
}

export interface EvaluationResult {
  accounts: AccountReport[];
  warnings: string[];
}

/**
 * Evaluates every rule for every account (engine), applies waivers and
 * decides each account's verdict (gate). Pure apart from the engine's async
 * scheduling: no I/O, no clock (the evaluation time is `options.now`).
 */
export async function evaluateAccounts(
  rules: LoadedRule[],
  accounts: Iterable<AccountFacts>,
  options: EvaluateOptions,
): Promise<EvaluationResult> {
  const waivers = options.waivers ?? [];
  const now = options.now.getTime();
  const byId = new Map(rules.map((r) => [r.id, r]));
  const outcomes = await runRules(rules, accounts, {
    ...(options.operators !== undefined && { operators: options.operators }),
    ...(options.accountTimeoutMs !== undefined && { accountTimeoutMs: options.accountTimeoutMs }),
  });
  const reports = outcomes.map((a): AccountReport => {
    const notes = [...a.notes];
    const results = a.outcomes.map((o) =>
      applyWaivers(o, byId.get(o.id)!, a.accountId, waivers, now, notes),
    );
    const name = options.names?.get(a.accountId);
    return {
      accountId: a.accountId,
      ...(name !== undefined && { name }),
      verdict: verdictOf({ rules: results }, options.failOn),
      rules: results,
      ...(a.tags !== undefined && { tags: a.tags }),
      ...(a.ouPath !== undefined && { ouPath: a.ouPath }),
      ...(notes.length > 0 && { notes }),
    };
  });
  return { accounts: reports, warnings: waiverWarnings(rules, waivers) };
}
