/**
 * The client pool: every AWS client leavegate uses comes from here, so the
 * collectors (and the executor) never construct clients themselves, every call
 * is counted per `service:Operation`, and member sessions are assumed once and
 * refreshed before they expire.
 *
 * Endpoints follow only the SDK's own conventions (AWS_ENDPOINT_URL,
 * AWS_ENDPOINT_URL_<SERVICE>); the pool never sets one.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { AccountClient } from '@aws-sdk/client-account';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { SupportClient } from '@aws-sdk/client-support';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { arnInAccount } from '../arn.js';

/** AWS credentials (structurally the SDK's AwsCredentialIdentity). */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** A function the SDK calls for credentials (structurally AwsCredentialIdentityProvider). */
export type CredentialsProvider = () => Promise<Credentials>;

export interface ClientPoolOptions {
  /** Named profile for the management credentials (default chain otherwise). */
  profile?: string;
  /** Region for regional endpoints (STS); Organizations, IAM, Account and Support use us-east-1. */
  region?: string;
  /** Management credentials instead of the default chain (tests, embedding). */
  credentials?: Credentials | CredentialsProvider;
  /** Role assumed in member accounts: a name, `path/name`, or an ARN (its account is replaced). */
  memberRole?: string;
  externalId?: string;
  /** Attempts per call with the SDK's adaptive retry mode (default 5). */
  maxAttempts?: number;
  /** Session name for assumed member roles (default `leavegate`). */
  sessionName?: string;
}

/** The clients of one member account, all signed with its assumed-role session. */
export interface MemberSession {
  accountId: string;
  /** The ARN of the role assumed (what AssumeRole was called with). */
  roleArn: string;
  /**
   * Member credentials: AssumeRole on first use, cached, refreshed 5 minutes
   * before they expire (role chaining caps sessions at one hour), concurrent
   * callers share one AssumeRole.
   */
  credentials: CredentialsProvider;
  organizations: OrganizationsClient;
  iam: IAMClient;
  account: AccountClient;
  support: SupportClient;
  sts: STSClient;
}

export interface ClientPool {
  /** Management-view clients (the caller's own credentials). */
  organizations: OrganizationsClient;
  sts: STSClient;
  iam: IAMClient;
  account: AccountClient;
  /** The member view of `accountId` (created on first use, then cached until released). */
  member(accountId: string): MemberSession;
  /** Forget a member's clients (its credentials stay cached until they expire). */
  release(accountId: string): void;
  /** Calls made so far per `service:Operation`, every attempt counted (retries included). */
  apiCalls(): Record<string, number>;
  /** Closes pooled sockets; the pool cannot be used afterwards. */
  destroy(): void;
}

const REFRESH_MARGIN_MS = 5 * 60 * 1000;
// Sessions chained from another role may not exceed one hour.
const MEMBER_SESSION_SECONDS = 3600;
const GLOBAL_REGION = 'us-east-1';

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

/** The role ARN to assume in `accountId` for a `--member-role` value. */
export function memberRoleArn(memberRole: string, accountId: string): string {
  if (memberRole.startsWith('arn:')) return arnInAccount(memberRole, accountId);
  return `arn:aws:iam::${accountId}:role/${memberRole.replace(/^\/+/, '')}`;
}

