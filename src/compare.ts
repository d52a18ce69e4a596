/**
 * `leavegate compare OLD.json NEW.json`: what changed between two reports,
 * per account and per rule. Pure.
 */
import type { Report, RuleStatus, Verdict } from './report/types.js';

export interface AccountChange {
  accountId: string;
  name?: string;
  before: Verdict | 'absent';
  after: Verdict | 'absent';
  rules: { id: string; before: RuleStatus | 'absent'; after: RuleStatus | 'absent' }[];
}

export interface Comparison {
  changes: AccountChange[];
  /** Accounts whose verdict got worse (ready -> unknown/blocked, unknown -> blocked) or that disappeared. */
  regressions: number;
  improvements: number;
}

const RANK: Record<Verdict | 'absent', number> = { ready: 0, unknown: 1, blocked: 2, absent: 3 };

/** Compares two reports account by account. */
export function compareReports(before: Report, after: Report): Comparison {
  const oldById = new Map(before.accounts.map((a) => [a.accountId, a]));
  const newById = new Map(after.accounts.map((a) => [a.accountId, a]));
  const ids = [...new Set([...oldById.keys(), ...newById.keys()])].sort();
  const changes: AccountChange[] = [];
  let regressions = 0;
  let improvements = 0;
  for (const id of ids) {
    const o = oldById.get(id);
    const n = newById.get(id);
    const oRules = new Map((o?.rules ?? []).map((r) => [r.id, r.status]));
    const nRules = new Map((n?.rules ?? []).map((r) => [r.id, r.status]));
    const rules = [...new Set([...oRules.keys(), ...nRules.keys()])]
      .map((rid) => ({
        id: rid,
        before: oRules.get(rid) ?? ('absent' as const),
        after: nRules.get(rid) ?? ('absent' as const),
      }))
      .filter((r) => r.before !== r.after);
    const beforeVerdict = o?.verdict ?? 'absent';
    const afterVerdict = n?.verdict ?? 'absent';
    if (beforeVerdict === afterVerdict && rules.length === 0) continue;
    if (beforeVerdict !== 'absent' && RANK[afterVerdict] > RANK[beforeVerdict]) regressions += 1;
    else if (RANK[afterVerdict] < RANK[beforeVerdict]) improvements += 1;
    const name = n?.name ?? o?.name;
    changes.push({
      accountId: id,
      ...(name !== undefined && { name }),
      before: beforeVerdict,
      after: afterVerdict,
      rules,
    });
  }
  return { changes, regressions, improvements };
}
