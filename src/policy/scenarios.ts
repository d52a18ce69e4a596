/**
 * Keys nobody can know before the call (MFA, source IP, VPC, time): which values a
 * real request can carry, and what each combination decides. For boolean keys the
 * values are the whole domain, so trying them all can settle a verdict; for the rest
 * they are examples, taken from the policies themselves, never invented.
 */
import { ipInRange, parseDate, parseNumber, scalarText } from './conditions.js';
import { ABSENT, type ContextLookup, type ContextValue, ScenarioContext } from './context.js';
import { conditionKeys, decide, pushKey, type Core, type Gate } from './decide.js';
import type { CompiledStatement } from './document.js';
import type { RequestContext } from './context.js';
import type { ScenarioTrace, ScenarioValue } from './types.js';

/** Keys whose only values in a real request are "true"/"false" (or absent): enumerating them is exhaustive. */
export const BOOLEAN_KEYS: ReadonlySet<string> = new Set([
  'aws:multifactorauthpresent',
  'aws:securetransport',
  'aws:viaawsservice',
  'aws:principalisawsservice',
]);

/**
 * Keys AWS puts in every request leavegate can make (a signed call by an IAM principal to
 * the public Organizations endpoint): "absent" is not a scenario a real call can have, so
 * an example "denied when aws:SourceIp absent" would describe a request nobody can send.
 */
const ALWAYS_PRESENT: ReadonlySet<string> = new Set([
  'aws:sourceip',
  'aws:requestedregion',
  'aws:currenttime',
  'aws:epochtime',
  'aws:securetransport',
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principaltype',
  'aws:userid',
  'aws:viaawsservice',
  'aws:principalisawsservice',
]);

/** Addresses tried as "outside the policy's ranges" (documentation ranges, RFC 5737 / RFC 3849). */
const OUTSIDE_ADDRESSES = ['192.0.2.1', '198.51.100.1', '203.0.113.1', '2001:db8::1'];

/** Stands in for "any other value" while evaluating; never shown (the trace says `other-than`). */
const OTHER_VALUE = 'leavegate-other-value';

/** At most this many values per key besides absent, and this many combinations in all. */
const MAX_VALUES = 8;
const MAX_COMBINATIONS = 512;

interface Candidate {
  shown: ScenarioValue;
  value: ContextValue;
}

/** The unknown keys a statement's conditions read. */
export function unknownKeysOf(s: CompiledStatement, ctx: ContextLookup): string[] {
  const out: string[] = [];
  for (const c of s.conditions) {
    for (const k of conditionKeys(c)) if (ctx.get(k).kind === 'unknown') pushKey(out, k);
  }
  return out;
}

/** A host address inside a policy range (the network address itself is no source of a request). */
function hostIn(range: string): string {
  const base = range.split('/')[0] ?? range;
  if (!range.includes('/')) return base;
  if (base.includes(':')) return base.endsWith('::') ? `${base}1` : base;
  return base.endsWith('.0') ? `${base.slice(0, -1)}1` : base;
}

/** The values of a key the policies name, as candidates, plus "other" markers to add. */
function policyCandidates(
  key: string,
  gates: readonly Gate[],
): { values: Candidate[]; plain: string[]; ranges: string[] } {
  const values: Candidate[] = [];
  const plain: string[] = [];
  const ranges: string[] = [];
  const present = (text: string, shown: ScenarioValue = { kind: 'equals', value: text }): void => {
    values.push({ shown, value: { kind: 'present', values: [text] } });
  };
  for (const g of gates)
    for (const p of g.policies)
      for (const s of p.statements)
        for (const c of s.conditions) {
          if (c.key.toLowerCase() !== key) continue;
          const fam = c.parsed.base.family;
          for (const t of c.values.map(scalarText)) {
            if (fam === 'numeric') {
              const n = parseNumber(t);
              if (n !== undefined) for (const d of [-1, 0, 1]) present(String(n + d));
            } else if (fam === 'date') {
              const ms = parseDate(t);
              if (ms !== undefined)
                for (const d of [-1000, 0, 1000]) present(new Date(ms + d).toISOString());
            } else if (fam === 'ip') {
              ranges.push(t);
              present(hostIn(t));
            } else if (fam === 'bool') {
              present('true');
              present('false');
            } else if (!t.includes('${')) {
              if (/[*?]/.test(t))
                present(t.replaceAll('*', 'x').replaceAll('?', 'x'), { kind: 'like', pattern: t });
              else {
                plain.push(t);
                present(t);
              }
            }
          }
        }
  return { values, plain, ranges };
}

/** Keys that hold the time of the request: a call made after the evaluation cannot be earlier. */
const TIME_KEYS: ReadonlySet<string> = new Set(['aws:currenttime', 'aws:epochtime']);

/**
 * Drops times before `now` (a future call cannot carry them); when none is left, the
 * evaluation time itself stands for "now or later".
 */
