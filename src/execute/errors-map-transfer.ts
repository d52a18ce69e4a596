/**
 * AcceptHandshake failures of a direct transfer (DESIGN §8) -> actionable
 * messages and the rule that should have caught them. Errors of the leaving
 * half (ConstraintViolationException reasons, the management account) mean
 * what they mean for LeaveOrganization and are mapped there. Only throttling
 * is retried: any other failure of an irreversible call is reported, and a
 * person decides.
 */
import { awsErrorInfo, awsSays, mapLeaveError, type MappedLeaveError } from './errors-map.js';

interface Mapping {
  kind: MappedLeaveError['kind'];
  rules: string[];
  what: string;
  remediation: string;
}

const AGAIN = 'then run transfer again';

/** HandshakeConstraintViolationException reasons (an open string: unknown ones are reported verbatim). */
const HANDSHAKE_REASONS: Record<string, Omit<Mapping, 'kind'>> = {
  ORGANIZATION_MEMBERSHIP_CHANGE_RATE_LIMIT_EXCEEDED: {
    rules: [],
    what: 'the account changed organizations too recently to change again',
    remediation: `wait before moving the account again (AWS limits how often an account changes organizations), ${AGAIN}`,
  },
  ALREADY_IN_AN_ORGANIZATION: {
    rules: ['invitation-open'],
    what: 'AWS would not accept an invitation while the account is in an organization (direct transfer is not available for this account or partition)',
    remediation:
      'check that direct transfer is available for both organizations; otherwise leave first (leavegate leave) and accept the invitation as a standalone account',
  },
  ACCOUNT_NUMBER_LIMIT_EXCEEDED: {
    rules: [],
    what: 'the target organization has reached its account quota',
    remediation: `ask the target organization to raise its account quota (Service Quotas) or close accounts, ${AGAIN}`,
  },
  HANDSHAKE_RATE_LIMIT_EXCEEDED: {
    rules: [],
    what: 'too many handshakes were made recently',
    remediation: `wait a day, ${AGAIN}`,
  },
  ORGANIZATION_FROM_DIFFERENT_SELLER_OF_RECORD: {
    rules: [],
    what: 'the target organization has a different AWS seller of record',
    remediation: 'accounts can only move between organizations with the same seller of record',
  },
  PAYMENT_INSTRUMENT_REQUIRED: {
    rules: [],
    what: 'the target organization has no valid payment method',
    remediation: `ask the target organization's management account to add one, ${AGAIN}`,
  },
  MANAGEMENT_ACCOUNT_EMAIL_NOT_VERIFIED: {
    rules: [],
    what: "the target organization's management account email is not verified",
    remediation: `ask the target organization to verify its management account email, ${AGAIN}`,
  },
  INVITE_DISABLED: {
    rules: [],
    what: 'invitations are disabled for the target organization',
    remediation: 'contact AWS Support about the target organization',
  },
};

const BY_NAME: Record<string, Mapping> = {
  InvalidHandshakeTransitionException: {
    kind: 'refused',
    rules: ['invitation-open'],
    what: 'the handshake is no longer open (accepted, declined, canceled or expired)',
    remediation: `have the target organization invite the account again (aws organizations invite-account-to-organization --target Id=<account>,Type=ACCOUNT), check with --transfer-to, ${AGAIN} with the new handshake`,
  },
  HandshakeAlreadyInStateException: {
    kind: 'refused',
    rules: ['invitation-open'],
    what: 'the handshake was already accepted or closed',
    remediation:
      'check where the account is now (aws organizations describe-organization as the member) before doing anything else',
  },
  HandshakeNotFoundException: {
    kind: 'refused',
    rules: ['invitation-open'],
    what: 'AWS does not know the handshake (wrong id, or it expired and was removed)',
    remediation: `pass the handshake id the readiness report names (check --transfer-to), ${AGAIN}`,
  },
  AccessDeniedForDependencyException: {
    kind: 'refused',
    rules: ['principal-allowed-to-transfer'],
    what: 'the principal may not create the Organizations service-linked role (iam:CreateServiceLinkedRole)',
    remediation: `allow iam:CreateServiceLinkedRole for organizations.amazonaws.com to the member role, ${AGAIN}`,
  },
  TooManyRequestsException: {
    kind: 'retryable',
    rules: [],
    what: 'AWS throttled the request',
    remediation: `this is transient: ${AGAIN} in a few minutes`,
  },
  ConcurrentModificationException: {
    kind: 'error',
    rules: [],
    what: 'another change to the organization was in progress',
    remediation: `check the account's organization (aws organizations describe-organization as the member), ${AGAIN}`,
  },
  ServiceException: {
    kind: 'error',
    rules: [],
    what: 'AWS had an internal error (the call may or may not have taken effect)',
    remediation: `check the account's organization (aws organizations describe-organization as the member) before running transfer again`,
  },
};

/** Which rule an AccessDeniedException points at: AWS names the policy type when it can. */
function accessDenied(message: string): Mapping {
  const rules = /service control polic/i.test(message)
    ? ['scp-allows-transfer']
    : /identity-based|permissions boundary|boundary polic/i.test(message)
      ? ['principal-allowed-to-transfer']
      : ['scp-allows-transfer', 'principal-allowed-to-transfer'];
  return {
    kind: 'refused',
    rules,
    what: 'access denied to organizations:AcceptHandshake (or the LeaveOrganization it implies) for the member principal',
    remediation:
      'find the denying SCP statement or identity/boundary policy (leavegate check --transfer-to shows the evaluated chain), allow AcceptHandshake, LeaveOrganization and iam:CreateServiceLinkedRole for the member role, then run transfer again',
  };
}

/**
 * Maps an AcceptHandshake failure to an actionable message and the rule(s)
 * that should have caught it (same shape as mapLeaveError).
 */
export function mapTransferError(err: unknown, accountId: string): MappedLeaveError {
  const info = awsErrorInfo(err);
  if (
    info.name === 'ConstraintViolationException' ||
    info.name === 'MasterCannotLeaveOrganizationException'
  )
    return mapLeaveError(err, accountId);
  let code = info.name;
  let m: Mapping | undefined = BY_NAME[info.name];
  if (info.name === 'HandshakeConstraintViolationException') {
    const reason = info.reason ?? 'UNSPECIFIED';
    code = `${info.name}:${reason}`;
    const known = HANDSHAKE_REASONS[reason];
    m = {
      kind: 'refused',
      ...(known ?? {
        rules: [],
        what: `AWS refused the handshake with constraint ${reason}, which leavegate does not know`,
        remediation: `look up HandshakeConstraintViolationException reason ${reason} in the Organizations API reference (AcceptHandshake) and fix it before running transfer again`,
      }),
    };
  } else if (info.name === 'AccessDeniedException') m = accessDenied(info.message);
  const mapping: Mapping = m ?? {
    kind: 'error',
    rules: [],
    what: 'AcceptHandshake failed',
    remediation:
      'check the credentials and the network, and the member role (--member-role), then run transfer again',
  };
  const caughtBy =
    mapping.rules.length === 0
      ? ''
      : ` Rule ${mapping.rules.join(' or ')} should have caught this.`;
  return {
    kind: mapping.kind,
    code,
    message: `account ${accountId}: ${mapping.kind === 'refused' ? 'AWS refused the transfer: ' : ''}${mapping.what}.${caughtBy} ${awsSays(info)}`,
    rules: mapping.rules,
    remediation: mapping.remediation,
    exitCode: 1,
    ...(info.requestId !== undefined && { requestId: info.requestId }),
  };
}
