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

/** The two reports a comparison was made from, as the JSON diff names them. */
export interface ComparedReport {
  path: string;
  organizationId: string | null;
  generatedAt: string;
  evaluatedAt: string | null;
}

/** The organizations of two reports differ (a report without one differs from one with one). */
export function differentOrganizations(before: Report, after: Report): boolean {
  return before.snapshot.organizationId !== after.snapshot.organizationId;
}

function compared(report: Report, path: string): ComparedReport {
  return {
    path,
    organizationId: report.snapshot.organizationId,
    generatedAt: report.generatedAt,
    evaluatedAt: report.evaluatedAt ?? null,
  };
}

/**
 * `compare --format json`: a stable, machine-readable diff — fixed key order,
 * accounts by id, rules by id, one trailing newline.
 */
export function renderComparisonJson(
  cmp: Comparison,
  before: { report: Report; path: string },
  after: { report: Report; path: string },
): string {
  const doc = {
    schemaVersion: 1,
    old: compared(before.report, before.path),
    new: compared(after.report, after.path),
    differentOrganizations: differentOrganizations(before.report, after.report),
    summary: {
      changed: cmp.changes.length,
      regressions: cmp.regressions,
      improvements: cmp.improvements,
    },
    changes: cmp.changes.map((ch) => ({
      accountId: ch.accountId,
      name: ch.name ?? null,
      before: ch.before,
      after: ch.after,
      rules: [...ch.rules]
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((r) => ({ id: r.id, before: r.before, after: r.after })),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * `compare --format md`: a table per changed account. Every string from the
 * reports (names, rule ids, paths) is escaped for Markdown: account data
 * can neither add raw HTML, links, nor table cells.
 */
export function renderComparisonMarkdown(
  cmp: Comparison,
  before: { report: Report; path: string },
  after: { report: Report; path: string },
  md: (text: string) => string,
): string {
  const lines = [
    '# leavegate comparison',
    '',
    `Old: ${md(before.path)} (organization ${md(before.report.snapshot.organizationId ?? 'unknown')}, evaluated ${md(before.report.evaluatedAt ?? 'unknown')})  `,
    `New: ${md(after.path)} (organization ${md(after.report.snapshot.organizationId ?? 'unknown')}, evaluated ${md(after.report.evaluatedAt ?? 'unknown')})`,
    '',
    `**${cmp.changes.length} accounts changed**: ${cmp.regressions} worse, ${cmp.improvements} better`,
  ];
  if (cmp.changes.length > 0) {
    lines.push(
      '',
      '| account | name | before | after | rules changed |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const ch of cmp.changes) {
      const rules = ch.rules.map((r) => `${md(r.id)}: ${r.before} → ${r.after}`).join('; ');
      lines.push(
        `| ${md(ch.accountId)} | ${md(ch.name ?? '')} | ${ch.before} | ${ch.after} | ${rules} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
