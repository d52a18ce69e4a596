/**
 * The client pool: every AWS client leavegate uses comes from here, so the
 * sources (and the executor) never construct clients themselves, every call
 * is counted per `service:Operation`, and member sessions are assumed once and
 * refreshed before they expire. Any SDK v3 client works: `pool.client(Ctor, session)`.
 *
 * Endpoints follow only the SDK's own conventions (AWS_ENDPOINT_URL,
 * AWS_ENDPOINT_URL_<SERVICE>); the pool never sets one.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { arnInAccount, organizationsRegion, partitionOfRegion, roleArn } from '../arn.js';
import { assumeRole, assumeRoot, memoizeCredentials } from './assume.js';
import { createCallLimits, MAX_CONCURRENCY } from './call-limits.js';
import type { CallLimits, CallSide } from './call-limits.js';
import { instrument } from './client-middleware.js';

export { memoizeCredentials } from './assume.js';

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
  /**
   * Region for regional endpoints (STS). Organizations, IAM, Account and
   * Support are signed for the partition's Organizations region (us-east-1,
   * us-gov-west-1, ...).
   */
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
  /** Calls in flight per pool (default: src/collect/call-limits.ts's defaults). */
  limits?: CallLimits;
}

/** Who a client signs as: the caller's own credentials or a member's assumed role. */
export type Session = ManagementSession | MemberSession | RootSession;

export interface ManagementSession {
  kind: 'management';
  credentials: CredentialsProvider;
}

/** A member account's root session (sts:AssumeRoot from the management account, one task policy). */
export interface RootSession {
  kind: 'root';
  accountId: string;
  taskPolicyArn: string;
  /** AssumeRoot on first use, cached, refreshed before expiry (sessions last 15 minutes). */
  credentials: CredentialsProvider;
}

/** A member account's assumed-role session. */
export interface MemberSession {
  kind: 'member';
  accountId: string;
  /** The ARN of the role assumed (what AssumeRole was called with). */
  roleArn: string;
  /**
   * Member credentials: AssumeRole on first use, cached, refreshed 5 minutes
   * before they expire (role chaining caps sessions at one hour), concurrent
   * callers share one AssumeRole.
   */
  credentials: CredentialsProvider;
}

/** The configuration the pool gives every client. */
export interface PoolClientConfig {
  region: string;
  credentials: CredentialsProvider;
  retryMode: string;
  maxAttempts: number;
  requestHandler: {
    httpAgent: HttpAgent;
    httpsAgent: HttpsAgent;
    connectionTimeout: number;
    requestTimeout: number;
    throwOnRequestTimeout: boolean;
  };
  profile?: string;
}

/** What the pool needs of an SDK v3 client: its middleware stack (to count calls) and service id. */
export interface SdkClient {
  middlewareStack: { add: (...args: never[]) => void };
  config: { serviceId?: string };
}

/** An SDK v3 client class (`OrganizationsClient`, `IAMClient`, ...). */
export type ClientClass<C extends SdkClient> = new (config: PoolClientConfig) => C;

export interface ClientPool {
  /** The caller's own credentials. */
  readonly management: ManagementSession;
  /** The region Organizations, IAM, Account and Support calls are signed for. */
  readonly globalRegion: string;
  /** The bounds every call of the pool's clients runs within. */
  readonly limits: CallLimits;
  /** The member session of `accountId` (created on first use, cached until released). */
  member(accountId: string): MemberSession;
  /** The root session of `accountId` for `taskPolicyArn` (created on first use, cached until released). */
  root(accountId: string, taskPolicyArn: string): RootSession;
  /** The client of class `Ctor` signed as `session` (default: management), built once per session. */
  client<C extends SdkClient>(Ctor: ClientClass<C>, session?: Session): C;
  /** Forget a member's clients (its credentials stay cached until they expire). */
  release(accountId: string): void;
  /** Calls made so far per `service:Operation`, every attempt counted (retries included). */
  apiCalls(): Record<string, number>;
  /** Closes pooled sockets; the pool cannot be used afterwards. */
  destroy(): void;
}

