/**
 * GitHub code scanning's limits on one SARIF file, and how leavegate stays
 * within them: results are split over runs of at most 25,000, each run with
 * the same tool and rules and its own `automationDetails.id`; beyond 20 runs
 * the least important results are left out, and every run of the file says
 * so in `invocations[0].toolExecutionNotifications` (how many, and that
 * report.json has them all). The gate never reads SARIF: what is left out
 * here changes no verdict and no exit code.
 *
 * Limits (docs.github.com, "SARIF support for code scanning", validating
 * your SARIF file): runs per file 20, results per run 25,000, rules per run
 * 25,000, tool extensions per run 100, locations per result 1,000, tags per
 * rule 20.
 */
import type { Notification, Result as SarifResult, ToolComponent } from 'sarif';
import { fmt } from './format.js';
import type { Report } from './types.js';

export interface SarifLimits {
  /** Results in one run. */
  resultsPerRun: number;
  /** Runs in one file. */
  runsPerFile: number;
  /** `tool.extensions` in one run. */
  extensionsPerRun: number;
}

/** What GitHub accepts (a file over any of them is rejected as a whole). */
export const GITHUB_SARIF_LIMITS: Readonly<SarifLimits> = {
  resultsPerRun: 25_000,
  runsPerFile: 20,
  extensionsPerRun: 100,
};

/** A result before it is placed in a run, with what decides whether it is kept when capping. */
export interface PendingResult {
  result: SarifResult;
  /** 0 keeps first: blocking failure, blocking unknown, other failure, other unknown, waived. */
  priority: number;
}

export interface RunPlan {
  /** The results of each run, in report order within a run. */
  parts: SarifResult[][];
  total: number;
  /** Results left out because the file would need more than `runsPerFile` runs. */
  leftOut: number;
  /** How many results of each status were left out. */
  leftOutByStatus: Record<string, number>;
}

/**
 * Places `pending` (in report order, accounts kept together) into runs.
 * Only when they do not all fit are they ranked by priority (stable), so the
 * file keeps what blocks accounts and drops waived and warning results first.
 */
export function planRuns(pending: readonly PendingResult[], limits: SarifLimits): RunPlan {
  const capacity = limits.resultsPerRun * limits.runsPerFile;
  let kept = pending;
  const leftOutByStatus: Record<string, number> = {};
  if (pending.length > capacity) {
    const ranked = pending
      .map((p, i) => ({ p, i }))
      .sort((a, b) => a.p.priority - b.p.priority || a.i - b.i);
    for (const { p } of ranked.slice(capacity)) {
      const status = String(p.result.properties?.status ?? 'unknown');
      leftOutByStatus[status] = (leftOutByStatus[status] ?? 0) + 1;
    }
    // Back to report order within what is kept, so an account's results stay together.
    kept = ranked
      .slice(0, capacity)
      .sort((a, b) => a.i - b.i)
      .map(({ p }) => p);
  }
  const parts: SarifResult[][] = [];
  for (let i = 0; i < kept.length; i += limits.resultsPerRun) {
    parts.push(kept.slice(i, i + limits.resultsPerRun).map((p) => p.result));
  }
  // A clean organization still gets one (empty) run: it closes the alerts of the previous upload.
  if (parts.length === 0) parts.push([]);
  return {
    parts,
    total: pending.length,
    leftOut: pending.length - kept.length,
    leftOutByStatus,
  };
}

/** Letters, digits, `.`, `_` and `-` only: an id segment nothing can split or bend. */
function segment(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || '_';
}

/**
 * `automationDetails.id` of part `k` (1-based): `leavegate/<org>/<mode>/part-<k>/`.
 * GitHub takes everything before the last `/` as the analysis category, and
 * the trailing slash makes each part its own category, so the runs of one
 * file are never "multiple runs with the same category" (rejected since
 * July 2025) under either reading of the id; a part keeps its category
 * across uploads. The mode keeps leave and transfer checks of one
 * organization from replacing each other's alerts.
 */
export function automationId(report: Report, k: number): string {
  const org = segment(report.snapshot.organizationId ?? 'no-organization');
  const mode = report.mode?.kind === 'transfer' ? 'transfer' : 'leave';
  return `leavegate/${org}/${mode}/part-${k}/`;
}

function statusBreakdown(byStatus: Record<string, number>): string {
  return Object.entries(byStatus)
    .map(([status, n]) => `${fmt(n)} ${status}`)
    .join(', ');
}

/** The notifications every run of the file carries about the split and the cap. */
export function planNotifications(plan: RunPlan, k: number, limits: SarifLimits): Notification[] {
  const notes: Notification[] = [];
  const runs = plan.parts.length;
  if (runs > 1) {
    notes.push({
      level: 'note',
      message: {
        text: `Part ${k} of ${runs}: ${fmt(plan.parts[k - 1]?.length ?? 0)} of ${fmt(plan.total - plan.leftOut)} results (GitHub accepts at most ${fmt(limits.resultsPerRun)} results per run); the other parts are the other runs of this file.`,
      },
      descriptor: { id: 'leavegate/results-split' },
      properties: { part: k, parts: runs },
    });
  }
  if (plan.leftOut > 0) {
    notes.push({
      level: 'warning',
      message: {
        text: `${fmt(plan.leftOut)} of ${fmt(plan.total)} results were left out of this file (${statusBreakdown(plan.leftOutByStatus)}): GitHub accepts at most ${fmt(limits.runsPerFile)} runs of ${fmt(limits.resultsPerRun)} results. Blocking results were kept first. Every result, with its evidence, is in report.json.`,
      },
      descriptor: { id: 'leavegate/results-capped' },
      properties: {
        resultsTotal: plan.total,
        resultsLeftOut: plan.leftOut,
        leftOutByStatus: plan.leftOutByStatus,
        fullEvidence: 'report.json',
      },
    });
  }
  return notes;
}

/** At most `extensionsPerRun` tool extensions, and a notification when some were left out. */
export function cappedExtensions(
  all: ToolComponent[],
  limits: SarifLimits,
): { extensions: ToolComponent[]; notes: Notification[] } {
  if (all.length <= limits.extensionsPerRun) return { extensions: all, notes: [] };
  return {
    extensions: all.slice(0, limits.extensionsPerRun),
    notes: [
      {
        level: 'warning',
        message: {
          text: `${fmt(all.length - limits.extensionsPerRun)} of ${fmt(all.length)} rule packs and plugins are not listed as tool extensions (GitHub accepts at most ${fmt(limits.extensionsPerRun)}); all of them are in this invocation's properties.inputs and in report.json.`,
        },
        descriptor: { id: 'leavegate/extensions-capped' },
      },
    ],
  };
}
