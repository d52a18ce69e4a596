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
import { conditionEvidence, plainMessage } from './evidence.js';
import type { OutcomeStatus, RuleOutcome } from './types.js';

/** The guard fact every rule's conditions start with (see evaluate.ts). */
export const SKIP_FACT = '$leavegateSkip';

/** Why a declared fact (or dotted path) is unknown for this account, or undefined when known. */
export function unknownReason(declared: string, facts: AccountFacts): string | undefined {
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
 * attestations its declared facts were decided on.
 */
export function fromFactsLayer(
  rule: LoadedRule,
  facts: AccountFacts,
): Pick<RuleOutcome, 'attestations' | 'remediation'> {
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

export function fromEngine(rule: LoadedRule, facts: AccountFacts, jre: JreRuleResult): RuleOutcome {
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
