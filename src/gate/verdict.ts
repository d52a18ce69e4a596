/**
 * The gate's one definition of a verdict (DESIGN §4.4 severity, §4.6 verdict).
 * Every other place — the engine, the report's consistency check, the exit
 * code, the executor — asks these functions instead of re-deriving them.
 */
import type { AccountReport, Report, RuleResult, Verdict } from '../report/types.js';

/** `blocker`: only blockers decide. `warning`: warnings count exactly as blockers (`--fail-on warning`). */
export type FailOn = 'blocker' | 'warning';

/** Whether a rule result takes part in the verdict under `failOn`. */
export function decides(rule: Pick<RuleResult, 'severity'>, failOn: FailOn = 'blocker'): boolean {
  return rule.severity === 'blocker' || failOn === 'warning';
}

/** A result that lets the account through: `pass`, or a valid waiver. */
export function passes(rule: Pick<RuleResult, 'status'>): boolean {
  return rule.status === 'pass' || rule.status === 'waived';
}

/**
 * blocked if a deciding rule fails, else unknown if a deciding rule is
 * unknown, else ready. A warning never changes the verdict unless
 * `failOn` is `warning`.
 */
export function verdictOf(
  account: Pick<AccountReport, 'rules'>,
  failOn: FailOn = 'blocker',
): Verdict {
  let unknown = false;
  for (const r of account.rules) {
    if (!decides(r, failOn)) continue;
    if (r.status === 'fail') return 'blocked';
    if (r.status === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'ready';
}

/** Warning-severity results that did not pass (fail or unknown), over every account. */
export function countWarnings(accounts: readonly Pick<AccountReport, 'rules'>[]): number {
  let n = 0;
  for (const a of accounts)
    for (const r of a.rules) if (r.severity === 'warning' && !passes(r)) n += 1;
  return n;
}

/**
 * The verdict of the whole report, as the exit code reads it: blocked if any
 * account is blocked, else unknown if any is unknown OR the report lists no
 * account at all OR says its account list is incomplete (nothing is known
 * about the missing ones), else ready.
 */
export function overallVerdict(report: Pick<Report, 'summary' | 'incomplete'>): Verdict {
  const { summary } = report;
  if (summary.blocked > 0) return 'blocked';
  if (summary.unknown > 0 || summary.accounts === 0 || report.incomplete !== undefined)
    return 'unknown';
  return 'ready';
}

/** Exit code of a report: 0 all ready, 1 some blocked, 3 none blocked but some unknown. */
export function exitCodeFor(report: Pick<Report, 'summary' | 'incomplete'>): 0 | 1 | 3 {
  const verdict = overallVerdict(report);
  return verdict === 'blocked' ? 1 : verdict === 'unknown' ? 3 : 0;
}
