/**
 * Every sentence the evaluator says, written from its trace (EvaluationTrace) and
 * nothing else: the decision is made in decide.ts/evaluate.ts, the words here
 * (explain-terms.ts names the parts).
 */
import { allowRemediation, denyRemediation } from './explain-remediation.js';
import {
  caseNotes,
  describeLevel,
  describePolicy,
  describeStatement,
  fmtValues,
  scenarioText,
  who,
  whyNot,
  type Located,
} from './explain-terms.js';
import type { PolicyError } from './document.js';
import type {
  EvaluationTrace,
  LevelTrace,
  StatementRef,
  StatementTrace,
  Verdict,
} from './types.js';

function refOf({ level, st }: Located, reason: string): StatementRef {
  const scpLevel =
    level.kind === 'root' || level.kind === 'ou' || level.kind === 'account'
      ? {
          level: {
            kind: level.kind,
            id: level.id ?? '',
            ...(level.name !== undefined ? { name: level.name } : {}),
          },
        }
      : {};
  return {
    ...scpLevel,
    policyId: st.policyId,
    policyName: st.policyName,
    statementIndex: st.statementIndex,
    ...(st.sid !== undefined ? { sid: st.sid } : {}),
    effect: st.effect,
    reason,
    ...(st.conditions.length > 0 ? { conditions: st.conditions } : {}),
  };
}

/** Who an exemption names, as a noun phrase ("principals matching ..."). */
function exemptionTexts(st: StatementTrace): string[] {
  return (st.exemptions ?? []).map((e) => `${who(e)} are exempt`);
}

function statementsOf(trace: EvaluationTrace): Located[] {
  return trace.levels.flatMap((level) => level.statements.map((st) => ({ level, st })));
}

/** The scenarios as concrete values (null = absent), leaving out those only described in words. */
function concreteScenarios(trace: EvaluationTrace): Verdict['scenarios'] {
  const out: NonNullable<Verdict['scenarios']> = [];
  for (const s of trace.scenarios ?? []) {
    const when: Record<string, string | null> = {};
    let concrete = true;
    for (const w of s.when) {
      if (w.value.kind === 'absent') when[w.key] = null;
      else if (w.value.kind === 'equals') when[w.key] = w.value.value;
      else concrete = false;
    }
    if (concrete) out.push({ when, decision: s.decision });
  }
  return out;
}

function assumptionsOf(trace: EvaluationTrace): string[] {
  const out: string[] = [];
  let principal: string | undefined;
  for (const k of trace.context) {
    if (k.key.toLowerCase() === 'aws:principalarn') {
      if (k.reason !== undefined) principal = `aws:PrincipalArn ${k.reason}`;
    } else if (k.value === 'unknown') {
      if (!k.decisive)
        out.push(`${k.key} unknown (${k.reason ?? ''}); the outcome does not depend on it`);
    } else if (k.reason !== undefined) {
      out.push(`${k.key} ${k.value === 'absent' ? 'absent' : fmtValues(k.value)}: ${k.reason}`);
    }
  }
  if (principal !== undefined) out.push(principal);
  if (trace.settledBy === 'exhaustive' && trace.scenarios !== undefined) {
    const keys = (trace.scenarios[0]?.when ?? []).map((w) => w.key).join(', ');
    const outcomes = new Set(trace.scenarios.map((s) => s.decision));
    out.push(
      outcomes.size === 1
        ? `the outcome is the same whatever the value of ${keys}: every combination was tried`
        : `denied whatever the value of ${keys}: ${trace.scenarios
            .map((s) => `${scenarioText(s)} gives ${s.decision}`)
            .join('; ')}`,
    );
  }
  return out;
}

/** Writes the verdict (summary, references, remediation) from the trace; the trace rides along. */
export function explain(trace: EvaluationTrace): Verdict {
  const assumptions = assumptionsOf(trace);
  const common: Partial<Verdict> = {
    ...(assumptions.length > 0 ? { assumptions } : {}),
    trace,
  };
  const located = statementsOf(trace);
  switch (trace.decision) {
    case 'explicitDeny':
      return explicitDeny(trace, located, common);
    case 'implicitDeny':
      return implicitDeny(trace, located, common);
    case 'allowed':
      return { decision: 'allowed', summary: allowedSummary(trace, located), ...common };
    case 'conditional':
      return conditional(trace, located, common);
  }
}

