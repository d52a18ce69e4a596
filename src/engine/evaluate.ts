/**
 * Facts + rules -> per-account, per-rule results with json-rules-engine.
 *
 * One Engine per evaluation run, accounts run one after another (a shared
 * engine can silently skip rules when runs overlap). A rule whose declared
 * facts are not all known is `unknown` and is not run: a guard condition
 * with the highest priority short-circuits it. A rule that throws is
 * `unknown` with the error. Every loaded rule must produce a result for
 * every account, or the account is unknown.
 *
 * Custom (plugin) operators get frozen copies of their arguments and must
 * return a boolean; one account's evaluation is bounded in time. Neither a
 * mutating operator nor a hanging one can change another rule's result.
 */
import { types } from 'node:util';
import { Engine, type RuleResult as JreRuleResult } from 'json-rules-engine';
import type { AccountFacts } from '../facts/types.js';
import { verdictOf } from '../gate/verdict.js';
import { conditionEvidence, plainMessage } from './evidence.js';
import { isVerdictFact } from '../facts/registry.js';
import type { AccountReport, RuleResult, RuleStatus } from '../report/types.js';
import { frozenClone, ignoreRejection } from '../rules/json-copy.js';
import { errorText, withTimeout } from '../rules/plugins.js';
import { getPath, renderTemplate } from '../rules/template.js';
import type { LoadedRule, OperatorFn, Waiver } from '../rules/types.js';

const SKIP_FACT = '$leavegateSkip';
const GUARD_PRIORITY = 1_000_000;

export interface EvaluateOptions {
  operators?: Record<string, OperatorFn>;
  waivers?: Waiver[];
  now: Date;
  /** Account names for the report. */
  names?: ReadonlyMap<string, string>;
  /** Bound on one account's evaluation (default 30 s); past it the account's rules are unknown. */
  accountTimeoutMs?: number;
}

const DEFAULT_ACCOUNT_TIMEOUT_MS = 30_000;

export interface EvaluationResult {
  accounts: AccountReport[];
  warnings: string[];
}

/**
 * Simple `$.a.b[0]` paths (the rule schema allows nothing else); much faster
 * than JSONPath. `.length` also works on strings, as in JSONPath.
 */
export function resolvePath(value: object, path: string): unknown {
  let cur: unknown = value;
  for (const m of path.slice(1).matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)) {
    if (typeof cur === 'string' && m[1] === 'length') cur = cur.length;
    else if (cur === null || typeof cur !== 'object') return undefined;
    else {
      // Own properties only: a rule path must never reach the prototype chain.
      const key = m[1] ?? Number(m[2]);
      cur = Object.hasOwn(cur, key) ? (cur as Record<string | number, unknown>)[key] : undefined;
    }
  }
  return cur;
}

/**
 * A custom operator sees frozen copies (it cannot rewrite the facts or rule
 * values other rules read) and must return a boolean: anything else — a
 * promise included, our operators are synchronous — makes its rule unknown.
 */
function checkedOperator(name: string, fn: OperatorFn): OperatorFn {
  return (factValue, jsonValue) => {
    const out: unknown = fn(frozenClone(factValue), frozenClone(jsonValue));
    if (typeof out === 'boolean') return out;
    ignoreRejection(out);
    const what = types.isPromise(out)
      ? 'a Promise'
      : out === null || out === undefined
        ? String(out)
        : `${typeof out === 'object' ? 'an' : 'a'} ${typeof out}`;
    throw new Error(`operator ${name} returned ${what}, not a boolean`);
  };
}

function newEngine(rules: LoadedRule[], operators: Record<string, OperatorFn>): Engine {
  const engine = new Engine([], { allowUndefinedFacts: false, pathResolver: resolvePath });
  for (const [name, fn] of Object.entries(operators))
    engine.addOperator(name, checkedOperator(name, fn));
  for (const rule of rules) {
    engine.addRule({
      name: rule.id,
      conditions: {
        all: [
          { fact: SKIP_FACT, operator: 'doesNotContain', value: rule.id, priority: GUARD_PRIORITY },
          rule.conditions as never,
        ],
      },
      event: { type: rule.id },
    });
  }
  return engine;
}

/** Why a declared fact (or dotted path) is unknown for this account, or undefined when known. */
function unknownReason(declared: string, facts: AccountFacts): string | undefined {
  const [top, ...rest] = declared.split('.');
  if (top === undefined) return 'empty fact name';
  const reason = facts.unknown[top];
  if (reason !== undefined) return reason;
  if (!(top in facts.known)) return `${top} was not provided`;
  if (rest.length === 0) return undefined;
  if (getPath(facts.known[top], rest.join('.')) !== undefined) return undefined;
  if (top === 'attested') {
    const fact = rest.join('.');
    const ignored = facts.ignoredAttestations.filter((a) => a.fact === fact).map((a) => a.message);
    return ignored.length > 0 ? ignored.join('; ') : `nobody attested ${fact}`;
  }
  return `${declared} has no value`;
}

