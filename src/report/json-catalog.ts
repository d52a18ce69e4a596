/**
 * What report.json does not repeat: a failing or unknown rule result's
 * `references` are the rule's, and the report's `rules` catalog already lists
 * them once per rule id. Writing leaves them out of each result where the
 * catalog gives the same; loading puts them back, so every reader of a loaded
 * report (the `report` and `compare` commands, the library) sees the results
 * as the engine made them. `pack` stays on every result: it is short, and
 * pipelines filter results by it.
 */
import type { AccountReport, Report, RuleInfo, RuleResult } from './types.js';

type Catalog = ReadonlyMap<string, RuleInfo>;

/** The report's rule catalog by id (undefined when the report carries none). */
export function catalogOf(report: Pick<Report, 'rules'>): Catalog | undefined {
  return report.rules === undefined ? undefined : new Map(report.rules.map((r) => [r.id, r]));
}

function sameList(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The result as written: without what its catalog entry already says. */
function writtenResult(r: RuleResult, catalog: Catalog): RuleResult {
  const rule = catalog.get(r.id);
  if (rule === undefined) return r;
  if (r.status === 'pass' || !sameList(r.references, rule.references)) return r;
  const { references: _, ...rest } = r;
  return rest;
}

/** The account as report.json writes it (key order is kept; json-order.ts puts it in place anyway). */
export function writtenAccount(
  account: AccountReport,
  catalog: Catalog | undefined,
): AccountReport {
  if (catalog === undefined) return account;
  let changed = false;
  const rules = account.rules.map((r) => {
    const w = writtenResult(r, catalog);
    if (w !== r) changed = true;
    return w;
  });
  return changed ? { ...account, rules } : account;
}

/** The result as the engine made it: with its rule's references unless it passed. */
function restoredResult(r: RuleResult, catalog: Catalog): RuleResult {
  const rule = catalog.get(r.id);
  if (rule === undefined || r.references !== undefined || r.status === 'pass') return r;
  return { ...r, references: [...rule.references] };
}

/** A loaded report with each failing or unknown result's references back from the catalog. */
export function restoreFromCatalog(report: Report): Report {
  const catalog = catalogOf(report);
  if (catalog === undefined) return report;
  let changed = false;
  const accounts = report.accounts.map((a) => {
    let touched = false;
    const rules = a.rules.map((r) => {
      const o = restoredResult(r, catalog);
      if (o !== r) touched = true;
      return o;
    });
    if (!touched) return a;
    changed = true;
    return { ...a, rules };
  });
  return changed ? { ...report, accounts } : report;
}
