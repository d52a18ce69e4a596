/**
 * The one ARN and partition module: every place that reads, builds or
 * compares an ARN, and every place that needs the region Organizations is
 * homed in, asks here (pure; no AWS SDK).
 */

/** `arn:partition:service:region:account:resource`. */
export interface Arn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

const PARTITION = /^aws(-[a-z]+)*$/;

/** Parses an ARN, or undefined when it is not one. */
export function parseArn(arn: string): Arn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, accountId] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (!PARTITION.test(partition) || service === '') return undefined;
  return { partition, service, region, accountId, resource: parts.slice(5).join(':') };
}

/** An IAM principal named by its ARN: a role or user with its path, or the account root. */
export interface IamPrincipalArn {
  partition: string;
  accountId: string;
  kind: 'role' | 'user' | 'root';
  /** `/` or `/ops/team/` (IAM paths start and end with a slash). */
  path: string;
  /** Role or user name; `root` for the root user. */
  name: string;
}

/**
 * An IAM role or user ARN with its path (`arn:aws:iam::123456789012:role/ops/Leaver`)
 * or the root (`arn:aws:iam::123456789012:root`); undefined for anything else,
 * session ARNs included (they hide the role's path).
 */
export function parseIamPrincipalArn(arn: string): IamPrincipalArn | undefined {
  const a = parseArn(arn);
  if (a === undefined || a.service !== 'iam' || a.region !== '' || !/^\d{12}$/.test(a.accountId))
    return undefined;
  if (a.resource === 'root')
    return {
      partition: a.partition,
      accountId: a.accountId,
      kind: 'root',
      path: '/',
      name: 'root',
    };
  const m = /^(role|user)(\/(?:[^/]+\/)*)([^/]+)$/.exec(a.resource);
  if (m === null) return undefined;
  return {
    partition: a.partition,
    accountId: a.accountId,
    kind: m[1] as 'role' | 'user',
    path: m[2]!,
    name: m[3]!,
  };
}

/** An STS assumed-role session ARN: `arn:aws:sts::A:assumed-role/Name/session`. */
export function parseSessionArn(
  arn: string,
): { partition: string; accountId: string; roleName: string; sessionName: string } | undefined {
  const a = parseArn(arn);
  if (a === undefined || a.service !== 'sts' || !/^\d{12}$/.test(a.accountId)) return undefined;
  const m = /^assumed-role\/([^/]+)\/([^/]+)$/.exec(a.resource);
  if (m === null) return undefined;
  return { partition: a.partition, accountId: a.accountId, roleName: m[1]!, sessionName: m[2]! };
}

/**
 * True when an IAM role ARN and a caller's session ARN are the same role
 * (same partition, account and role name; the session ARN carries no path).
 * Anything else is compared as text.
 */
export function sameRole(roleArn: string, callerArn: string): boolean {
  const role = parseIamPrincipalArn(roleArn);
  const session = parseSessionArn(callerArn);
  if (role?.kind !== 'role' || session === undefined) return roleArn === callerArn;
  return (
    role.partition === session.partition &&
    role.accountId === session.accountId &&
    role.name === session.roleName
  );
}

/** `arn:<partition>:iam::<account>:role/<path/name>` for a role given as `Name` or `path/Name`. */
export function roleArn(partition: string, accountId: string, role: string): string {
  return `arn:${partition}:iam::${accountId}:role/${role.replace(/^\/+/, '')}`;
}

/**
 * The same ARN in another account: an org-wide `--principal` or an ARN-form
 * `--member-role` names one role, meant in every account. Collection and the
 * facts layer must agree on it exactly (the facts layer compares the evaluated
 * principal with the collected one), so there is one implementation.
 */
export function arnInAccount(arn: string, accountId: string): string {
  const parts = arn.split(':');
  if (parts.length < 6) return arn;
  parts[4] = accountId;
  return parts.join(':');
}

/** The partition of an ARN (`aws` when it cannot be read). */
export function partitionOf(arn: string): string {
  return parseArn(arn)?.partition ?? 'aws';
}

/** The partition a region belongs to (`us-gov-west-1` -> `aws-us-gov`). */
export function partitionOfRegion(region: string | undefined): string {
  if (region === undefined) return 'aws';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  return 'aws';
}

/**
 * The region Organizations (a global service) is homed in for a partition:
 * the region its calls are signed for, and so `aws:RequestedRegion` of
 * LeaveOrganization and AcceptHandshake.
 */
export function organizationsRegion(partition: string): string {
  switch (partition) {
    case 'aws-us-gov':
      return 'us-gov-west-1';
    case 'aws-cn':
      return 'cn-northwest-1';
    case 'aws-iso':
      return 'us-iso-east-1';
    case 'aws-iso-b':
      return 'us-isob-east-1';
    default:
      return 'us-east-1';
  }
}