function evidenceFor(
  rule: LoadedRule,
  facts: AccountFacts,
  conditions: unknown,
  passed: boolean,
): Record<string, unknown> {
  const evidence: Record<string, unknown> = {};
  for (const f of rule.facts) {
    if (!isVerdictFact(f)) continue;
    // The evaluator's full trace where someone must act on it; for an allowed
    // verdict the decision and its summary say enough (10,000 accounts would
    // otherwise carry ~50 MB of traces nobody reads; `check --snapshot` recomputes them).
    const { trace, ...verdict } = facts.known[f] as { trace?: unknown };
    Object.assign(evidence, passed ? verdict : { ...verdict, trace });
  }
  evidence.conditions = conditionEvidence(conditions, SKIP_FACT);
  return evidence;
}

/**
 * What to do about a policy verdict comes from the verdict itself (which
 * policy to detach, which principal the denying statement exempts); the rule's
 * generic text follows it.
 */
function remediationFor(rule: LoadedRule, evidence: Record<string, unknown>): string {
  const specific = evidence.remediation;
  return typeof specific === 'string' && specific !== ''
    ? `${specific}. ${rule.remediation}`
    : rule.remediation;
}

function result(
  rule: LoadedRule,
  status: RuleStatus,
  message: string,
  evidence: Record<string, unknown>,
): RuleResult {
  // What to do only where something must be done: 10,000 accounts x 12 passing
  // rules would otherwise repeat the same texts ~90 MB over (Report.rules has them once).
  return {
    id: rule.id,
    title: rule.title,
    severity: rule.severity,
    status,
    message,
    evidence,
    ...(status !== 'pass' && { remediation: remediationFor(rule, evidence) }),
    pack: rule.pack,
    ...(status !== 'pass' && { references: rule.references }),
  };
}

/**
 * What the facts layer adds to a result (DESIGN §4.6 provenance). A rule
 * some declared fact of which is unknown gets the facts layer's fix for what
 * could not be read as its remediation (when there is one for every such
 * fact; else the rule's own stands); a decided rule names the valid
 * attestations its declared facts were decided on.
 */
function fromFactsLayer(
  rule: LoadedRule,
  facts: AccountFacts,
): Pick<RuleResult, 'attestations' | 'remediation'> {
  const missing = rule.facts.filter((f) => unknownReason(f, facts) !== undefined);
  if (missing.length > 0) {
    const fixes = missing.map((f) => facts.fixes?.[f] ?? facts.fixes?.[f.split('.')[0] ?? '']);
    if (fixes.some((f) => f === undefined)) return {};
    return { remediation: [...new Set(fixes)].join('; ') };
  }
  // The derive code shares one entry between `attested` and `attested.<fact>`: a Set dedupes.
  const used = new Set(rule.facts.flatMap((f) => facts.attestationsUsed?.[f] ?? []));
  return used.size === 0 ? {} : { attestations: [...used] };
}

function fromEngine(rule: LoadedRule, facts: AccountFacts, jre: JreRuleResult): RuleResult {
  const passed = jre.result === true;
  const scope = { ...facts.known, accountId: facts.accountId, expected: rule.expected };
  const template = passed ? rule.messages?.pass : rule.messages?.fail;
  const message =
    template === undefined
      ? plainMessage(jre.conditions, SKIP_FACT, passed)
      : renderTemplate(template, scope);
  const evidence = evidenceFor(rule, facts, jre.conditions, passed);
  return result(rule, passed ? 'pass' : 'fail', message, evidence);
}

async function runEngine(
  engine: Engine,
  facts: AccountFacts,
  skip: string[],
): Promise<Map<string, JreRuleResult>> {
  const out = await engine.run({ ...facts.known, [SKIP_FACT]: skip });
  const byId = new Map<string, JreRuleResult>();
  for (const r of [...out.results, ...out.failureResults]) {
    if (!skip.includes(r.name)) byId.set(r.name, r);
  }
  return byId;
}

/** Runs each rule alone to find the one that throws (only after a run failed). */
async function isolate(
  rules: LoadedRule[],
  operators: Record<string, OperatorFn>,
  facts: AccountFacts,
  skip: string[],
): Promise<{ results: Map<string, JreRuleResult>; errors: Map<string, string> }> {
  const results = new Map<string, JreRuleResult>();
  const errors = new Map<string, string>();
  for (const rule of rules) {
    if (skip.includes(rule.id)) continue;
    try {
      const one = await runEngine(newEngine([rule], operators), facts, []);
      const r = one.get(rule.id);
      if (r !== undefined) results.set(rule.id, r);
    } catch (err) {
      errors.set(rule.id, errorText(err));
    }
  }
  return { results, errors };
}

/** One account: the shared engine, and when a rule throws, each rule alone to find it. */
async function evaluateOne(
  engine: Engine,
  rules: LoadedRule[],
  operators: Record<string, OperatorFn>,
  facts: AccountFacts,
  skip: string[],
): Promise<{ results: Map<string, JreRuleResult>; errors: Map<string, string> }> {
  try {
    return { results: await runEngine(engine, facts, skip), errors: new Map() };
  } catch {
    return isolate(rules, operators, facts, skip);
  }
}

