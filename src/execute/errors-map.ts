/**
 * LeaveOrganization failures -> actionable messages and the rule that should
 * have caught them (DESIGN §1). No AWS SDK import: errors are read by shape
 * (`name`, `message`, `Reason`, `$metadata.requestId`), which is what the SDK
 * raises and what aws-sdk-client-mock can reproduce.
 */
import { redactSecrets } from '../secrets.js';

/** The parts of an AWS error the executor relies on. */
export interface AwsErrorInfo {
  /** The AWS error code (`ConstraintViolationException`), or the JS error name. */
  name: string;
  message: string;
  /** `ConstraintViolationException.Reason`, an open string. */
  reason?: string;
  requestId?: string;
  httpStatus?: number;
}

/** Reads an AWS SDK error (or anything thrown) without trusting its shape. */
export function awsErrorInfo(err: unknown): AwsErrorInfo {
  if (typeof err !== 'object' || err === null) {
    return { name: 'Error', message: redactSecrets(String(err)) };
  }
  const e = err as Record<string, unknown>;
  const name = typeof e.name === 'string' && e.name !== '' ? e.name : 'Error';
  const message =
    typeof e.message === 'string'
      ? e.message
      : typeof e.Message === 'string'
        ? e.Message
        : JSON.stringify(err);
  // An endpoint's message may echo what it was sent: never the credentials.
  const info: AwsErrorInfo = { name, message: redactSecrets(message) };
  if (typeof e.Reason === 'string' && e.Reason !== '') info.reason = e.Reason;
  const meta = e.$metadata;
  if (typeof meta === 'object' && meta !== null) {
    const m = meta as Record<string, unknown>;
    if (typeof m.requestId === 'string' && m.requestId !== '') info.requestId = m.requestId;
    if (typeof m.httpStatusCode === 'number') info.httpStatus = m.httpStatusCode;
  }
  return info;
}

/**
 * What a failed LeaveOrganization means:
 * - `retryable`: transient (throttling, concurrent change, service fault): try again later;
 * - `refused`: AWS refused because a precondition does not hold;
 * - `already-out`: the account is not (or no longer) in an organization;
 * - `error`: anything else (credentials, network, a bad request).
 */
export type LeaveFailureKind = 'retryable' | 'refused' | 'already-out' | 'error';

export interface MappedLeaveError {
  kind: LeaveFailureKind;
  /** `ConstraintViolationException:WAIT_PERIOD_ACTIVE`, `AccessDeniedException`, ... */
  code: string;
  /** One actionable line, subject first. Contains AWS's own message verbatim. */
  message: string;
  /** Rule ids (DESIGN §4.4) that should have caught it; empty when no rule observes it. */
  rules: string[];
  /** What to do next. */
  remediation: string;
  /** Exit code when this ends the run (never 0 for a refusal). */
  exitCode: number;
  requestId?: string;
}

interface ReasonMapping {
  rules: string[];
  what: string;
  remediation: string;
}

/** ConstraintViolationException reasons LeaveOrganization is documented to raise. */
const CONSTRAINT_REASONS: Record<string, ReasonMapping> = {
  WAIT_PERIOD_ACTIVE: {
    rules: ['waiting-period-elapsed'],
    what: 'the account was created in this organization too recently to leave it',
    remediation:
      'wait until the waiting period after account creation has elapsed (see rule waiting-period-elapsed), then run leave again',
  },
  ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION: {
    rules: ['phone-verified'],
    what: 'the account phone number is not verified',
    remediation:
      'sign in to the member account as root, complete phone verification, then run leave again',
  },
  MEMBER_ACCOUNT_PAYMENT_INSTRUMENT_REQUIRED: {
    rules: ['payment-method-present'],
    what: 'the account has no payment method',
    remediation:
      'sign in to the member account, add a payment method in the Billing console, update the attestation, then run leave again',
  },
  INVALID_PAYMENT_INSTRUMENT: {
    rules: ['payment-method-present'],
    what: 'the account payment method is not valid',
    remediation:
      'sign in to the member account, fix the payment method in the Billing console, update the attestation, then run leave again',
  },
  ACCOUNT_CANNOT_LEAVE_WITHOUT_EULA: {
    rules: [],
    what: 'the account has not accepted the AWS Customer Agreement (it was created inside the organization and has no standalone sign-up)',
    remediation:
      'sign in to the member account as root and complete the standalone sign-up (accept the AWS Customer Agreement, contact and billing information), then run leave again',
  },
  ACCOUNT_CANNOT_LEAVE_ORGANIZATION: {
    rules: ['member-account'],
    what: 'the account cannot leave: it is the management account of the organization',
    remediation:
      'the management account never leaves; remove the member accounts and delete the organization instead',
  },
  ACCOUNT_CREATION_NOT_COMPLETE: {
    rules: ['account-active'],
    what: 'the account is still being created',
    remediation:
      'wait for account creation to complete (aws organizations list-create-account-status), then run leave again',
  },
  CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG: {
    rules: ['not-delegated-admin'],
    what: 'the account is a delegated administrator for a service',
    remediation:
      'from the management account, deregister it: aws organizations deregister-delegated-administrator --account-id <id> --service-principal <principal>, then run leave again',
  },
};