function allowedSummary(trace: EvaluationTrace, located: Located[]): string {
  if (trace.subject === 'scp')
    return `allowed: every level (${trace.levels.map(describeLevel).join(', ')}) has an Allow for ${trace.action} and no Deny applies`;
  const parts = trace.levels.map((level) => {
    const l = located.find(
      (x) => x.level === level && x.st.effect === 'Allow' && x.st.applies === true,
    );
    return l
      ? `${describeLevel(level)} allow it (${describeStatement(l.st)})`
      : describeLevel(level);
  });
  return `allowed: ${parts.join('; ')} and no Deny applies`;
}

function explicitDeny(
  trace: EvaluationTrace,
  located: Located[],
  common: Partial<Verdict>,
): Verdict {
  let denies = located.filter((l) => l.st.effect === 'Deny' && l.st.applies === true);
  // After exhaustive enumeration every scenario denies, but no single statement does in all of them.
  if (denies.length === 0)
    denies = located.filter((l) => l.st.effect === 'Deny' && l.st.applies !== false);
  const first = denies[0]!;
  // The exemptions told are those of the statement named: another statement's exemptions
  // would send the reader to a principal the named statement still denies.
  const exemptions = exemptionTexts(first.st);
  const parts = [
    `explicit Deny in ${describeStatement(first.st)}, attached to ${describeLevel(first.level)}`,
    ...exemptions,
    ...caseNotes(first.st, trace.principalArn),
  ];
  const others = denies.slice(1);
  if (others.length > 0) {
    const shown = others.slice(0, 2).map((l) => describeStatement(l.st));
    if (others.length > 2) shown.push(`${others.length - 2} more`);
    parts.push(`also denied by ${shown.join(', ')}`);
  }
  return {
    decision: 'explicitDeny',
    summary: parts.join('; '),
    deniedBy: denies.map((l) =>
      refOf(
        l,
        l.st.conditions.length > 0
          ? 'action, resource and every condition match'
          : 'action and resource match',
      ),
    ),
    ...(exemptions.length > 0 ? { exemptions } : {}),
    remediation: denyRemediation(trace, denies),
    ...common,
  };
}

function implicitDeny(
  trace: EvaluationTrace,
  located: Located[],
  common: Partial<Verdict>,
): Verdict {
  const level = trace.levels.find((l) => l.allow === false);
  if (level === undefined) {
    // Reached only when every enumerated scenario denies, though no single level lacks an Allow outright.
    const why = (common.assumptions ?? []).at(-1) ?? '';
    return { decision: 'implicitDeny', summary: `no request can be allowed: ${why}`, ...common };
  }
  const allows = located.filter((l) => l.level === level && l.st.effect === 'Allow');
  const where =
    level.kind === 'identity'
      ? `in the identity policies of ${trace.principalArn}`
      : level.kind === 'boundary'
        ? `in the permissions boundary${level.name ? ` ${level.name}` : ''}`
        : `at ${describeLevel(level)}`;
  return {
    decision: 'implicitDeny',
    summary: `no Allow for ${trace.action} ${where}: ${whyNoAllow(trace, level, allows)}`,
    missingAllowAt: {
      kind: level.kind,
      ...(level.id !== undefined ? { id: level.id } : {}),
      ...(level.name !== undefined ? { name: level.name } : {}),
    },
    unmatchedAllows: allows.map((l) => refOf(l, whyNot(l.st))),
    remediation: allowRemediation(trace, level),
    ...common,
  };
}