// Global services: one endpoint per partition, signed for its Organizations region.
const GLOBAL_SERVICES = new Set(['organizations', 'iam', 'account', 'support']);

/** The role ARN to assume in `accountId` for a `--member-role` value (partition of `region`). */
export function memberRoleArn(memberRole: string, accountId: string, region?: string): string {
  if (memberRole.startsWith('arn:')) return arnInAccount(memberRole, accountId);
  return roleArn(partitionOfRegion(region), accountId, memberRole);
}

/** `sts`, `iam`, `sso-admin`: the service prefix of a client, as call counts name it. */
function servicePrefix(client: SdkClient): string {
  return (client.config.serviceId ?? 'unknown').toLowerCase().replace(/\s+/g, '-');
}

function managementCredentials(options: ClientPoolOptions): CredentialsProvider {
  const given = options.credentials;
  if (typeof given === 'function') return memoizeCredentials(given);
  if (given !== undefined) return () => Promise.resolve(given);
  return memoizeCredentials(
    fromNodeProviderChain(options.profile === undefined ? {} : { profile: options.profile }),
  );
}

interface BuildSettings {
  region: string;
  globalRegion: string;
  maxAttempts: number;
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
  counts: Map<string, number>;
  limits: CallLimits;
  options: ClientPoolOptions;
}

const CONNECTION_TIMEOUT_MS = 10_000;

/** Per-request timeout (default 60 s; `LEAVEGATE_REQUEST_TIMEOUT_MS` for slow links and tests). */
export function requestTimeoutMs(): number {
  const env = Number(process.env.LEAVEGATE_REQUEST_TIMEOUT_MS);
  return Number.isSafeInteger(env) && env > 0 ? env : 60_000;
}

/**
 * The pool of a call (src/collect/call-limits.ts): signed as a member (role or
 * root), its account's; signed as the caller, management — except STS, whose
 * AssumeRole/AssumeRoot open member sessions and which Organizations' per
 * organization throttling does not cover.
 */
function sideOf(session: Session, service: string): CallSide {
  if (session.kind !== 'management') return { kind: 'member', accountId: session.accountId };
  return service === 'sts' ? { kind: 'member' } : { kind: 'management' };
}

/** Builds counted clients of any class, global services homed in the Organizations region. */
function clientBuilder(b: BuildSettings) {
  const services = new Map<ClientClass<SdkClient>, string>();
  return <C extends SdkClient>(Ctor: ClientClass<C>, session: Session): C => {
    const credentials = session.credentials;
    const config = (clientRegion: string): PoolClientConfig => ({
      region: clientRegion,
      credentials,
      retryMode: 'adaptive',
      maxAttempts: b.maxAttempts,
      // An endpoint that accepts the connection and never answers must not hang the run.
      requestHandler: {
        httpAgent: b.httpAgent,
        httpsAgent: b.httpsAgent,
        connectionTimeout: CONNECTION_TIMEOUT_MS,
        requestTimeout: requestTimeoutMs(),
        throwOnRequestTimeout: true,
      },
      ...(b.options.profile === undefined ? {} : { profile: b.options.profile }),
    });
    // The service id is known only once a client exists: the first one of a
    // class tells it, and is rebuilt for the global region if need be.
    let service = services.get(Ctor);
    let client: C | undefined;
    if (service === undefined) {
      client = new Ctor(config(b.region));
      services.set(Ctor, (service = servicePrefix(client)));
    }
    const home = GLOBAL_SERVICES.has(service) ? b.globalRegion : b.region;
    if (client === undefined || home !== b.region) client = new Ctor(config(home));
    return instrument(client, service, b.counts, b.limits, sideOf(session, service));
  };
}

