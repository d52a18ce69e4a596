/**
 * What an ARN says about the principal that will call LeaveOrganization.
 * Pure string work: no AWS call can tell us more at evaluation time.
 */
import { parseArn } from '../arn.js';

/** aws:PrincipalType values documented in the IAM global condition context keys page. */
export type PrincipalType = 'Account' | 'User' | 'FederatedUser' | 'AssumedRole';

export interface PrincipalInfo {
  /** The ARN to use for aws:PrincipalArn (a role ARN for a session; with its path when known). */
  principalArn: string;
  /** 12-digit account id from the ARN ('' when the ARN has none). */
  accountId: string;
  /** AWS partition (aws, aws-cn, aws-us-gov, ...). */
  partition: string;
  /** What kind of principal the ARN names. */
  kind: 'root' | 'user' | 'role' | 'assumedRole' | 'federatedUser' | 'unknown';
  /** aws:PrincipalType the request will carry (a role can only call through a session: AssumedRole). */
  principalType: PrincipalType | undefined;
  /** Role under path /aws-service-role/: SCPs do not apply to it. */
  isServiceLinkedRole: boolean;
  isRoot: boolean;
  /** false when the role ARN was derived from a session ARN, which does not carry the role's path. */
  pathKnown: boolean;
  /** IAM user name (for aws:username) when the principal is a user. */
  userName?: string;
  /** Session name when the input was an assumed-role session ARN. */
  sessionName?: string;
}

/**
 * Maps a principal ARN to the facts the request context needs.
 *
 * An assumed-role session ARN (`arn:aws:sts::123:assumed-role/Name/session`) is
 * mapped to the role ARN `arn:aws:iam::123:role/Name`; the session ARN does not
 * carry the role's path, so `pathKnown` is false and callers should prefer the
 * role ARN collected from IAM when they have it.
 */
export function principalFromArn(arn: string): PrincipalInfo {
  let info = memo.get(arn);
  if (info === undefined) {
    info = Object.freeze(parsePrincipalArn(arn));
    // The evaluator asks about the same few principals over and over; the cap guards misuse.
    if (memo.size > 10_000) memo.clear();
    memo.set(arn, info);
  }
  return info;
}

const memo = new Map<string, PrincipalInfo>();

function parsePrincipalArn(arn: string): PrincipalInfo {
  const parsed = parseArn(arn);
  // Principals are global: an IAM or STS ARN with a region or a malformed account is not one.
  const m =
    parsed !== undefined &&
    (parsed.service === 'iam' || parsed.service === 'sts') &&
    parsed.region === '' &&
    /^\d{12}$/.test(parsed.accountId)
      ? parsed
      : undefined;
  const partition = m?.partition ?? 'aws';
  const accountId = m?.accountId ?? '';
  // What most principals share; each kind below overrides what differs.
  const base: PrincipalInfo = {
    principalArn: arn,
    accountId,
    partition,
    kind: 'unknown',
    principalType: undefined,
    isServiceLinkedRole: false,
    isRoot: false,
    pathKnown: true,
  };
  const service = m?.service;
  const rest = m?.resource ?? '';
  if (service === 'iam' && rest === 'root') {
    return { ...base, kind: 'root', principalType: 'Account', isRoot: true };
  }
  if (service === 'iam' && rest.startsWith('role/')) {
    return {
      ...base,
      kind: 'role',
      principalType: 'AssumedRole',
      isServiceLinkedRole: rest.startsWith('role/aws-service-role/'),
    };
  }
  if (service === 'iam' && rest.startsWith('user/')) {
    const userName = rest.slice(rest.lastIndexOf('/') + 1);
    return { ...base, kind: 'user', principalType: 'User', userName };
  }
  if (service === 'sts' && rest.startsWith('assumed-role/')) {
    const parts = rest.split('/');
    return {
      ...base,
      principalArn: `arn:${partition}:iam::${accountId}:role/${parts[1] ?? ''}`,
      kind: 'assumedRole',
      principalType: 'AssumedRole',
      pathKnown: false,
      sessionName: parts.slice(2).join('/'),
    };
  }
  if (service === 'sts' && rest.startsWith('federated-user/')) {
    return { ...base, kind: 'federatedUser', principalType: 'FederatedUser' };
  }
  return base;
}

export { organizationsRegion } from '../arn.js';
