/** Live collection from AWS: the only code (with the executor's AWS port) that imports @aws-sdk/*. */
import cliProgress from 'cli-progress';
import pLimit from 'p-limit';
import { toolVersion } from '../paths.js';
import type { AccountRecord, Snapshot } from '../snapshot/types.js';
import { createCallLimits } from './call-limits.js';
import { createClientPool } from './client-pool.js';
import type { ClientPool, Credentials, CredentialsProvider } from './client-pool.js';
import { identifyCaller } from './identify.js';
import { collectAccount, ErrorLog, startOrganizationSources } from './runner.js';
import type { AccountRunOptions } from './runner.js';
import { walkPaths } from './walk-paths.js';
import { walkTree } from './walk-tree.js';
import { ORG_FIELDS } from './sources/types.js';
import type { OrgFields } from './sources/types.js';
import type { WalkResult } from './walk.js';

export {
  createCallLimits,
  MANAGEMENT_CONCURRENCY,
  MAX_CONCURRENCY,
  MEMBER_CONCURRENCY,
  MEMBER_CONCURRENCY_PER_ACCOUNT,
} from './call-limits.js';
export type { CallLimits, CallPeaks, CallSide } from './call-limits.js';
export { createClientPool, memberRoleArn, memoizeCredentials } from './client-pool.js';
export type {
  ClientPool,
  ClientPoolOptions,
  Credentials,
  CredentialsProvider,
  ManagementSession,
  MemberSession,
  Session,
} from './client-pool.js';
export { errorCode, errorMessage, SourceError } from './errors.js';
export type { Outcome } from './errors.js';
export { OPERATIONS, SOURCE_IDS, SOURCES, sourceOf } from './sources/index.js';
export type { Operation, Source, SourceId } from './sources/index.js';

export interface CollectOptions {
  /** Every account of the organization, or just these ids (only their paths are read). */
  scope: { all: true } | { accounts: string[] };
  /** Role assumed in each member account (default OrganizationAccountAccessRole). */
  memberRole: string;
  externalId?: string;
  /** Principal to collect for P4 (default: the member role in each account). */
  principalArn?: string;
  /** Skip member-side calls (management view only). */
  skipMember?: boolean;
  /** Also read the member's handshakes (a direct transfer; DESIGN §8). */
  handshakes?: boolean;
  profile?: string;
  region?: string;
  /**
   * Management-side calls in flight (Organizations, Account: throttled per
   * organization; default 8). Ignored with `pool`: the pool's limits hold.
   */
  concurrency: number;
  /** Member-side calls in flight (each member's reads and STS), all accounts together (default 32; call-limits.ts). */
  memberConcurrency?: number;
  /** Show a progress bar on stderr (only when stderr is a TTY). */
  progress: boolean;
  /** Use this pool instead of building one (the executor shares its pool; it is not destroyed). */
  pool?: ClientPool;
  /** Management credentials instead of the default chain (embedding, tests). */
  credentials?: Credentials | CredentialsProvider;
  /** Attempts per call in the SDK's adaptive retry mode (default 5). */
  maxAttempts?: number;
}

interface ProgressSink {
  tick(errors: number): void;
  stop(): void;
}

