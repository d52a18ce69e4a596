/**
 * Report v1 (contract, DESIGN §4.6; schema: schemas/report.schema.json).
 * The engine produces this; every report format is a pure function of it.
 */
import type { Tag } from '../snapshot/types.js';

export type RuleStatus = 'pass' | 'fail' | 'unknown' | 'waived';
export type Verdict = 'ready' | 'blocked' | 'unknown';
export type Severity = 'blocker' | 'warning';

export interface WaiverApplied {
  reason: string;
  owner: string;
  expiresAt: string;
}

export interface RuleResult {
  id: string;
  title: string;
  severity: Severity;
  status: RuleStatus;
  /** One line in plain words. */
  message: string;
  /** Found vs expected per condition; the policy evaluator's verdict for policy rules (`evidence.decision`). */
  evidence: Record<string, unknown>;
  /** What to do; present on every result that is not `pass` (the full text is also in `Report.rules`). */
  remediation?: string;
  /** Rule pack the rule came from. */
  pack?: string;
  /** Documentation URLs. */
  references?: string[];
  /** Present when status is `waived`. */
  waiver?: WaiverApplied;
}

export interface AccountReport {
  accountId: string;
  name?: string;
  verdict: Verdict;
  rules: RuleResult[];
  /** Account tags as collected (deleted by AWS on leaving); absent = not collected. */
  tags?: Tag[];
  /** Organizational path, root first (extension). */
  ouPath?: string[];
  /** Attestations and waivers that were not applied, with why (extension). */
  notes?: string[];
}

export interface RulePackInfo {
  name: string;
  version: string;
  rules: number;
}

/** A loaded rule's metadata, once per report (extension). */
export interface RuleInfo {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  references: string[];
  pack: string;
  waivable: boolean;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'leavegate'; version: string };
  generatedAt: string;
  /** The evaluation time used for time-dependent rules (extension). */
  evaluatedAt?: string;
  snapshot: { collectedAt: string; organizationId: string | null; sha256: string };
  rulePacks: RulePackInfo[];
  /** Metadata of every evaluated rule (extension). */
  rules?: RuleInfo[];
  summary: { accounts: number; ready: number; blocked: number; unknown: number };
  accounts: AccountReport[];
  /**
   * Why the accounts evaluated may not be all the accounts asked for (extension).
   * A report with reasons here is never "every account ready" (exit 3 at best).
   */
  incomplete?: string[];
  /** Problems that did not stop the run: ignored attestations, expired waivers, collection errors (extension). */
  warnings?: string[];
  stats: { durationMs: number; apiCalls: Record<string, number> };
}
