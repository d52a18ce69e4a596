/**
 * How to fix an unknown fact (DESIGN §4.6: an unknown names what could not be
 * read and how to fix *that* — the permission, the trusted access, the API —
 * not the remediation of a failure).
 *
 * A collection fix is derived from the snapshot error's source and code: the
 * table below says, per source, who makes the call and what else allows it;
 * the code says whether it was denied, throttled or failed otherwise.
 */
import type { CollectionError } from '../snapshot/types.js';

/** What the account and run look like, for fixes that name them. */
export interface FixContext {
  accountId: string;
  /** The member role the collector assumes. */
  memberRole: string;
}

interface SourceInfo {
  /** Who makes the call, for "grant X to ...". */
  caller: string;
  /** A service principal whose trusted access is another way to allow the call. */
  trustedAccess?: string;
  /** The whole fix for a denied call, when "grant the action" is not it. */
  denied?: (context: FixContext) => string;
}

const MANAGEMENT_CALLER = 'the caller in the management account';
const MEMBER_ROLE = 'the member role (--member-role)';

/** By exact source (`service:Operation`), else by the service's default (`service:*`). */
const SOURCES: Readonly<Record<string, SourceInfo>> = {
  'account:GetContactInformation': { caller: 'the caller', trustedAccess: 'account.amazonaws.com' },
  'sts:AssumeRole': {
    caller: 'the caller',
    denied: ({ accountId, memberRole }) =>
      `let the caller assume arn:aws:iam::${accountId}:role/${memberRole}: the role's trust policy must trust the caller and the caller needs sts:AssumeRole on it (or name another role with --member-role)`,
  },
  'organizations:ListHandshakesForAccount': { caller: MEMBER_ROLE },
  'support:*': { caller: MEMBER_ROLE },
  'cloudformation:*': {
    caller: 'the caller in the management account (or the CloudFormation delegated administrator)',
    trustedAccess: 'member.org.stacksets.cloudformation.amazonaws.com',
  },
  'sso-admin:*': {
    caller:
      'the caller in the management account (or the IAM Identity Center delegated administrator)',
  },
  'controltower:*': { caller: MANAGEMENT_CALLER },
  'iam:ListOrganizationsFeatures': { caller: MANAGEMENT_CALLER },
  'sts:AssumeRoot': {
    caller: MANAGEMENT_CALLER,
    denied: ({ accountId }) =>
      `grant sts:AssumeRoot on ${accountId} to the caller in the management account (or the IAM delegated administrator for root access), with centralized root sessions enabled (aws iam enable-organizations-root-sessions) and the task policy arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials`,
  },
  'iam:GetAccountSummary': {
    caller: 'the root session (sts:AssumeRoot, IAMAuditRootUserCredentials)',
  },
  'ram:*': { caller: MEMBER_ROLE },
  'savingsplans:*': { caller: MEMBER_ROLE },
  'iam:*': { caller: MEMBER_ROLE },
  'organizations:*': { caller: MANAGEMENT_CALLER },
};

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AuthorizationError',
  'UnauthorizedOperation',
]);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

function sourceInfo(source: string): SourceInfo | undefined {
  const service = source.slice(0, source.indexOf(':'));
  return SOURCES[source] ?? SOURCES[`${service}:*`];
}

/** The fix for one collection error. */
export function fixForError(error: CollectionError, context: FixContext): string {
  const { source, code } = error;
  if (THROTTLED.has(code)) {
    return `${source} was throttled (${code}): collect again, with a lower --concurrency`;
  }
  const info = sourceInfo(source);
  if (DENIED.has(code)) {
    if (info?.denied !== undefined) return info.denied(context);
    const grant = `grant ${source} to ${info?.caller ?? 'the caller'}`;
    const principal = info?.trustedAccess;
    return principal === undefined
      ? grant
      : `${grant}, or enable trusted access for ${principal} (aws organizations enable-aws-service-access --service-principal ${principal})`;
  }
  return `${source} failed with ${code} (${error.message}): make it answer, then collect again`;
}

/**
 * The fix for facts missing because of `errors` (one fix per distinct
 * problem, in order), or `notCollected` when no error says why.
 */
export function fixForErrors(
  errors: readonly CollectionError[],
  context: FixContext,
  notCollected: string,
): string {
  if (errors.length === 0) return notCollected;
  return [...new Set(errors.map((e) => fixForError(e, context)))].join('; ');
}

/** Why an attestable fact has no valid attestation. */
export type AttestationGap = 'none' | 'invalid' | 'contradictory';

/** How to attest `fact` for the account in the attestations file. */
export function attestationFix(fact: string, gap: AttestationGap, accountId: string): string {
  const entry = `{"accountId": "${accountId}", "fact": "${fact}", "value": true, "attestedBy": "<who checked>", "attestedAt": "<now>", "expiresAt": "<until>", "evidence": "<ticket or link>"}`;
  if (gap === 'contradictory') {
    return `resolve the contradiction: keep only the ${fact} attestation of ${accountId} that is true in the attestations file (--attestations), then check again`;
  }
  const verb = gap === 'invalid' ? 'record a currently valid' : 'record a';
  return `${verb} ${fact} attestation once it is true: add ${entry} to "attestations" in the attestations file (--attestations; schemas/attestations.schema.json)`;
}
