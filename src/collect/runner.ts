/**
 * Runs the registered sources: the organization sources beside the walk,
 * then every account's sources, each from its vantage. The only place where
 * SourceErrors become the snapshot's `errors[]` and values become fields.
 */
import type { LimitFunction } from 'p-limit';
import type { AccountRecord, CollectionError } from '../snapshot/types.js';
import type { ClientPool, MemberSession, Session } from './client-pool.js';
import { SourceError } from './errors.js';
import type { Outcome } from './errors.js';
import { ACCOUNT_SOURCES, ORGANIZATION_SOURCES } from './sources/index.js';
import type {
  AccountContext,
  AccountSource,
  AccountView,
  OrgContext,
  OrgFields,
  Source,
  Structure,
} from './sources/index.js';

/** The snapshot's `errors[]` as collection goes. */
export class ErrorLog {
  readonly entries: CollectionError[] = [];

  /** The outcome's value; its errors are logged (about `accountId` unless they name another). */
  take<T>(o: Outcome<T>, accountId?: string): T | undefined {
    for (const e of o.errors ?? []) this.entries.push(e.entry(accountId));
    return o.value;
  }

  /** Sorted by account, source and code, so that runs compare. */
  sorted(): CollectionError[] {
    const key = (e: CollectionError): string =>
      `${e.accountId ?? ''}\u0000${e.source}\u0000${e.code}`;
    return [...this.entries].sort((a, b) => key(a).localeCompare(key(b)));
  }
}

/** A source's outcome; a throw is its error, under its own id unless it names its operation. */
async function run<T>(source: Source, collect: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await collect();
  } catch (err) {
    return { errors: [SourceError.of(err, source.id)] };
  }
}

/** The organization sources under way: a field as soon as its source is done, and all of them. */
export interface OrganizationRun {
  /** The value of `field` once its source answered (undefined: not read); logs nothing. */
  field<K extends keyof OrgFields>(field: K): Promise<OrgFields[K]>;
  /** Every field, once every source answered; their errors are logged then. */
  all: Promise<OrgFields>;
}

/** Starts the organization sources (they may await the walk's structure). */
export function startOrganizationSources(
  pool: ClientPool,
  org: OrgContext,
  mode: 'tree' | 'paths',
  structure: Promise<Structure>,
  limit: LimitFunction,
  log: ErrorLog,
): OrganizationRun {
  const memo = new Map<string, Promise<unknown>>();
  const ctx = {
    org,
    mode,
    limit,
    structure,
    client: pool.client.bind(pool),
    once: <T>(key: string, fn: () => Promise<T>) => once(memo, key, fn),
  };
  const running = ORGANIZATION_SOURCES.map((s) => run(s, () => s.collect(ctx)));
  const all = Promise.all(running).then((outcomes) => {
    // The registry pairs each source with its field; the value types follow from it.
    const fields: Record<string, unknown> = {};
    ORGANIZATION_SOURCES.forEach((s, i) => {
      const value = log.take(outcomes[i] ?? {});
      if (value !== undefined) fields[s.field] = value;
    });
    const placed: OrgFields = fields;
    return placed;
  });
  return {
    all,
    async field(field) {
      const i = ORGANIZATION_SOURCES.findIndex((s) => s.field === field);
      const value = i < 0 ? undefined : (await running[i])?.value;
      return value as OrgFields[typeof field];
    },
  };
}

export interface AccountRunOptions {
  pool: ClientPool;
  org: OrgContext;
  trustedServices: readonly string[] | undefined;
  rootAccessFeatures: readonly string[] | undefined;
  principalArn: string | undefined;
  skipMember: boolean;
  /** What the run asks for beyond the sources collected always (`onRequest`). */
  requested: ReadonlySet<string>;
  /** false at concurrency 1: one call at a time (the benchmark's baseline). */
  parallel: boolean;
  /** The run-wide memo behind AccountContext.once. */
  memo: Map<string, Promise<unknown>>;
  log: ErrorLog;
}

/** Runs `fn` over `items` in parallel or one by one, keeping the order of the results. */
export async function each<T, R>(
  parallel: boolean,
  items: readonly T[],
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  if (parallel) return Promise.all(items.map(fn));
  const out: R[] = [];
  for (const item of items) out.push(await fn(item));
  return out;
}

function once<T>(memo: Map<string, Promise<unknown>>, key: string, fn: () => Promise<T>) {
  let p = memo.get(key) as Promise<T> | undefined;
  if (p === undefined) {
    p = fn();
    // A failure is not kept: another account may succeed.
    p.catch(() => memo.delete(key));
    memo.set(key, p);
  }
  return p;
}

type Placed = [AccountSource, Outcome<unknown>];

/** One account: its management-vantage sources, and its member-vantage ones after one AssumeRole. */
export async function collectAccount(
  record: AccountRecord,
  o: AccountRunOptions,
): Promise<AccountRecord> {
  const view: AccountView = {
    accountId: record.id,
    record,
    isManagement: record.id === o.org.organization.managementAccountId,
    trustedServices: o.trustedServices,
    rootAccessFeatures: o.rootAccessFeatures,
  };
  const vantage = (s: AccountSource) =>
    typeof s.vantage === 'function' ? s.vantage(view) : s.vantage;
  const context = (session: Session): AccountContext => ({
    ...view,
    org: o.org,
    session,
    client: (Ctor, as = session) => o.pool.client(Ctor, as),
    rootSession: (taskPolicyArn) => o.pool.root(record.id, taskPolicyArn),
    principalArn: o.principalArn,
    parallel: o.parallel,
    each: (items, fn) => each(o.parallel, items, fn),
    once: (key, fn) => once(o.memo, key, fn),
  });
  const runAll = (sources: AccountSource[], session: Session): Promise<Placed[]> => {
    const ctx = context(session);
    return each(o.parallel, sources, async (s): Promise<Placed> => [
      s,
      await run(s, () => s.collect(ctx)),
    ]);
  };

  const sources = ACCOUNT_SOURCES.filter(
    (s) => s.onRequest === undefined || o.requested.has(s.onRequest),
  );
  const managementSide = sources.filter((s) => vantage(s) === 'management');
  // The management account cannot leave (member-account rule): its member view is not needed.
  const memberSide =
    o.skipMember || view.isManagement ? [] : sources.filter((s) => vantage(s) === 'member');
  const memberRun = async (): Promise<Placed[]> => {
    if (memberSide.length === 0) return [];
    const session: MemberSession = o.pool.member(record.id);
    try {
      await session.credentials();
    } catch (err) {
      o.log.take({ errors: [new SourceError('sts:AssumeRole', err)] }, record.id);
      return [];
    }
    return runAll(memberSide, session);
  };
  const placed = (
    await each(o.parallel, [() => runAll(managementSide, o.pool.management), memberRun], (r) => r())
  ).flat();

  const fields: Record<string, unknown> = {};
  // Registry order, whatever order the reads finished in.
  for (const s of ACCOUNT_SOURCES) {
    const hit = placed.find(([p]) => p === s);
    const value = hit === undefined ? undefined : o.log.take(hit[1], record.id);
    if (value !== undefined) fields[s.field] = value;
  }
  return { ...record, ...fields };
}
