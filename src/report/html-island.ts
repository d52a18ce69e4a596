/**
 * The page's data island: every account in a compact form the page script
 * pages and filters, so the server renders only the first page. Repetition
 * is dropped, not information: each distinct string is stored once, with an
 * account's own id and name factored out (so "… account 222222222222
 * (payments) …" is one template for every account), and rule results, rule
 * lists, OU paths, tag lists and impact sections are each stored once and
 * referenced by index. The layout is documented in html-script.ts.
 */
import { sortedRules } from './aggregate.js';
import { clip } from './escape.js';
import { pathLevels } from './html-text.js';
import { rich, shown, shownReference, shownText, shownTime } from './html-view.js';
import {
  accountImpact,
  CHECKLIST_TITLE,
  IMPACT_TITLE,
  NOTHING_FOUND,
  showsImpact,
} from './impact.js';
import { attestationFields } from './provenance.js';
import type { AccountReport, RuleResult, RuleStatus, Verdict } from './types.js';

export const VERDICT_CODES: readonly Verdict[] = ['blocked', 'unknown', 'ready'];
export const STATUS_CODES: readonly RuleStatus[] = ['fail', 'unknown', 'waived', 'pass'];

type Acct = { id: string; name: string | undefined };

/** Names shorter than this are not factored out of strings (they would split ordinary words). */
const MIN_NAME = 4;

/** Prose at least this long is stored as its `; `-separated clauses, each once. */
const SPLIT_MIN = 64;

/** `value` cut after each `; ` that something follows. */
function clausesOf(value: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (
    let at = value.indexOf('; ');
    at >= 0 && at + 2 < value.length;
    at = value.indexOf('; ', from)
  ) {
    out.push(value.slice(from, at + 2));
    from = at + 2;
  }
  out.push(value.slice(from));
  return out;
}

type Part = string | number | [number];

/**
 * A string table that stores each distinct value once, an account's id and
 * name as 0 and 1, and long prose as references `[i]` to its clauses (a
 * message such as "joined 2021-03-04 (created), 1234.5 days ago; <the rule's
 * explanation>" differs per account only in its first clause).
 */
class Strings {
  readonly list: (string | Part[])[] = [];
  /** Plain strings by value, parts lists by their JSON: apart, so a value spelled like a parts list is still itself. */
  private readonly plain = new Map<string, number>();
  private readonly parts = new Map<string, number>();
  /** prose() of values that name no account, by value. */
  private readonly sharedProse = new Map<string, number>();
  private add(index: Map<string, number>, key: string, value: string | Part[]): number {
    let i = index.get(key);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(value);
      index.set(key, i);
    }
    return i;
  }
  /** `value` (already as shown) with the account's id and name factored out. */
  id(value: string, acct?: Acct): number {
    const parts = acct === undefined ? undefined : template(value, acct.id, acct.name);
    return parts === undefined
      ? this.add(this.plain, value, value)
      : this.add(this.parts, JSON.stringify(parts), parts);
  }
  /** `id`, for prose the page renders through s() (messages, remediations, steps): long prose by clauses. */
  prose(value: string, acct: Acct): number {
    if (value.length < SPLIT_MIN) return this.id(value, acct);
    // Prose that names neither the account's id nor its name is the same entry for every account.
    const shared = !value.includes(acct.id) && !mentionsName(value, acct.name);
    let i = shared ? this.sharedProse.get(value) : undefined;
    if (i === undefined) {
      const clauses = clausesOf(value);
      const of = shared ? undefined : acct;
      const refs = clauses.map((c): [number] => [this.id(c, of)]);
      i = refs.length === 1 ? refs[0]![0] : this.add(this.parts, JSON.stringify(refs), refs);
      if (shared) this.sharedProse.set(value, i);
    }
    return i;
  }
}

function splitBy(parts: (string | number)[], needle: string, code: number): (string | number)[] {
  const out: (string | number)[] = [];
  for (const p of parts) {
    if (typeof p !== 'string' || !p.includes(needle)) {
      out.push(p);
      continue;
    }
    const pieces = p.split(needle);
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) out.push(code);
      if (pieces[i] !== '') out.push(pieces[i]!);
    }
  }
  return out;
}

/** Whether `value` holds the account's name (names shorter than MIN_NAME are never factored out). */
function mentionsName(value: string, name: string | undefined): name is string {
  return name !== undefined && name.length >= MIN_NAME && value.includes(name);
}

/** `value` as parts, 0 where the account id stood and 1 where its name stood; undefined when neither does. */
function template(
  value: string,
  id: string,
  name: string | undefined,
): (string | number)[] | undefined {
  const hasId = value.includes(id);
  const hasName = mentionsName(value, name);
  if (!hasId && !hasName) return undefined;
  let parts: (string | number)[] = hasId ? splitBy([value], id, 0) : [value];
  if (hasName) parts = splitBy(parts, name, 1);
  return parts;
}

/** A table of JSON values stored once each. */
class Table {
  readonly list: unknown[] = [];
  private readonly index = new Map<string, number>();
  id(value: unknown): number {
    const key = JSON.stringify(value);
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(value);
      this.index.set(key, i);
    }
    return i;
  }
}

interface Tables {
  S: Strings;
  D: Table;
  R: Table;
  L: Table;
  P: Table;
  G: Table;
  I: Table;
  /** Rule definitions in D by rule id (a few per id at most: metadata rarely differs). */
  defs: Map<string, { title: string; severity: string; refs: readonly string[]; def: number }[]>;
  /** rich() of each distinct value (most messages repeat across accounts). */
  rich: Map<string, string[]>;
}