/** Creates the pool. Nothing is called until a client is used. */
export function createClientPool(options: ClientPoolOptions = {}): ClientPool {
  const counts = new Map<string, number>();
  // Shared agents: thousands of member clients reuse the same sockets.
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64 });
  const maxAttempts = options.maxAttempts ?? 5;
  const region =
    options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? GLOBAL_REGION;

  const managementCredentials: CredentialsProvider =
    typeof options.credentials === 'function'
      ? memoizeCredentials(options.credentials)
      : options.credentials !== undefined
        ? (
            (c: Credentials) => () =>
              Promise.resolve(c)
          )(options.credentials)
        : memoizeCredentials(
            fromNodeProviderChain(
              options.profile === undefined ? {} : { profile: options.profile },
            ),
          );

  function config(credentials: CredentialsProvider, clientRegion: string) {
    return {
      region: clientRegion,
      credentials,
      retryMode: 'adaptive',
      maxAttempts,
      requestHandler: { httpAgent, httpsAgent },
      ...(options.profile === undefined ? {} : { profile: options.profile }),
    };
  }

  function counted<C extends { middlewareStack: { add: (...args: never[]) => void } }>(
    service: string,
    client: C,
  ): C {
    // The deserialize step runs once per attempt (inside the retry loop), so
    // retries are counted as the calls AWS actually received.
    const add = client.middlewareStack.add as unknown as (
      mw: (
        next: (args: unknown) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      opts: { step: 'deserialize'; name: string; priority: 'low' },
    ) => void;
    add.call(
      client.middlewareStack,
      (next, context) => (args) => {
        const key = `${service}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return next(args);
      },
      { step: 'deserialize', name: 'leavegateCallCounter', priority: 'low' },
    );
    return client;
  }

  const sts = counted('sts', new STSClient(config(managementCredentials, region)));
  const organizations = counted(
    'organizations',
    new OrganizationsClient(config(managementCredentials, GLOBAL_REGION)),
  );
  const iam = counted('iam', new IAMClient(config(managementCredentials, GLOBAL_REGION)));
  const account = counted(
    'account',
    new AccountClient(config(managementCredentials, GLOBAL_REGION)),
  );

  const memberCredentials = new Map<string, CredentialsProvider>();
  const members = new Map<string, MemberSession>();

  function credentialsFor(accountId: string, roleArn: string): CredentialsProvider {
    let provider = memberCredentials.get(accountId);
    if (provider === undefined) {
      provider = memoizeCredentials(async () => {
        const out = await sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: options.sessionName ?? 'leavegate',
            DurationSeconds: MEMBER_SESSION_SECONDS,
            ...(options.externalId === undefined ? {} : { ExternalId: options.externalId }),
          }),
        );
        const c = out.Credentials;
        if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined) {
          throw Object.assign(new Error(`AssumeRole ${roleArn} returned no credentials`), {
            name: 'InvalidCredentials',
          });
        }
        return {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          ...(c.SessionToken === undefined ? {} : { sessionToken: c.SessionToken }),
          ...(c.Expiration === undefined ? {} : { expiration: c.Expiration }),
        };
      });
      memberCredentials.set(accountId, provider);
    }
    return provider;
  }

  return {
    organizations,
    sts,
    iam,
    account,
    member(accountId) {
      let session = members.get(accountId);
      if (session === undefined) {
        const roleArn = memberRoleArn(
          options.memberRole ?? 'OrganizationAccountAccessRole',
          accountId,
        );
        const credentials = credentialsFor(accountId, roleArn);
        const lazy = <T>(make: () => T): (() => T) => {
          let value: T | undefined;
          return () => (value ??= make());
        };
        const orgs = lazy(() =>
          counted('organizations', new OrganizationsClient(config(credentials, GLOBAL_REGION))),
        );
        const memberIam = lazy(() =>
          counted('iam', new IAMClient(config(credentials, GLOBAL_REGION))),
        );
        const memberAccount = lazy(() =>
          counted('account', new AccountClient(config(credentials, GLOBAL_REGION))),
        );
        const support = lazy(() =>
          counted('support', new SupportClient(config(credentials, GLOBAL_REGION))),
        );
        const memberSts = lazy(() => counted('sts', new STSClient(config(credentials, region))));
        // Clients are built on first use: most collections need only two or three of them.
        session = {
          accountId,
          roleArn,
          credentials,
          get organizations() {
            return orgs();
          },
          get iam() {
            return memberIam();
          },
          get account() {
            return memberAccount();
          },
          get support() {
            return support();
          },
          get sts() {
            return memberSts();
          },
        };
        members.set(accountId, session);
      }
      return session;
    },
    release(accountId) {
      // Clients share the pool's agents: destroying one would close them all.
      members.delete(accountId);
    },
    apiCalls() {
      return Object.fromEntries([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
    },
    destroy() {
      members.clear();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
