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

/** An attestation that decided a rule result (DESIGN §4.6 provenance). */
export interface AttestationUsed {
  fact: string;
  value: boolean;
  attestedBy: string;
  attestedAt: string;
  expiresAt: string;
  evidence?: string;
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
  /** The attestations this result was decided on (provenance); absent when none decided it. */
  attestations?: AttestationUsed[];
}

/** An impact rule (DESIGN §7) that did not pass for an account. */
export interface ImpactFinding {
  rule: string;
  title: string;
  severity: Severity;
  status: RuleStatus;
  /** The result's message, naming what changes. */
  message: string;
}

/** "What changes when this account leaves" (DESIGN §7): findings and the post-call checklist. */
export interface AccountImpact {
  findings: ImpactFinding[];
  checklist: string[];
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
  /** What changes when it leaves (extension, DESIGN §7); report.json writes it for every account. */
  impact?: AccountImpact;
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

/** A file the run read, with the sha256 of its bytes. */
export interface InputFile {
  path: string;
  sha256: string;
}

/** sha256 of one rule's canonical JSON. */
export interface RuleDigest {
  id: string;
  sha256: string;
}

/** Where the evaluation time came from. */
export type ClockSource = 'clock' | '--now' | 'snapshot';

/** What a run decided on (DESIGN §4.6 provenance). */
export interface ReportInputs {
  /** The snapshot file (offline), or the snapshot written by a live run (path relative to --out or absolute). */
  snapshot?: InputFile;
  attestations?: InputFile;
  waivers?: InputFile;
  config?: InputFile;
  rulePacks: { name: string; version: string; source: string; rules: RuleDigest[] }[];
  plugins: {
    name: string;
    version: string;
    source: string;
    sha256: string;
    rules: RuleDigest[];
    operators: string[];
    facts: string[];
  }[];
  clock: { now: string; source: ClockSource };
  /** argv after the program name, secrets redacted. */
  commandLine: string[];
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
  summary: {
    accounts: number;
    ready: number;
    blocked: number;
    unknown: number;
    /** Warning-severity results that failed or are unknown, over all accounts (extension). */
    warnings?: number;
  };
  /** `warning` when warnings were treated as blockers (`--fail-on warning`); absent = blocker. */
  failOn?: 'blocker' | 'warning';
  /** Provenance: every input the run decided on (extension, DESIGN §4.6). */
  inputs?: ReportInputs;
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
