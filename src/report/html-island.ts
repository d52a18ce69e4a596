/**
 * The page's data island: every account in a compact form the page script
 * pages and filters, so the server renders only the first page.
 */
import { sortedRules } from './aggregate.js';
import {
  accountImpact,
  CHECKLIST_TITLE,
  IMPACT_TITLE,
  NOTHING_FOUND,
  showsImpact,
} from './impact.js';
import { attestationFields } from './provenance.js';
import type { AccountReport, RuleResult, RuleStatus, Verdict } from './types.js';

const VERDICT_CODES: readonly Verdict[] = ['blocked', 'unknown', 'ready'];
const STATUS_CODES: readonly RuleStatus[] = ['fail', 'unknown', 'waived', 'pass'];

/** A string table: each distinct string stored once, referenced by index. */
class Strings {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  id(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}

/** An account's impact section in the island: 0 when not shown, else [[findings], [checklist]]. */
function impactData(account: AccountReport, S: Strings): unknown {
  const impact = accountImpact(account);
  if (!showsImpact(account, impact)) return 0;
  return [
    impact.findings.map((f) => [
      STATUS_CODES.indexOf(f.status),
      S.id(f.rule),
      S.id(f.severity),
      S.id(f.message),
    ]),
    impact.checklist.map((step) => S.id(step)),
  ];
}

/**
 * The compact data the page script renders from (layout documented in
 * html-assets.ts). Rule definitions and repeated strings are stored once, so
 * 10,000 accounts of 12 rules stay a few megabytes.
 */
export function dataIsland(
  accounts: readonly AccountReport[],
  pageSize: number,
  withEvidence: boolean,
) {
  const S = new Strings();
  const D: unknown[] = [];
  const defIndex = new Map<string, number>();
  const def = (r: RuleResult): number => {
    const fields = [
      S.id(r.id),
      S.id(r.title),
      S.id(r.severity),
      S.id(r.remediation ?? ''),
      (r.references ?? []).map((x) => S.id(x)),
    ];
    const key = JSON.stringify(fields);
    let i = defIndex.get(key);
    if (i === undefined) {
      i = D.length;
      D.push(fields);
      defIndex.set(key, i);
    }
    return i;
  };
  const A = accounts.map((a) => [
    S.id(a.accountId),
    a.name === undefined ? -1 : S.id(a.name),
    VERDICT_CODES.indexOf(a.verdict),
    sortedRules(a.rules).map((r) => [
      def(r),
      STATUS_CODES.indexOf(r.status),
      S.id(r.message),
      r.waiver === undefined
        ? 0
        : [S.id(r.waiver.reason), S.id(r.waiver.owner), S.id(r.waiver.expiresAt)],
      withEvidence && Object.keys(r.evidence).length > 0
        ? S.id(JSON.stringify(r.evidence, null, 2))
        : -1,
      r.attestations === undefined || r.attestations.length === 0
        ? 0
        : r.attestations.map((a) =>
            attestationFields(a).map((f) => [S.id(f.label), S.id(f.value)]),
          ),
    ]),
    a.tags === undefined ? 0 : a.tags.map((t) => [S.id(t.key), S.id(t.value)]),
    a.ouPath === undefined ? 0 : a.ouPath.map((o) => S.id(o)),
    a.notes === undefined ? 0 : a.notes.map((n) => S.id(n)),
    impactData(a, S),
  ]);
  const T = [S.id(IMPACT_TITLE), S.id(CHECKLIST_TITLE), S.id(NOTHING_FOUND)];
  return { pageSize, S: S.list, D, A, T };
}