/**
 * Evaluates every rule for every account. Pure apart from the engine's own
 * async scheduling: no I/O, no clock (the evaluation time is `options.now`).
 */
export async function evaluateAccounts(
  rules: LoadedRule[],
  accounts: Iterable<AccountFacts>,
  options: EvaluateOptions,
): Promise<EvaluationResult> {
  const operators = options.operators ?? {};
  const engine = newEngine(rules, operators);
  const now = options.now.getTime();
  const warnings: string[] = [];
  const ruleIds = new Set(rules.map((r) => r.id));
  const waivable = new Map(rules.map((r) => [r.id, r.waivable]));
  for (const w of options.waivers ?? []) {
    if (!ruleIds.has(w.rule))
      warnings.push(`waiver for rule "${w.rule}" names no loaded rule; ignored`);
    else if (waivable.get(w.rule) === false) {
      warnings.push(
        `waiver for rule "${w.rule}" ignored: it is a built-in AWS precondition and cannot be waived`,
      );
    }
  }

  const timeoutMs = options.accountTimeoutMs ?? DEFAULT_ACCOUNT_TIMEOUT_MS;
  let stalled: string | undefined;
  const reports: AccountReport[] = [];
  for (const facts of accounts) {
    const notes: string[] = facts.ignoredAttestations.map((a) => a.message);
    const unknowns = new Map<string, string[]>();
    for (const rule of rules) {
      const reasons = rule.facts
        .map((f) => [f, unknownReason(f, facts)] as const)
        .filter((x): x is readonly [string, string] => x[1] !== undefined)
        .map(([f, why]) => `${f}: ${why}`);
      if (reasons.length > 0) unknowns.set(rule.id, reasons);
    }
    const skip = [...unknowns.keys()];
    let byId = new Map<string, JreRuleResult>();
    let thrown = new Map<string, string>();
    if (stalled === undefined) {
      try {
        ({ results: byId, errors: thrown } = await withTimeout(
          evaluateOne(engine, rules, operators, facts, skip),
          timeoutMs,
          () =>
            new Error(
              `the evaluation of account ${facts.accountId} did not finish within ${timeoutMs} ms`,
            ),
        ));
      } catch (err) {
        // The stalled run still holds the engine: running another account on it could
        // overlap (and skip rules), so the accounts after it are not evaluated.
        stalled = errorText(err);
        thrown = new Map(rules.map((r) => [r.id, stalled ?? '']));
      }
    } else {
      thrown = new Map(rules.map((r) => [r.id, `not evaluated: ${stalled ?? ''}`]));
    }

    const ruleResults = rules.map((rule): RuleResult => {
      const reasons = unknowns.get(rule.id);
      if (reasons !== undefined) {
        // The rule's own words first (when it has them), then why, from the facts layer.
        const message =
          rule.messages?.unknown === undefined
            ? `unknown: ${reasons.join('; ')}`
            : `${renderTemplate(rule.messages.unknown, {
                ...facts.known,
                accountId: facts.accountId,
                expected: rule.expected,
              })} (${reasons.join('; ')})`;
        return {
          ...result(rule, 'unknown', message, { unknownFacts: reasons }),
          ...fromFactsLayer(rule, facts),
        };
      }
      const error = thrown.get(rule.id);
      if (error !== undefined)
        return result(rule, 'unknown', `unknown: the rule failed to evaluate: ${error}`, { error });
      const jre = byId.get(rule.id);
      if (jre === undefined) {
        return result(rule, 'unknown', 'unknown: the engine produced no result for this rule', {});
      }
      const r = { ...fromEngine(rule, facts, jre), ...fromFactsLayer(rule, facts) };
      if (r.status !== 'fail' || !rule.waivable) return r;
      for (const w of options.waivers ?? []) {
        if (w.rule !== rule.id || !w.accounts.includes(facts.accountId)) continue;
        const expires = Date.parse(w.expiresAt);
        if (Number.isNaN(expires) || expires <= now) {
          notes.push(
            `waiver for ${rule.id} (owner ${w.owner}) expired ${w.expiresAt}; not applied`,
          );
          continue;
        }
        return {
          ...r,
          status: 'waived',
          waiver: { reason: w.reason, owner: w.owner, expiresAt: w.expiresAt },
        };
      }
      return r;
    });

    const name = options.names?.get(facts.accountId);
    const path = (facts.known.account as { ouPath?: string[] } | undefined)?.ouPath;
    const ouPath = path !== undefined && path.length > 0 ? path : undefined;
    reports.push({
      accountId: facts.accountId,
      ...(name !== undefined && { name }),
      verdict: verdictOf({ rules: ruleResults }),
      rules: ruleResults,
      ...(facts.tags !== undefined && { tags: facts.tags }),
      ...(ouPath !== undefined && { ouPath }),
      ...(notes.length > 0 && { notes }),
    });
  }
  // The gate's own invariant: a result for every loaded rule for every account.
  for (const r of reports) {
    if (r.rules.length !== rules.length)
      throw new Error(
        `internal: ${r.accountId} has ${r.rules.length} of ${rules.length} rule results`,
      );
  }
  return { accounts: reports, warnings };
}
