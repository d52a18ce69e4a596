/**
 * How many AWS calls collection keeps in flight, in one place. Two pools,
 * independent of each other, because AWS throttles them independently:
 *
 * - **management**: what the caller's own credentials read of the
 *   organization (Organizations, Account, the shared impact reads).
 *   Organizations throttles per organization, so this pool is small
 *   (`--concurrency`, default 8).
 * - **member**: what is read of each member account: its own IAM, RAM,
 *   Savings Plans, Support, ... as its assumed role or root session, and the
 *   STS AssumeRole/AssumeRoot that opens that session (STS is not throttled
 *   per organization). Each member account has its own limits, so this pool is
 *   larger (`--member-concurrency`, default 32), with a cap per account so
 *   that one account never takes every slot (the STS calls, made by the
 *   caller, count against the pool only).
 *
 * The bound is per attempt (the client pool applies it inside the SDK's retry
 * loop): a call waiting out adaptive retry's back-off holds no slot. No call
 * holds a slot while another is made for it (credentials are resolved before
 * the bound is taken), so the pools cannot deadlock.
 */
import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';

/** Management-side calls in flight by default (`--concurrency`). */
export const MANAGEMENT_CONCURRENCY = 8;
/** Member-side calls in flight by default, all accounts together (`--member-concurrency`). */
export const MEMBER_CONCURRENCY = 32;
/** Member-side calls in flight per account at most. */
export const MEMBER_CONCURRENCY_PER_ACCOUNT = 4;
/** The largest value either flag accepts. */
export const MAX_CONCURRENCY = 64;

export interface CallLimitOptions {
  management?: number | undefined;
  member?: number | undefined;
  perAccount?: number | undefined;
}

/** Which pool a call goes through: management, or a member account's. */
export type CallSide =
  | { kind: 'management' }
  /** `accountId` absent: a member-side call made by the caller (STS), under no account's cap. */
  | { kind: 'member'; accountId?: string };

/** The most calls seen in flight at once, per pool (tests and the benchmark read it). */
export interface CallPeaks {
  management: number;
  member: number;
  /** The most in flight for any one account. */
  perAccount: number;
}

export interface CallLimits {
  readonly management: number;
  readonly member: number;
  readonly perAccount: number;
  /** Accounts collected at once: enough to keep both pools busy. */
  readonly accounts: number;
  /** One call at a time overall (both limits 1): the benchmark's baseline. */
  readonly serial: boolean;
  /** Runs `fn` (one attempt of one call) when its pool has room. */
  run<T>(side: CallSide, fn: () => Promise<T>): Promise<T>;
  peaks(): CallPeaks;
}

/** A limit from a flag or option: an integer from 1 to MAX_CONCURRENCY, else the default. */
function bound(value: number | undefined, fallback: number): number {
  if (value === undefined || !Number.isFinite(value) || value < 1) return fallback;
  return Math.min(MAX_CONCURRENCY, Math.floor(value));
}

/** A counter of calls in flight that remembers its peak. */
function gauge() {
  let now = 0;
  let peak = 0;
  return {
    async around<T>(fn: () => Promise<T>): Promise<T> {
      now += 1;
      peak = Math.max(peak, now);
      try {
        return await fn();
      } finally {
        now -= 1;
      }
    },
    peak: () => peak,
  };
}

export function createCallLimits(options: CallLimitOptions = {}): CallLimits {
  const management = bound(options.management, MANAGEMENT_CONCURRENCY);
  const member = bound(options.member, MEMBER_CONCURRENCY);
  const perAccount = Math.min(member, bound(options.perAccount, MEMBER_CONCURRENCY_PER_ACCOUNT));
  const managementPool = pLimit(management);
  const memberPool = pLimit(member);
  // One limiter per account with calls waiting or in flight, dropped when it
  // has none (10,000 accounts must not leave 10,000 limiters behind).
  const accountPools = new Map<string, { limit: LimitFunction; calls: number; active: number }>();
  const managementGauge = gauge();
  const memberGauge = gauge();
  let perAccountPeak = 0;

  const runMember = async <T>(accountId: string, fn: () => Promise<T>): Promise<T> => {
    let own = accountPools.get(accountId);
    if (own === undefined)
      accountPools.set(accountId, (own = { limit: pLimit(perAccount), calls: 0, active: 0 }));
    const account = own;
    account.calls += 1;
    try {
      // The account's own cap first: a call queued behind its account holds no shared slot.
      return await account.limit(async () => {
        account.active += 1;
        perAccountPeak = Math.max(perAccountPeak, account.active);
        try {
          return await memberPool(() => memberGauge.around(fn));
        } finally {
          account.active -= 1;
        }
      });
    } finally {
      account.calls -= 1;
      if (account.calls === 0) accountPools.delete(accountId);
    }
  };

  return {
    management,
    member,
    perAccount,
    accounts: Math.min(MAX_CONCURRENCY, management + Math.ceil(member / perAccount)),
    serial: management === 1 && member === 1,
    run: (side, fn) =>
      side.kind === 'management'
        ? managementPool(() => managementGauge.around(fn))
        : side.accountId === undefined
          ? memberPool(() => memberGauge.around(fn))
          : runMember(side.accountId, fn),
    peaks: () => ({
      management: managementGauge.peak(),
      member: memberGauge.peak(),
      perAccount: perAccountPeak,
    }),
  };
}