function richIds(value: string, t: Tables, acct: Acct): number[] {
  let segs = t.rich.get(value);
  if (segs === undefined) {
    segs = rich(value);
    t.rich.set(value, segs);
  }
  return segs.map((seg) => t.S.prose(seg, acct));
}

/** The rule's definition in D, computed once per distinct rule metadata. */
function defData(r: RuleResult, t: Tables): number {
  // Results of one rule share its references array: compared by identity first, so the
  // common case costs no key string per result.
  const seen = t.defs.get(r.id);
  const refs = r.references ?? [];
  const hit = seen?.find(
    (d) =>
      d.title === r.title &&
      d.severity === r.severity &&
      (d.refs === refs || (d.refs.length === refs.length && d.refs.every((u, i) => u === refs[i]))),
  );
  if (hit !== undefined) return hit.def;
  const { S } = t;
  const def = t.D.id([
    S.id(shown(r.id)),
    S.id(shown(r.title)),
    S.id(shown(r.severity)),
    refs.map((u) => shownReference(u).map((x) => S.id(x))),
  ]);
  if (seen === undefined) t.defs.set(r.id, [{ title: r.title, severity: r.severity, refs, def }]);
  else seen.push({ title: r.title, severity: r.severity, refs, def });
  return def;
}

function resultData(r: RuleResult, t: Tables, acct: Acct, withEvidence: boolean): number {
  const { S } = t;
  const def = defData(r, t);
  const failing = r.status === 'fail' || r.status === 'unknown';
  return t.R.id([
    def,
    STATUS_CODES.indexOf(r.status),
    richIds(r.message, t, acct),
    failing ? richIds(r.remediation ?? '', t, acct) : 0,
    r.waiver === undefined
      ? 0
      : [
          S.id(shownText(r.waiver.reason), acct),
          S.id(shown(r.waiver.owner), acct),
          S.id(shownTime(r.waiver.expiresAt)),
        ],
    withEvidence && Object.keys(r.evidence).length > 0
      ? S.id(clip(JSON.stringify(r.evidence, null, 2)), acct)
      : -1,
    r.attestations === undefined || r.attestations.length === 0
      ? 0
      : r.attestations.map((a) =>
          attestationFields(a).map((f) =>
            S.id(f.key.endsWith('At') ? shownTime(f.value) : shown(f.value), acct),
          ),
        ),
  ]);
}

/** An account's impact section: -1 when not shown, else an index into I. */
function impactData(account: AccountReport, t: Tables, acct: Acct): number {
  const impact = accountImpact(account);
  if (!showsImpact(account, impact)) return -1;
  return t.I.id([
    impact.findings.map((f) => [
      STATUS_CODES.indexOf(f.status),
      t.S.id(shown(f.rule)),
      t.S.id(shown(f.severity)),
      richIds(f.message, t, acct),
    ]),
    impact.checklist.map((step) => richIds(step, t, acct)),
  ]);
}

function accountData(
  a: AccountReport,
  t: Tables,
  names: ReadonlyMap<string, string>,
  withEvidence: boolean,
): unknown[] {
  const acct: Acct = { id: a.accountId, name: a.name === undefined ? undefined : shown(a.name) };
  const { S } = t;
  return [
    a.accountId,
    a.name === undefined ? -1 : S.id(shown(a.name)),
    VERDICT_CODES.indexOf(a.verdict),
    t.L.id(sortedRules(a.rules).map((r) => resultData(r, t, acct, withEvidence))),
    a.tags === undefined
      ? -1
      : t.G.id(a.tags.map((tag) => [S.id(shown(tag.key)), S.id(shown(tag.value))])),
    a.ouPath === undefined
      ? -1
      : t.P.id(
          pathLevels(a.ouPath, names).map((l) => [
            l.name === undefined ? -1 : S.id(shown(l.name)),
            S.id(shown(l.id)),
          ]),
        ),
    a.notes === undefined || a.notes.length === 0
      ? 0
      : a.notes.map((n) => S.id(shownText(n), acct)),
    impactData(a, t, acct),
  ];
}

/**
 * The compact data the page script renders from (layout documented in
 * html-script.ts).
 */
export function dataIsland(
  accounts: readonly AccountReport[],
  pageSize: number,
  withEvidence: boolean,
  names: ReadonlyMap<string, string>,
) {
  const t: Tables = {
    S: new Strings(),
    D: new Table(),
    R: new Table(),
    L: new Table(),
    P: new Table(),
    G: new Table(),
    I: new Table(),
    defs: new Map(),
    rich: new Map(),
  };
  const A = accounts.map((a) => accountData(a, t, names, withEvidence));
  // Attestation field labels, in attestationFields' order (an attestation stores only its values).
  const labels = attestationFields({
    fact: '',
    value: true,
    attestedBy: '',
    attestedAt: '',
    expiresAt: '',
    evidence: '',
  }).map((f) => t.S.id(f.label));
  const T = [t.S.id(IMPACT_TITLE), t.S.id(CHECKLIST_TITLE), t.S.id(NOTHING_FOUND), labels];
  return {
    pageSize,
    S: t.S.list,
    D: t.D.list,
    R: t.R.list,
    L: t.L.list,
    P: t.P.list,
    G: t.G.list,
    I: t.I.list,
    A,
    T,
  };
}
