/**
 * json-rules-engine once per distinct rule input (issue 13).
 *
 * Most accounts of an organization give a rule the same inputs (the same
 * account state, the same SCP decision, the same attestation), and running
 * the engine costs mostly a deep copy of the rule's conditions per run. So a
 * cacheable rule's engine outcome — pass/fail with the evaluated conditions,
 * or the error it threw — is kept per (rule, key of the values its
 * conditions read: ./input-key.ts), and each account's result (message,
 * evidence, attestations, remediation) is still rendered from that account's
 * own facts (./results.ts `fromSummary`): a template that names the account
 * renders the account.
 *
 * Which rules are cached: those whose operators are all built-in and not
 * replaced by a plugin (`ruleReads`). A plugin operator may be impure — keep
 * state, answer differently per call — so a rule that names one runs for
 * every account, never from the cache: such rules share one engine, as they
 * would without the cache. Plugin *facts* need no exception: they are
 * computed per account before the engine runs, and the key holds the value
 * the engine will read, whatever produced it.
 *
 * Bounded: each rule keeps at most `maxKeysPerRule` distinct inputs; a rule
 * with more (a fractional `daysSinceJoined`, free-form tags) stops being
 * cached, its entries are dropped and it runs per account from then on. An
 * input whose key would be longer than MAX_KEY_CHARS is run, not kept.
 */
import type { Engine } from 'json-rules-engine';
import type { AccountFacts } from '../facts/types.js';
import { errorText } from '../rules/plugins.js';
import type { LoadedRule, OperatorFn } from '../rules/types.js';
import { inputKey, ruleReads, type FactRead } from './input-key.js';
import {
  evaluateOnEngine,
  newEngine,
  runEngine,
  type AccountEvaluator,
  type Decided,
} from './jre.js';
import { summarize, type EngineSummary } from './results.js';

export interface CacheOptions {
  /** Distinct inputs kept per rule before the rule stops being cached (default 1,000). */
  maxKeysPerRule?: number;
}

export interface CacheStats {
  /** Rule evaluations answered from the cache. */
  hits: number;
  /** Rule evaluations run on the engine and kept. */
  misses: number;
  /** Rule evaluations run on the engine and not kept (not cacheable, rule stopped, key too long). */
  uncached: number;
  /** Per cacheable rule: distinct inputs kept, or `stopped` when it had too many. */
  rules: Record<string, number | 'stopped'>;
  /** Rules never cached (a plugin operator, a condition shape the key cannot cover). */
  neverCached: string[];
}

export const DEFAULT_MAX_KEYS_PER_RULE = 1000;

type Entry = { summary: EngineSummary } | { error: string } | { none: true };

interface CacheableRule {
  rule: LoadedRule;
  reads: FactRead[];
  /** Distinct inputs seen, or undefined once the rule stopped being cached. */
  entries: Map<string, Entry> | undefined;
  engine?: Engine;
}

/** The facts `reads` name, as engine.run would see them (`{ ...known }`, restricted). */
function factsFor(
  reads: readonly FactRead[],
  known: AccountFacts['known'],
): Record<string, unknown> {
  const out: [string, unknown][] = [];
  for (const { fact } of reads)
    if (Object.prototype.propertyIsEnumerable.call(known, fact)) out.push([fact, known[fact]]);
  return Object.fromEntries(out);
}

/** One cacheable rule on its own engine, for one account. */
async function runOne(
  c: CacheableRule,
  operators: Record<string, OperatorFn>,
  facts: AccountFacts,
): Promise<Entry> {
  c.engine ??= newEngine([c.rule], operators);
  try {
    const jre = (await runEngine(c.engine, factsFor(c.reads, facts.known), [])).get(c.rule.id);
    return jre === undefined ? { none: true } : { summary: summarize(c.rule, jre) };
  } catch (err) {
    return { error: errorText(err) };
  }
}

function apply(into: Decided, id: string, entry: Entry): void {
  if ('summary' in entry) into.summaries.set(id, entry.summary);
  else if ('error' in entry) into.errors.set(id, entry.error);
}

/**
 * An account evaluator that answers cacheable rules from the cache and runs
 * the rest; `stats` says what it did.
 */
export function cachedEvaluator(
  rules: LoadedRule[],
  operators: Record<string, OperatorFn>,
  options: CacheOptions,
): { evaluate: AccountEvaluator; stats: () => CacheStats } {
  const max = options.maxKeysPerRule ?? DEFAULT_MAX_KEYS_PER_RULE;
  const plugin = new Set(Object.keys(operators));
  const cacheable: CacheableRule[] = [];
  const always: LoadedRule[] = [];
  for (const rule of rules) {
    const reads = ruleReads(rule.conditions, plugin);
    if (reads === undefined) always.push(rule);
    else cacheable.push({ rule, reads, entries: new Map() });
  }
  const alwaysEngine = always.length > 0 ? newEngine(always, operators) : undefined;
  const counts = { hits: 0, misses: 0, uncached: 0 };

  const evaluate: AccountEvaluator = async (facts, unknowns) => {
    const out: Decided = { summaries: new Map(), errors: new Map() };
    if (alwaysEngine !== undefined && always.some((r) => !unknowns.has(r.id))) {
      const skip = always.filter((r) => unknowns.has(r.id)).map((r) => r.id);
      const d = await evaluateOnEngine(alwaysEngine, always, operators, facts, skip);
      for (const [id, s] of d.summaries) out.summaries.set(id, s);
      for (const [id, e] of d.errors) out.errors.set(id, e);
      counts.uncached += always.length - skip.length;
    }
    const memo = new Map<string, string | undefined>();
    for (const c of cacheable) {
      if (unknowns.has(c.rule.id)) continue;
      const key = c.entries === undefined ? undefined : inputKey(c.reads, facts, memo);
      const hit = key === undefined ? undefined : c.entries?.get(key);
      if (hit !== undefined) {
        counts.hits++;
        apply(out, c.rule.id, hit);
        continue;
      }
      const entry = await runOne(c, operators, facts);
      apply(out, c.rule.id, entry);
      if (key === undefined || c.entries === undefined || 'none' in entry) {
        counts.uncached++;
      } else if (c.entries.size >= max) {
        // Too many distinct inputs to be worth keeping: the rule runs per account from now on.
        c.entries = undefined;
        counts.uncached++;
      } else {
        c.entries.set(key, entry);
        counts.misses++;
      }
    }
    return out;
  };

  const stats = (): CacheStats => ({
    ...counts,
    rules: Object.fromEntries(
      cacheable.map((c) => [c.rule.id, c.entries === undefined ? 'stopped' : c.entries.size]),
    ),
    neverCached: always.map((r) => r.id),
  });
  return { evaluate, stats };
}
