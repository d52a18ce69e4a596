/** Live collection from AWS: the only code (with the executor's AWS port) that imports @aws-sdk/*. */
import cliProgress from 'cli-progress';
import pLimit from 'p-limit';
import { toolVersion } from '../paths.js';
import type { AccountRecord, CollectionError, Snapshot, Tag } from '../snapshot/types.js';
import { createClientPool } from './client-pool.js';
import type { ClientPool, Credentials, CredentialsProvider } from './client-pool.js';
import { collectMember } from './member.js';
import type { ManagedPolicyCache, MemberFacts } from './member.js';
import {
  accountTags,
  collectAccountsPath,
  collectOrganization,
  identifyCaller,
} from './organization.js';

export { createClientPool, memberRoleArn, memoizeCredentials } from './client-pool.js';
export type {
  ClientPool,
  ClientPoolOptions,
  Credentials,
  CredentialsProvider,
  MemberSession,
} from './client-pool.js';
export { errorCode, errorMessage, toCollectionError } from './errors.js';

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
  profile?: string;
  region?: string;
  /** Bounded concurrency across accounts (default 8). */
  concurrency: number;
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
  const concurrency = Math.max(1, Math.floor(options.concurrency > 0 ? options.concurrency : 8));
  const pool =
    options.pool ??
    createClientPool({
      memberRole: options.memberRole,
      ...(options.externalId === undefined ? {} : { externalId: options.externalId }),
      ...(options.profile === undefined ? {} : { profile: options.profile }),
      ...(options.region === undefined ? {} : { region: options.region }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    });
  const callsBefore = pool.apiCalls();
  const errors: CollectionError[] = [];
  try {
    const ctx = await identifyCaller(pool);
    // Organization-level calls and account workers share one bound.
    const orgLimit = pLimit(concurrency);
    const view =
      'all' in options.scope
        ? await collectOrganization(pool, ctx, orgLimit, errors)
        : await collectAccountsPath(
            pool,
            ctx,
            [...new Set(options.scope.accounts)],
            orgLimit,
            errors,
          );

    const contactsFromManagement = (view.trustedServices ?? []).includes('account.amazonaws.com');
    const cache: ManagedPolicyCache = new Map();
    const accountLimit = pLimit(concurrency);
    const parallel = concurrency > 1;
    const progress = progressBar(options.progress, view.accounts.length);
    const accounts = await Promise.all(
      view.accounts.map((record) =>
        accountLimit(async (): Promise<AccountRecord> => {
          // Tags exist only for accounts the organization knows.
          const tagsTask = (): Promise<Tag[] | undefined> =>
            record.state === undefined && record.name === undefined
              ? Promise.resolve(undefined)
              : accountTags(pool, record.id, errors);
          const memberTask = (): Promise<MemberFacts> =>
            collectMember(
              pool,
              record.id,
              {
                ...(options.principalArn === undefined
                  ? {}
                  : { principalArn: options.principalArn }),
                contactsFromManagement,
                isManagement: record.id === ctx.organization.managementAccountId,
                parallel,
                skipMember: options.skipMember === true,
                cache,
              },
              errors,
            );
          // concurrency 1 means one call at a time (the benchmark's baseline).
          const [tags, member] = parallel
            ? await Promise.all([tagsTask(), memberTask()])
            : [await tagsTask(), await memberTask()];
          pool.release(record.id);
          progress.tick(errors.length);
          return {
            ...record,
            ...(tags === undefined ? {} : { tags }),
            ...member,
          };
        }),
      ),
    );
    progress.stop();

    const after = pool.apiCalls();
    const apiCalls: Record<string, number> = {};
    for (const [k, v] of Object.entries(after)) {
      const delta = v - (callsBefore[k] ?? 0);
      if (delta > 0) apiCalls[k] = delta;
    }
    return {
      schemaVersion: 1,
      collectedAt,
      organization: ctx.organization,
      rootId: ctx.rootId,
      ...(view.organizationalUnits === undefined
        ? {}
        : { organizationalUnits: view.organizationalUnits }),
      ...(view.policies === undefined ? {} : { policies: view.policies }),
      ...(view.delegatedAdministrators === undefined
        ? {}
        : { delegatedAdministrators: view.delegatedAdministrators }),
      ...(view.trustedServices === undefined ? {} : { trustedServices: view.trustedServices }),
      accounts,
      errors: sortErrors(errors),
      collector: {
        tool: 'leavegate',
        version: toolVersion(),
        scope: 'all' in options.scope ? 'all' : 'accounts',
        durationMs: Date.now() - started,
        apiCalls,
        ...(view.accountsComplete ? {} : { accountsComplete: false }),
      },
    };
  } finally {
    if (options.pool === undefined) pool.destroy();
  }
}

function sortErrors(errors: CollectionError[]): CollectionError[] {
  const key = (e: CollectionError): string =>
    `${e.accountId ?? ''}\u0000${e.source}\u0000${e.code}`;
  return [...errors].sort((a, b) => key(a).localeCompare(key(b)));
}
