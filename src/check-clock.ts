/** Warnings about the evaluation clock, split out of check.ts. */
import type { Snapshot } from './snapshot/types.js';
import type { GateConfig } from './check.js';

/** `3d 4h`, `5h 12m`, `40m`: a duration in words for warnings. */
export function formatDuration(ms: number): string {
  const m = Math.floor(ms / 60_000);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const parts = [
    d > 0 && `${d}d`,
    h > 0 && `${h}h`,
    (d === 0 && m % 60 > 0) || m === 0 ? `${m % 60}m` : false,
  ];
  return parts.filter(Boolean).join(' ');
}

/**
 * Warnings about the evaluation clock: a `--now` before the snapshot was
 * taken (facts then are not known), and a snapshot older than the allowed
 * age when the evaluation runs (measured on the wall clock).
 */
export function clockWarnings(snapshot: Snapshot, config: GateConfig, now: Date): string[] {
  const out: string[] = [];
  const collected = Date.parse(snapshot.collectedAt);
  if (config.clockSource === '--now' && now.getTime() < collected) {
    out.push(
      `--now ${now.toISOString()} is before the snapshot was collected (${snapshot.collectedAt}): the facts are those of a later time`,
    );
  }
  const age = (config.wallClock?.() ?? new Date()).getTime() - collected;
  if (age > config.maxSnapshotAgeMs) {
    out.push(
      `the snapshot is ${formatDuration(age)} old (collected ${snapshot.collectedAt}), older than --max-snapshot-age ${formatDuration(config.maxSnapshotAgeMs)}: collect again before relying on it`,
    );
  }
  return out;
}