/**
 * True when the error is one LeaveOrganization may succeed after on a later
 * attempt (DESIGN §1): what mapLeaveError calls `retryable`, so the two never disagree.
 */
export function isRetryableLeaveError(err: unknown): boolean {
  return mapLeaveError(err, '').kind === 'retryable';
}

export function awsSays(info: AwsErrorInfo): string {
  const id = info.requestId === undefined ? '' : `, request id ${info.requestId}`;
  return `(AWS: ${info.name}${info.reason === undefined ? '' : ` ${info.reason}`}: ${info.message}${id})`;
}

/**
 * Maps a LeaveOrganization failure to an actionable message and the rule(s)
 * that should have caught it. Reasons AWS adds later are reported verbatim.
 */
export function mapLeaveError(err: unknown, accountId: string): MappedLeaveError {
  const info = awsErrorInfo(err);
  const mapped = mapByName(info, `account ${accountId}`);
  return info.requestId === undefined ? mapped : { ...mapped, requestId: info.requestId };
}

/** A mapped error before the request id is attached. */
type Mapped = Omit<MappedLeaveError, 'requestId'>;

function mapByName(info: AwsErrorInfo, who: string): Mapped {
  switch (info.name) {
    case 'ConstraintViolationException':
      return constraintViolation(info, who);
    case 'AccessDeniedException':
      return accessDenied(info, who);
    case 'MasterCannotLeaveOrganizationException':
      return {
        kind: 'refused',
        code: info.name,
        message: `${who}: it is the management account, which cannot leave its organization. Rule member-account should have caught this ${awsSays(info)}`,
        rules: ['member-account'],
        remediation:
          'the management account never leaves; remove the member accounts and delete the organization instead',
        exitCode: 1,
      };
    case 'AWSOrganizationsNotInUseException':
    case 'AccountNotFoundException':
      return {
        kind: 'already-out',
        code: info.name,
        message: `${who}: AWS says it is not a member of an organization ${awsSays(info)}`,
        rules: [],
        remediation:
          'nothing to do if that is expected; verify with aws organizations describe-organization as the member',
        exitCode: 1,
      };
    case 'TooManyRequestsException':
    case 'ConcurrentModificationException':
    case 'ServiceException':
      return {
        kind: 'retryable',
        code: info.name,
        message: `${who}: AWS could not process LeaveOrganization right now ${awsSays(info)}`,
        rules: [],
        remediation:
          'this is transient (throttling, a concurrent change in the organization, or a service fault): run leave again in a few minutes',
        exitCode: 1,
      };
    default:
      return otherError(info, who);
  }
}

function constraintViolation(info: AwsErrorInfo, who: string): Mapped {
  const reason = info.reason ?? 'UNSPECIFIED';
  const code = `ConstraintViolationException:${reason}`;
  const known = CONSTRAINT_REASONS[reason];
  if (known === undefined) {
    return {
      kind: 'refused',
      code,
      message: `${who}: AWS refused to let it leave with constraint ${reason}, which leavegate does not know ${awsSays(info)}`,
      rules: [],
      remediation: `look up ConstraintViolationException reason ${reason} in the Organizations API reference (LeaveOrganization) and fix it before running leave again`,
      exitCode: 1,
    };
  }
  const caughtBy =
    known.rules.length === 0
      ? ' No built-in rule observes this (no API shows it); consider an attested plugin rule.'
      : ` Rule ${known.rules.join(', ')} should have caught this: check the facts and attestations it read.`;
  return {
    kind: 'refused',
    code,
    message: `${who}: AWS refused to let it leave: ${known.what}.${caughtBy} ${awsSays(info)}`,
    rules: known.rules,
    remediation: known.remediation,
    exitCode: 1,
  };
}

function accessDenied(info: AwsErrorInfo, who: string): Mapped {
  // AWS's message names the policy type that denied when it can.
  const rules = /service control polic/i.test(info.message)
    ? ['scp-allows-leave']
    : /identity-based|permissions boundary|boundary polic/i.test(info.message)
      ? ['principal-allowed-to-leave']
      : ['scp-allows-leave', 'principal-allowed-to-leave'];
  return {
    kind: 'refused',
    code: 'AccessDeniedException',
    message: `${who}: access denied to organizations:LeaveOrganization for the member principal. Rule ${rules.join(' or ')} should have caught this: an SCP on the path or the principal's own policies deny it ${awsSays(info)}`,
    rules,
    remediation:
      'find the denying SCP statement or identity/boundary policy (leavegate check shows the evaluated chain), allow organizations:LeaveOrganization for the member role, then run leave again',
    exitCode: 1,
  };
}

/** Neither a refusal nor transient: a request leavegate got wrong, or credentials and network. */
function otherError(info: AwsErrorInfo, who: string): Mapped {
  if (info.name === 'InvalidInputException') {
    return {
      kind: 'error',
      code: info.name,
      message: `${who}: AWS rejected the request as invalid ${awsSays(info)}`,
      rules: [],
      remediation: 'this is a leavegate bug: please report it with the audit log record',
      exitCode: 1,
    };
  }
  return {
    kind: 'error',
    code: info.name,
    message: `${who}: LeaveOrganization failed ${awsSays(info)}`,
    rules: [],
    remediation:
      'check the credentials and the network, and the member role (--member-role), then run leave again',
    exitCode: 1,
  };
}
