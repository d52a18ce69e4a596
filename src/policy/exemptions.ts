/**
 * Who a Deny statement leaves out, as data: its negated conditions on the principal
 * (ArnNotLike aws:PrincipalArn, StringNotEquals aws:PrincipalTag/..., Null "true" on a tag).
 * Read per statement, so an explanation names the exemptions of the statement that denies.
 */
import { scalarText, type CompiledCondition } from './conditions.js';
import type { CompiledStatement } from './document.js';
import { wildcardMatch } from './wildcard.js';
import type { Exemption } from './types.js';

const PRINCIPAL_KEYS: ReadonlyMap<string, Exemption['kind']> = new Map([
  ['aws:principalarn', 'principal-arn'],
  ['aws:principalaccount', 'principal-account'],
  ['aws:principalorgid', 'principal-org'],
  ['aws:principaltype', 'principal-type'],
  ['aws:userid', 'user-id'],
  ['aws:username', 'user-name'],
]);

const TAG_PREFIX = 'aws:principaltag/';

/** Whether a condition key is about the principal (what "principal matched" means in a trace). */
export function isPrincipalKey(key: string): boolean {
  const k = key.toLowerCase();
  return PRINCIPAL_KEYS.has(k) || k.startsWith(TAG_PREFIX) || k === 'aws:principalorgpaths';
}

/**
 * Patterns that match the ARN only when case is ignored. ArnLike and StringLike compare
 * case-sensitively, so `role/aws*` does not exempt `role/AWSControlTowerExecution`: the
 * near miss is what a reader needs told.
 */
function caseOnlyMismatches(c: CompiledCondition, principalArn: string): string[] {
  if (/ignorecase/i.test(c.operator)) return [];
  return c.values
    .map(scalarText)
    .filter(
      (p) =>
        !p.includes('${') &&
        wildcardMatch(p, principalArn, true) &&
        !wildcardMatch(p, principalArn),
    );
}

function exemptionOf(c: CompiledCondition, principalArn: string): Exemption | undefined {
  const key = c.key.toLowerCase();
  const values = c.values.map(scalarText);
  const { base } = c.parsed;
  const common = { key: c.key, operator: c.operator, values };
  if (base.family === 'null') {
    if (key.startsWith(TAG_PREFIX) && values.every((v) => v.toLowerCase() === 'true'))
      return { ...common, kind: 'tag-present', tag: c.key.slice(TAG_PREFIX.length) };
    return undefined;
  }
  if (!base.negated || (base.family !== 'string' && base.family !== 'arn')) return undefined;
  if (key.startsWith(TAG_PREFIX))
    return { ...common, kind: 'principal-tag', tag: c.key.slice(TAG_PREFIX.length) };
  const kind = PRINCIPAL_KEYS.get(key);
  if (kind === undefined) return undefined;
  const near = kind === 'principal-arn' ? caseOnlyMismatches(c, principalArn) : [];
  return { ...common, kind, ...(near.length > 0 ? { caseOnlyMismatch: near } : {}) };
}

/** The exemptions of a Deny statement (empty for an Allow or a Deny that exempts nobody). */
export function exemptionsOf(s: CompiledStatement, principalArn: string): Exemption[] {
  if (s.effect !== 'Deny') return [];
  return s.conditions.flatMap((c) => exemptionOf(c, principalArn) ?? []);
}
