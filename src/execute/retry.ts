/**
 * Bounded exponential backoff and a minimum-interval rate gate, both on an
 * injected clock. Hand-written rather than p-retry because the executor must
 * make every sleep observable in tests (and in the audit trail) and p-retry
 * has no injectable timer.
 */

export type Sleep = (ms: number) => Promise<void>;

export interface RetryPolicy {
  /** Total attempts including the first (>= 1). */
  attempts: number;
  /** Delay before the second attempt. */
  baseDelayMs: number;
  /** Cap for any single delay. */
  maxDelayMs: number;
}

/** LeaveOrganization: 5 attempts, 0.5 s, 1 s, 2 s, 4 s (each with up to 50% jitter, capped at 8 s). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8000,
};

/** The delay before attempt `attempt + 1` (attempt counts from 1): "equal jitter" backoff. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const half = exp / 2;
  return Math.round(half + random() * half);
}

export interface RetryHooks {
  sleep: Sleep;
  random?: () => number;
  /** Called before each sleep, with the error that caused it. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/** Result of a retried call: the value or the last error, and how many attempts were made. */
export type RetryOutcome<T> =
  { ok: true; value: T; attempts: number } | { ok: false; error: unknown; attempts: number };

/**
 * Calls `fn` until it succeeds, a non-retryable error occurs, or the attempts
 * run out. Never throws: the caller maps the last error.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  isRetryable: (err: unknown) => boolean,
  policy: RetryPolicy,
  hooks: RetryHooks,
): Promise<RetryOutcome<T>> {
  const attempts = Math.max(1, Math.floor(policy.attempts));
  const random = hooks.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await fn(attempt), attempts: attempt };
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error))
        return { ok: false, error, attempts: attempt };
      const delayMs = backoffDelay(policy, attempt, random);
      hooks.onRetry?.({ attempt, delayMs, error });
      await hooks.sleep(delayMs);
    }
  }
}

/**
 * Spaces calls at least `minIntervalMs` apart (LeaveOrganization: 5 accounts
 * per second per organization -> 200 ms), on the injected clock.
 */
export class RateGate {
  private last: number | undefined;

  constructor(
    private readonly minIntervalMs: number,
    private readonly now: () => number,
    private readonly sleep: Sleep,
  ) {}

  /** Waits until the next call may start, then records it as started. */
  async take(): Promise<void> {
    if (this.last !== undefined) {
      const wait = this.last + this.minIntervalMs - this.now();
      if (wait > 0) await this.sleep(wait);
    }
    this.last = this.now();
  }
}