function notBefore(key: string, present: Candidate[], now: number | undefined): Candidate[] {
  if (now === undefined || !TIME_KEYS.has(key)) return present;
  const later = present.filter((c) => {
    const ms = c.value.kind === 'present' ? parseDate(c.value.values[0] ?? '') : undefined;
    return ms === undefined || ms >= now;
  });
  if (later.some((c) => c.shown.kind === 'equals')) return later;
  const text =
    key === 'aws:epochtime' ? String(Math.floor(now / 1000)) : new Date(now).toISOString();
  return [
    { shown: { kind: 'equals', value: text }, value: { kind: 'present', values: [text] } },
    ...later,
  ];
}

function candidatesFor(displayKey: string, gates: readonly Gate[], now?: number): Candidate[] {
  const key = displayKey.toLowerCase();
  const out: Candidate[] = ALWAYS_PRESENT.has(key)
    ? []
    : [{ shown: { kind: 'absent' }, value: ABSENT }];
  let present: Candidate[];
  if (BOOLEAN_KEYS.has(key)) {
    present = ['true', 'false'].map((v) => ({
      shown: { kind: 'equals', value: v },
      value: { kind: 'present', values: [v] },
    }));
  } else {
    const found = policyCandidates(key, gates);
    present = found.values;
    if (found.ranges.length > 0) {
      const outside =
        OUTSIDE_ADDRESSES.find((a) => !found.ranges.some((r) => ipInRange(a, r))) ?? OTHER_VALUE;
      present.push({
        shown: { kind: 'outside', ranges: found.ranges },
        value: { kind: 'present', values: [outside] },
      });
    } else if (
      found.plain.length > 0 ||
      found.values.length === 0 ||
      found.values.some((c) => c.shown.kind === 'like')
    ) {
      // Numbers, dates and booleans already bracket every policy value; "some other text"
      // would be no value such a key can have.
      present.push({
        shown: { kind: 'other-than', values: found.plain },
        value: { kind: 'present', values: [OTHER_VALUE] },
      });
    }
  }
  const seen = new Set<string>();
  for (const c of notBefore(key, present, now)) {
    const text = c.value.kind === 'present' ? (c.value.values[0] ?? '') : '';
    if (seen.has(text) || seen.size >= MAX_VALUES) continue;
    seen.add(text);
    out.push(c);
  }
  return out;
}

/** Tries every combination of the keys' candidate values; undefined when there are too many. */
function enumerate(
  keys: readonly string[],
  gates: readonly Gate[],
  ctx: RequestContext,
  now: number | undefined,
): ScenarioTrace[] | undefined {
  const cands = keys.map((k) => candidatesFor(k, gates, now));
  const total = cands.reduce((n, c) => n * c.length, 1);
  if (total > MAX_COMBINATIONS || total === 0) return undefined;
  const out: ScenarioTrace[] = [];
  const idx = keys.map(() => 0);
  for (let n = 0; n < total; n++) {
    const fixed = new Map<string, ContextValue>();
    const when: ScenarioTrace['when'] = [];
    keys.forEach((key, i) => {
      const c = cands[i]![idx[i]!]!;
      fixed.set(key.toLowerCase(), c.value);
      when.push({ key, value: c.shown });
    });
    out.push({ when, decision: decide(gates, new ScenarioContext(ctx, fixed)).decision });
    for (let i = 0; i < idx.length; i++) {
      idx[i]! += 1;
      if (idx[i]! < cands[i]!.length) break;
      idx[i] = 0;
    }
  }
  return out;
}

export interface Settled {
  decision: Core['decision'];
  dependsOn: string[];
  scenarios?: ScenarioTrace[];
  settledBy?: 'exhaustive';
}

/**
 * A conditional outcome, tried over the unknown keys it depends on. When those keys are all
 * boolean, every combination was tried: if all give one decision (or all deny, for different
 * reasons), that is the decision — a deny either way is reported as the weaker implicitDeny.
 */
export function settle(
  dependsOn: string[],
  gates: readonly Gate[],
  ctx: RequestContext,
  now?: number,
): Settled {
  const scenarios = enumerate(dependsOn, gates, ctx, now);
  if (scenarios === undefined) return { decision: 'conditional', dependsOn };
  const outcomes = new Set(scenarios.map((s) => s.decision));
  const allDenied = [...outcomes].every((d) => d === 'explicitDeny' || d === 'implicitDeny');
  const exhaustive = dependsOn.every((k) => BOOLEAN_KEYS.has(k.toLowerCase()));
  if (exhaustive && !outcomes.has('conditional') && (outcomes.size === 1 || allDenied)) {
    const decision = outcomes.size === 1 ? scenarios[0]!.decision : 'implicitDeny';
    return { decision, dependsOn: [], scenarios, settledBy: 'exhaustive' };
  }
  return { decision: 'conditional', dependsOn, scenarios };
}
