/**
 * The transfer part of the gate (pure): the handshake the user names must be
 * the open invitation the fresh evaluation found (rule invitation-open).
 */
import type { AccountReport, RuleResult } from '../report/types.js';
import type { LeavePlan, Refusal } from './gate.js';

/** What a condition of the rule's evidence found for `path` (the report's own record). */
function found(rule: RuleResult, path: string): unknown {
  const conditions = rule.evidence.conditions;
  if (!Array.isArray(conditions)) return undefined;
  const c = (conditions as { path?: unknown; found?: unknown }[]).find((x) => x.path === path);
  return c?.found;
}

/**
 * The open invitation the report found for the account, which must be the
 * handshake the user named: anything else (no such result, another handshake,
 * no target organization) is a refusal.
 */
export function invitationFound(
  account: AccountReport,
  handshakeId: string,
): { ok: true; value: NonNullable<LeavePlan['transfer']> } | { ok: false; refusal: Refusal } {
  const rule = account.rules.find((r) => r.id === 'invitation-open');
  const id = rule === undefined ? undefined : found(rule, '$.handshakeId');
  const target = rule === undefined ? undefined : found(rule, '$.organizationId');
  if (rule?.status === 'pass' && id === handshakeId && typeof target === 'string')
    return { ok: true, value: { handshakeId, targetOrganizationId: target } };
  const seen =
    rule === undefined
      ? 'the report has no invitation-open result'
      : `the report found ${typeof id === 'string' ? `handshake ${id}` : 'no open invitation'} (invitation-open ${rule.status})`;
  return {
    ok: false,
    refusal: {
      kind: 'handshake-mismatch',
      exitCode: 1,
      summary: `account ${account.accountId}: --handshake ${handshakeId} is not the open invitation the evaluation found: ${seen}`,
      reasons: [
        {
          rule: 'invitation-open',
          message: seen,
          remediation:
            'run leavegate check --transfer-to <target-org-id> and pass the handshake id its invitation-open result names',
        },
      ],
    },
  };
}