function progressBar(enabled: boolean, total: number): ProgressSink {
  if (!enabled || process.stderr.isTTY !== true || total === 0)
    return { tick: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'collect [{bar}] {value}/{total} accounts | {errors} errors | {duration_formatted}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { errors: 0 });
  return {
    tick: (errors) => bar.increment(1, { errors }),
    stop: () => bar.stop(),
  };
}

/**
 * Collects a snapshot v1 from AWS. Per-account failures land in `errors[]`
 * (the field they would have filled stays absent) and never stop the other
 * accounts; only a caller that can read no organization throws CollectError.
 */
export async function collect(options: CollectOptions): Promise<Snapshot> {
  const started = Date.now();
  const collectedAt = new Date(started).toISOString();
  const pool = options.pool ?? poolFor(options);
  const limits = pool.limits;
  const callsBefore = pool.apiCalls();
  const log = new ErrorLog();
  try {
    const org = await identifyCaller(pool);
    // The walk's and organization sources' reads at once (each call is bounded by the pool).
    const orgLimit = pLimit(limits.management);
    const input = { pool, org, limit: orgLimit };
    const mode = 'all' in options.scope ? 'tree' : 'paths';
    const walking =
      'all' in options.scope
        ? walkTree(input)
        : walkPaths(input, [...new Set(options.scope.accounts)]);
    // Both walks always answer a value (at least the accounts asked for).
    const walked = walking.then((o) => log.take(o)!);
    const orgRun = startOrganizationSources(
      pool,
      org,
      mode,
      walked.then((w) => w.structure),
      orgLimit,
      log,
    );
    // Accounts start once the walk and the two organization fields they read
    // are in, beside the other organization sources; one at a time when serial.
    if (limits.serial) await orgRun.all;
    const [walk, trustedServices, rootAccessFeatures] = await Promise.all([
      walked,
      orgRun.field('trustedServices'),
      orgRun.field('rootAccessFeatures'),
    ]);

    const accountsRun = collectAccounts(walk.accounts, {
      pool,
      org,
      trustedServices,
      rootAccessFeatures,
      principalArn: options.principalArn,
      skipMember: options.skipMember === true,
      requested: new Set(options.handshakes === true ? ['handshakes'] : []),
      parallel: !limits.serial,
      memo: new Map<string, Promise<unknown>>(),
      log,
      progress: options.progress,
    });
    const [accounts, orgFields] = await Promise.all([accountsRun, orgRun.all]);
    return {
      schemaVersion: 1,
      collectedAt,
      organization: org.organization,
      rootId: org.rootId,
      ...organizationFields(walk, {
        ...orgFields,
        ...(org.policyTypes === undefined ? {} : { enabledPolicyTypes: org.policyTypes }),
      }),
      accounts,
      errors: log.sorted(),
      collector: {
        tool: 'leavegate',
        version: toolVersion(),
        scope: 'all' in options.scope ? 'all' : 'accounts',
        durationMs: Date.now() - started,
        apiCalls: callsSince(callsBefore, pool.apiCalls()),
        ...(walk.accountsComplete ? {} : { accountsComplete: false }),
      },
    };
  } finally {
    if (options.pool === undefined) pool.destroy();
  }
}

/** Every account's sources, enough accounts at once to keep both pools busy (one when serial). */
async function collectAccounts(
  records: readonly AccountRecord[],
  o: AccountRunOptions & { progress: boolean },
): Promise<AccountRecord[]> {
  const limits = o.pool.limits;
  const accountLimit = pLimit(limits.serial ? 1 : limits.accounts);
  const progress = progressBar(o.progress, records.length);
  try {
    return await Promise.all(
      records.map((record) =>
        accountLimit(async () => {
          const collected = await collectAccount(record, o);
          o.pool.release(record.id);
          progress.tick(o.log.entries.length);
          return collected;
        }),
      ),
    );
  } finally {
    progress.stop();
  }
}

function poolFor(options: CollectOptions): ClientPool {
  return createClientPool({
    memberRole: options.memberRole,
    ...(options.externalId === undefined ? {} : { externalId: options.externalId }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    limits: createCallLimits({
      management: options.concurrency,
      member: options.memberConcurrency,
    }),
  });
}

/** The organization-level snapshot fields, in the snapshot's order (absent ones left out). */
function organizationFields(walk: WalkResult, o: OrgFields): Partial<Snapshot> {
  const out: Partial<Snapshot> =
    walk.organizationalUnits === undefined ? {} : { organizationalUnits: walk.organizationalUnits };
  for (const field of ORG_FIELDS)
    if (o[field] !== undefined) Object.assign(out, { [field]: o[field] });
  return out;
}

function callsSince(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const delta = v - (before[k] ?? 0);
    if (delta > 0) calls[k] = delta;
  }
  return calls;
}