function whyNoAllow(trace: EvaluationTrace, level: LevelTrace, allows: Located[]): string {
  if (level.policies.length === 0) {
    if (level.kind === 'identity') return `${trace.principalArn} has no identity policies`;
    return level.kind === 'boundary' ? 'the boundary is empty' : 'no SCP is attached there';
  }
  const parts: string[] = [];
  if (
    trace.subject === 'scp' &&
    !level.policies.some((p) => p.name === 'FullAWSAccess' || p.id === 'p-FullAWSAccess')
  )
    parts.push('FullAWSAccess is not attached there');
  if (allows.length === 0) {
    const names = level.policies.map((p) => p.name || p.id).join(', ');
    parts.push(
      `${names} ${level.policies.length === 1 ? 'contains' : 'contain'} no Allow statement`,
    );
  } else {
    parts.push(...allows.slice(0, 2).map((l) => `${describeStatement(l.st)}: ${whyNot(l.st)}`));
    if (allows.length > 2)
      parts.push(`${allows.length - 2} more Allow statements do not apply either`);
  }
  return parts.join('; ');
}

function conditional(
  trace: EvaluationTrace,
  located: Located[],
  common: Partial<Verdict>,
): Verdict {
  const undetermined = located.filter(
    (l) =>
      l.st.applies === 'unknown' &&
      (l.st.effect === 'Deny' ? trace.deny === 'unknown' : l.level.allow === 'unknown'),
  );
  const first = undetermined[0];
  let detail = '';
  if (first) {
    const unknownConds = first.st.conditions
      .filter((t) => t.result === 'unknown')
      .map((t) => `${t.operator} ${t.key} ${fmtValues(t.values)}`)
      .join(' and ');
    detail =
      first.st.effect === 'Deny'
        ? `Deny in ${describeStatement(first.st)}, attached to ${describeLevel(first.level)}, applies when ${unknownConds}`
        : `the only Allow at ${describeLevel(first.level)} (${describeStatement(first.st)}) requires ${unknownConds}`;
  }
  const denying = trace.scenarios?.find(
    (s) => s.decision === 'explicitDeny' || s.decision === 'implicitDeny',
  );
  const allowing = trace.scenarios?.find((s) => s.decision === 'allowed');
  const hints: string[] = [];
  if (denying) hints.push(`denied e.g. when ${scenarioText(denying)}`);
  if (allowing) hints.push(`allowed e.g. when ${scenarioText(allowing)}`);
  // As for an explicit Deny: only the named statement's exemptions, never another's.
  const exemptions = first && first.st.effect === 'Deny' ? exemptionTexts(first.st) : [];

  const scenarios = concreteScenarios(trace);
  return {
    decision: 'conditional',
    summary: `conditional on ${trace.dependsOn.join(', ')}: ${detail}${hints.length > 0 ? `; ${hints.join('; ')}` : ''}`,
    dependsOn: trace.dependsOn,
    undetermined: undetermined.map((l) =>
      refOf(l, `applies only if its conditions on ${(l.st.unknownKeys ?? []).join(', ')} hold`),
    ),
    ...(exemptions.length > 0 ? { exemptions } : {}),
    ...(scenarios !== undefined && trace.scenarios !== undefined ? { scenarios } : {}),
    ...common,
  };
}

/** The verdict for a document that cannot be evaluated; `where` says where it is attached. */
export function errorVerdict(e: PolicyError, where: string): Verdict {
  const stmt = e.statementIndex !== undefined ? `, statement ${e.statementIndex + 1}` : '';
  // An unfilled template is a policy nobody finished, not a broken one: say what is missing.
  const lead = e.code === 'empty-values' ? 'cannot evaluate' : 'malformed policy';
  return {
    decision: 'error',
    summary: `${lead} ${describePolicy(e.policyId, e.policyName)}${stmt}${where}: ${e.reason}`,
    error: {
      policyId: e.policyId,
      ...(e.statementIndex !== undefined ? { statementIndex: e.statementIndex } : {}),
      code: e.code,
      reason: e.reason,
    },
  };
}

/** The verdict when the policies do not govern the principal at all. */
export function notApplicableVerdict(notApplicable: string): Verdict {
  return { decision: 'allowed', summary: `allowed: ${notApplicable}`, notApplicable };
}

/** The verdict for an SCP chain that is not root, OUs, account. */
export function chainErrorVerdict(shape: string): Verdict {
  return {
    decision: 'error',
    summary: `${shape}: the chain needs the root, each OU in order, then the account`,
    error: { code: 'chain', reason: shape },
  };
}