/** Creates the pool. Nothing is called until a client is used. */
/**
 * Member and root sessions, each created once per account (and task policy):
 * the AssumeRole / AssumeRoot behind them runs on first use and is cached.
 */
function sessionFactory(options: ClientPoolOptions, region: string, sts: () => STSClient) {
  const memberCredentials = new Map<string, CredentialsProvider>();
  const members = new Map<string, MemberSession>();
  const roots = new Map<string, RootSession>();
  return {
    member(accountId: string): MemberSession {
      let session = members.get(accountId);
      if (session === undefined) {
        const arn = memberRoleArn(
          options.memberRole ?? 'OrganizationAccountAccessRole',
          accountId,
          region,
        );
        // Credentials outlive a release: a later session reuses them until they expire.
        let credentials = memberCredentials.get(accountId);
        if (credentials === undefined)
          memberCredentials.set(accountId, (credentials = assumeRole(sts, arn, options)));
        session = { kind: 'member', accountId, roleArn: arn, credentials };
        members.set(accountId, session);
      }
      return session;
    },
    root(accountId: string, taskPolicyArn: string): RootSession {
      const key = `${accountId} ${taskPolicyArn}`;
      let session = roots.get(key);
      if (session === undefined) {
        const credentials = assumeRoot(sts, accountId, taskPolicyArn);
        roots.set(key, (session = { kind: 'root', accountId, taskPolicyArn, credentials }));
      }
      return session;
    },
    /** Forgets the account's sessions and returns them (their clients go too). */
    release(accountId: string): Session[] {
      const out: Session[] = [];
      const member = members.get(accountId);
      if (member !== undefined) out.push(member);
      members.delete(accountId);
      for (const [key, root] of roots)
        if (root.accountId === accountId) {
          out.push(root);
          roots.delete(key);
        }
      return out;
    },
    clear(): void {
      members.clear();
      roots.clear();
    },
  };
}

export function createClientPool(options: ClientPoolOptions = {}): ClientPool {
  const counts = new Map<string, number>();
  // Shared agents: thousands of member clients reuse the same sockets, enough
  // for both pools at their largest (the pools, not the agents, bound the calls).
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 2 * MAX_CONCURRENCY });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 2 * MAX_CONCURRENCY });
  const maxAttempts = options.maxAttempts ?? 5;
  const limits = options.limits ?? createCallLimits();
  const configured = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const globalRegion = organizationsRegion(partitionOfRegion(configured));
  const region = configured ?? globalRegion;
  const management: ManagementSession = {
    kind: 'management',
    credentials: managementCredentials(options),
  };

  const build = clientBuilder({
    region,
    globalRegion,
    maxAttempts,
    httpAgent,
    httpsAgent,
    counts,
    limits,
    options,
  });

  // Clients per session, by class: management ones live as long as the pool.
  const clients = new Map<Session, Map<ClientClass<SdkClient>, SdkClient>>();
  function client<C extends SdkClient>(Ctor: ClientClass<C>, session: Session = management): C {
    let byClass = clients.get(session);
    if (byClass === undefined)
      clients.set(session, (byClass = new Map<ClientClass<SdkClient>, SdkClient>()));
    let c = byClass.get(Ctor) as C | undefined;
    if (c === undefined) {
      c = build(Ctor, session);
      byClass.set(Ctor, c);
    }
    return c;
  }

  const sessions = sessionFactory(options, region, () => client(STSClient));
  return {
    management,
    globalRegion,
    limits,
    client,
    member: (accountId) => sessions.member(accountId),
    root: (accountId, taskPolicyArn) => sessions.root(accountId, taskPolicyArn),
    release(accountId) {
      // Clients share the pool's agents: destroying one would close them all.
      for (const session of sessions.release(accountId)) clients.delete(session);
    },
    apiCalls() {
      return Object.fromEntries([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
    },
    destroy() {
      sessions.clear();
      clients.clear();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
