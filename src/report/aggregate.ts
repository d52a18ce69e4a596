/**
 * Aggregates shared by the human-facing formats (HTML, Markdown): per-rule
 * counts and the order accounts are listed in (problems first).
 */
import type { AccountReport, Report, RuleResult, RuleStatus, Severity, Verdict } from './types.js';

export interface RuleStats {
  id: string;
  title: string;
  severity: Severity;
  pass: number;
  fail: number;
  unknown: number;
  waived: number;
}

/** Per rule id: how many accounts it passed, failed, could not decide or was waived for. */
export function ruleStats(report: Report): RuleStats[] {
  const byId = new Map<string, RuleStats>();
  for (const account of report.accounts) {
    for (const r of account.rules) {
      let s = byId.get(r.id);
      if (s === undefined) {
        s = {
          id: r.id,
          title: r.title,
          severity: r.severity,
          pass: 0,
          fail: 0,
          unknown: 0,
          waived: 0,
        };
        byId.set(r.id, s);
      }
      s[r.status] += 1;
    }
  }
  // Most failures first, then most unknowns: the rules to work on first.
  return [...byId.values()].sort(
    (a, b) =>
      b.fail - a.fail || b.unknown - a.unknown || b.waived - a.waived || a.id.localeCompare(b.id),
  );
}

const VERDICT_ORDER: Readonly<Record<Verdict, number>> = { blocked: 0, unknown: 1, ready: 2 };
const STATUS_ORDER: Readonly<Record<RuleStatus, number>> = {
  fail: 0,
  unknown: 1,
  waived: 2,
  pass: 3,
};

/** Accounts blocked first, then unknown, then ready; the report's order within each. */
export function sortedAccounts(report: Report): AccountReport[] {
  return report.accounts
    .map((account, index) => ({ account, index }))
    .sort(
      (a, b) =>
        VERDICT_ORDER[a.account.verdict] - VERDICT_ORDER[b.account.verdict] || a.index - b.index,
    )
    .map((x) => x.account);
}

/** An account's rule results, failing first (stable within a status). */
export function sortedRules(rules: readonly RuleResult[]): RuleResult[] {
  return rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => STATUS_ORDER[a.rule.status] - STATUS_ORDER[b.rule.status] || a.index - b.index)
    .map((x) => x.rule);
}

/** Counts of an account's rule statuses. */
export function statusCounts(rules: readonly RuleResult[]): Record<RuleStatus, number> {
  const counts = { pass: 0, fail: 0, unknown: 0, waived: 0 };
  for (const r of rules) counts[r.status] += 1;
  return counts;
}

export { overallVerdict } from '../gate/verdict.js';

/** `id (name)` or just `id`. */
export function accountLabel(account: Pick<AccountReport, 'accountId' | 'name'>): string {
  return account.name === undefined || account.name === ''
    ? account.accountId
    : `${account.accountId} (${account.name})`;
}

/**
 * What the report decides, in words, for titles: leaving, or a direct
 * transfer naming its target organization (DESIGN §8).
 */
export function reportSubject(report: Report): string {
  const mode = report.mode;
  if (mode?.kind !== 'transfer') return 'leaving the organization';
  const target =
    mode.targetOrganizationId ??
    (mode.handshakeId === undefined
      ? 'another organization'
      : `the organization of ${mode.handshakeId}`);
  return `transfer to organization ${target}`;
}
