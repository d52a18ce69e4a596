/**
 * Session credentials the pool hands its clients: a member's assumed role
 * (sts:AssumeRole) and a member's root session (sts:AssumeRoot, centralized
 * root access), each assumed on first use and refreshed before it expires.
 */
import { AssumeRoleCommand, AssumeRootCommand } from '@aws-sdk/client-sts';
import type { Credentials as StsCredentials, STSClient } from '@aws-sdk/client-sts';
import { rememberCredentials } from '../secrets.js';
import type { ClientPoolOptions, Credentials, CredentialsProvider } from './client-pool.js';

const REFRESH_MARGIN_MS = 5 * 60 * 1000;
// Sessions chained from another role may not exceed one hour.
const MEMBER_SESSION_SECONDS = 3600;
// AssumeRoot sessions last at most 15 minutes.
const ROOT_SESSION_SECONDS = 900;

/** Caches a credentials provider and refreshes it shortly before expiry. */
export function memoizeCredentials(
  provider: CredentialsProvider,
  now: () => number = Date.now,
): CredentialsProvider {
  let current: Credentials | undefined;
  let pending: Promise<Credentials> | undefined;
  return () => {
    if (
      current !== undefined &&
      (current.expiration === undefined || current.expiration.getTime() - REFRESH_MARGIN_MS > now())
    ) {
      return Promise.resolve(current);
    }
    pending ??= provider().then(
      (c) => {
        rememberCredentials(c);
        current = c;
        pending = undefined;
        return c;
      },
      (err: unknown) => {
        // A failed assume is not cached: the next caller tries again.
        pending = undefined;
        throw err;
      },
    );
    return pending;
  };
}

/** Credentials of `roleArnToAssume`, assumed with `sts` on first use (see memoizeCredentials). */
export function assumeRole(
  sts: () => STSClient,
  roleArnToAssume: string,
  options: ClientPoolOptions,
): CredentialsProvider {
  return memoizeCredentials(async () => {
    const out = await sts().send(
      new AssumeRoleCommand({
        RoleArn: roleArnToAssume,
        RoleSessionName: options.sessionName ?? 'leavegate',
        DurationSeconds: MEMBER_SESSION_SECONDS,
        ...(options.externalId === undefined ? {} : { ExternalId: options.externalId }),
      }),
    );
    return credentialsOf(out.Credentials, `AssumeRole ${roleArnToAssume}`);
  });
}

/**
 * Root credentials of `accountId` limited to `taskPolicyArn`, assumed with the
 * management account's `sts` on first use (sts:AssumeRoot).
 */
export function assumeRoot(
  sts: () => STSClient,
  accountId: string,
  taskPolicyArn: string,
): CredentialsProvider {
  return memoizeCredentials(async () => {
    const out = await sts().send(
      new AssumeRootCommand({
        TargetPrincipal: accountId,
        TaskPolicyArn: { arn: taskPolicyArn },
        DurationSeconds: ROOT_SESSION_SECONDS,
      }),
    );
    return credentialsOf(out.Credentials, `AssumeRoot ${accountId}`);
  });
}

function credentialsOf(c: StsCredentials | undefined, what: string): Credentials {
  if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined) {
    throw Object.assign(new Error(`${what} returned no credentials`), {
      name: 'InvalidCredentials',
    });
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken === undefined ? {} : { sessionToken: c.SessionToken }),
    ...(c.Expiration === undefined ? {} : { expiration: c.Expiration }),
  };
}
