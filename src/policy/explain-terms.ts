/**
 * How the explanation names things: levels, policies, statements (counted from 1, as
 * people count them; data keeps 0-based indexes), conditions, exemptions, scenario
 * values. Words only: explain.ts puts them together into verdicts.
 */
import type {
  ConditionTrace,
  Exemption,
  LevelTrace,
  ScenarioTrace,
  ScenarioValue,
  StatementTrace,
} from './types.js';

type LevelRef = Pick<LevelTrace, 'kind' | 'id' | 'name'>;

export function describeLevel(ref: LevelRef): string {
  const named = (s: string): string => (ref.name ? `${s} (${ref.name})` : s);
  switch (ref.kind) {
    case 'root':
      return named(`root ${ref.id ?? ''}`.trim());
    case 'ou':
      return named(`OU ${ref.id ?? ''}`.trim());
    case 'account':
      return named(`account ${ref.id ?? ''}`.trim());
    case 'identity':
      return 'the identity policies';
    case 'boundary':
      return named('the permissions boundary');
  }
}

export function describePolicy(id: string, name: string): string {
  return name && name !== id ? `${id} (${name})` : id;
}

/** `p-1 (Name), statement 2 "Sid"`: the position counted from 1, and the Sid when there is one. */
export function describeStatement(st: {
  policyId: string;
  policyName: string;
  statementIndex: number;
  sid?: string | undefined;
}): string {
  const sid = st.sid !== undefined ? ` ${JSON.stringify(st.sid)}` : '';
  return `${describePolicy(st.policyId, st.policyName)}, statement ${st.statementIndex + 1}${sid}`;
}

export function fmtValues(values: readonly unknown[]): string {
  return values.length === 1 ? JSON.stringify(values[0]) : JSON.stringify(values);
}

export function describeTrace(t: ConditionTrace): string {
  const ctxText =
    t.contextValue === undefined
      ? 'absent'
      : t.contextValue === 'unknown'
        ? 'not known before the call'
        : fmtValues(t.contextValue);
  return `${t.operator} ${t.key} ${fmtValues(t.values)} (request: ${ctxText}) is ${String(t.result)}`;
}

/** Why a statement does not apply, in words. */
export function whyNot(st: StatementTrace): string {
  if (st.mismatch !== undefined) return st.mismatch;
  const failed = st.conditions.filter((t) => t.result === false);
  return failed.length > 0
    ? `condition not met: ${failed.map(describeTrace).join('; ')}`
    : 'does not apply';
}

export function who(e: Exemption): string {
  const values = e.values.join(' or ');
  switch (e.kind) {
    case 'tag-present':
      return `principals that have the tag ${e.tag ?? ''}`;
    case 'principal-tag':
      return `principals tagged ${e.tag ?? ''}=${values}`;
    case 'principal-arn':
      return `principals matching ${values}`;
    case 'principal-account':
      return `principals of account ${values}`;
    case 'principal-org':
      return `principals of organization ${values}`;
    case 'principal-type':
      return `principals of type ${values}`;
    case 'user-id':
      return `principals whose aws:userid matches ${values}`;
    case 'user-name':
      return `IAM users named ${values}`;
  }
}

export function valueText(key: string, v: ScenarioValue): string {
  switch (v.kind) {
    case 'absent':
      return `${key} absent`;
    case 'equals':
      return `${key} = ${JSON.stringify(v.value)}`;
    case 'like':
      return `${key} matching ${JSON.stringify(v.pattern)}`;
    case 'outside':
      return `${key} outside ${v.ranges.map((r) => JSON.stringify(r)).join(', ')}`;
    case 'other-than':
      return v.values.length > 0
        ? `${key} other than ${v.values.map((r) => JSON.stringify(r)).join(', ')}`
        : `${key} any value`;
  }
}

export function scenarioText(s: ScenarioTrace): string {
  return s.when.map((w) => valueText(w.key, w.value)).join(', ');
}

/** A statement and the level it sits at. */
export interface Located {
  level: LevelTrace;
  st: StatementTrace;
}

/** Patterns that miss the principal only by case, said plainly (else readers assume a match). */
export function caseNotes(st: StatementTrace, principalArn: string): string[] {
  return (st.exemptions ?? []).flatMap((e) =>
    (e.caseOnlyMismatch ?? []).map(
      (p) =>
        `${p} differs from ${principalArn} only in case, and ARN matching is case-sensitive: it does not exempt this principal`,
    ),
  );
}
