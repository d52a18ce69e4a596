/**
 * One rule's outcome for one account, from what json-rules-engine answered
 * or from why it could not run: status, one-line message, evidence, and —
 * where something must be done — the remediation and references.
 */
import type { RuleResult as JreRuleResult } from 'json-rules-engine';
import { isVerdictFact } from '../facts/registry.js';
import type { AccountFacts } from '../facts/types.js';
import { getPath, renderTemplate } from '../rules/template.js';
import type { LoadedRule } from '../rules/types.js';
import { conditionEvidence, plainMessage, type ConditionEvidence } from './evidence.js';
import type { OutcomeStatus, RuleOutcome } from './types.js';

/** The guard fact every rule's conditions start with (see evaluate.ts). */
export const SKIP_FACT = '$leavegateSkip';

const DECLARED = new Map<string, { top: string; rest: string | undefined }>();

/** `a.b.c` as its fact `a` and the path `b.c` in it; split once per name (rules declare a few). */
function declaredParts(declared: string): { top: string; rest: string | undefined } {
  let parts = DECLARED.get(declared);
  if (parts === undefined) {
    const at = declared.indexOf('.');
    parts =
      at < 0
        ? { top: declared, rest: undefined }
        : { top: declared.slice(0, at), rest: declared.slice(at + 1) };
    if (DECLARED.size >= 10_000) DECLARED.clear();
    DECLARED.set(declared, parts);
  }
  return parts;
}

/** Why a declared fact (or dotted path) is unknown for this account, or undefined when known. */
export function unknownReason(declared: string, facts: AccountFacts): string | undefined {
  const { top, rest } = declaredParts(declared);
  const reason = facts.unknown[top];
  if (reason !== undefined) return reason;
  if (!(top in facts.known)) return `${top} was not provided`;
  if (rest === undefined) return undefined;
  if (getPath(facts.known[top], rest) !== undefined) return undefined;
  if (top === 'attested') {
    const fact = rest;
    const ignored = facts.ignoredAttestations.filter((a) => a.fact === fact).map((a) => a.message);
    return ignored.length > 0 ? ignored.join('; ') : `nobody attested ${fact}`;
  }
  return `${declared} has no value`;
}

function evidenceFor(
  rule: LoadedRule,
  facts: AccountFacts,
  conditions: ConditionEvidence[],
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
  evidence.conditions = conditions;
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

export function result(
  rule: LoadedRule,
  status: OutcomeStatus,
  message: string,
  evidence: Record<string, unknown>,
): RuleOutcome {
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
 * attestations its declared facts were decided on. `missing`: the declared
 * facts that are unknown, when the caller knows them already.
 */
export function fromFactsLayer(
  rule: LoadedRule,
  facts: AccountFacts,
  missing: readonly string[] = rule.facts.filter((f) => unknownReason(f, facts) !== undefined),
): Pick<RuleOutcome, 'attestations' | 'remediation'> {
  if (missing.length > 0) {
    const fixes = missing.map((f) => facts.fixes?.[f] ?? facts.fixes?.[f.split('.')[0] ?? '']);
    if (fixes.some((f) => f === undefined)) return {};
    return { remediation: [...new Set(fixes)].join('; ') };
  }
  // The derive code shares one entry between `attested` and `attested.<fact>`: a Set dedupes.
  const used = new Set(rule.facts.flatMap((f) => facts.attestationsUsed?.[f] ?? []));
  return used.size === 0 ? {} : { attestations: [...used] };
}

/**
 * What a rule's engine result says that does not depend on which account it
 * ran for: a function of the rule and of the values its conditions read, so
 * the cache (./cached.ts) keeps it per distinct input. Shared between
 * accounts: never mutated.
 */
export interface EngineSummary {
  passed: boolean;
  /** The evaluated conditions (the guard left out), as evidence. */
  conditions: ConditionEvidence[];
  /** The plain message, when the rule has no template for this outcome. */
  plain?: string;
}

export function summarize(rule: LoadedRule, jre: JreRuleResult): EngineSummary {
  const passed = jre.result === true;
  const template = passed ? rule.messages?.pass : rule.messages?.fail;
  // Frozen (not what was found, which is the account's own data): one account's
  // report code cannot rewrite the evidence other accounts share.
  const conditions = conditionEvidence(jre.conditions, SKIP_FACT).map((c) => Object.freeze(c));
  return {
    passed,
    conditions: Object.freeze(conditions) as ConditionEvidence[],
    ...(template === undefined && { plain: plainMessage(jre.conditions, SKIP_FACT, passed) }),
  };
}

/**
 * The scope message templates render against: the account's facts, its id,
 * and (set per rule by `ruleScope`) the rule's expected values. Built once
 * per account instead of once per rule.
 */
export function accountScope(facts: AccountFacts): Record<string, unknown> {
  return { ...facts.known, accountId: facts.accountId };
}

function ruleScope(scope: Record<string, unknown>, rule: LoadedRule): Record<string, unknown> {
  scope.expected = rule.expected;
  return scope;
}

/** One account's outcome of a rule the engine decided (`summary`), with its per-account message and evidence. */
export function fromSummary(
  rule: LoadedRule,
  facts: AccountFacts,
  summary: EngineSummary,
  scope: Record<string, unknown>,
): RuleOutcome {
  const template = summary.passed ? rule.messages?.pass : rule.messages?.fail;
  const message =
    template === undefined
      ? (summary.plain ?? '')
      : renderTemplate(template, ruleScope(scope, rule));
  const evidence = evidenceFor(rule, facts, summary.conditions, summary.passed);
  return {
    ...result(rule, summary.passed ? 'pass' : 'fail', message, evidence),
    // Decided: every declared fact was known (else the rule would not have run).
    ...fromFactsLayer(rule, facts, []),
  };
}

/** The outcome of a rule that did not run because facts it declares are unknown. */
export function unknownOutcome(
  rule: LoadedRule,
  facts: AccountFacts,
  unknown: { facts: readonly string[]; reasons: string[] },
  scope: Record<string, unknown>,
): RuleOutcome {
  const { reasons } = unknown;
  // The rule's own words first (when it has them), then why, from the facts layer.
  const message =
    rule.messages?.unknown === undefined
      ? `unknown: ${reasons.join('; ')}`
      : `${renderTemplate(rule.messages.unknown, ruleScope(scope, rule))} (${reasons.join('; ')})`;
  return {
    ...result(rule, 'unknown', message, { unknownFacts: reasons }),
    ...fromFactsLayer(rule, facts, unknown.facts),
  };
}
