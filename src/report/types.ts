/**
 * Report v1 (contract, DESIGN §4.6). The types are generated from
 * schemas/report.schema.json into src/generated/report.ts; this module is
 * where the code imports them from. The engine produces a Report; every report
 * format is a pure function of it.
 */
import type { AccountReport, ClockInfo, Report, RuleResult } from '../generated/report.js';

export type {
  AccountImpact,
  AccountReport,
  AttestationUsed,
  ImpactFinding,
  InputFile,
  PluginInput,
  Report,
  ReportInputs,
  ReportStats,
  ReportSummary,
  RuleDigest,
  RuleInfo,
  RulePackInfo,
  RulePackInput,
  RuleResult,
  SnapshotInfo,
  ToolInfo,
  WaiverApplied,
} from '../generated/report.js';

export type RuleStatus = RuleResult['status'];
export type Severity = RuleResult['severity'];
export type Verdict = AccountReport['verdict'];
/** Where the evaluation time came from. */
export type ClockSource = ClockInfo['source'];

/** What a report is about when it is not leaving: a direct transfer (DESIGN §8; extension). */
export type ReportMode = NonNullable<Report['mode']>;
