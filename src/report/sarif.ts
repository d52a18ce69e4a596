/**
 * report.sarif (SARIF 2.1.0) for code-scanning style consumers, GitHub's
 * first (its ingestion rules and limits are checked in the tests).
 *
 * - Every rule seen in the report is a `reportingDescriptor` (sarif-rules.ts):
 *   help as text and Markdown, tags, `security-severity`, a default level
 *   that follows whether the rule decides.
 * - One result per rule that did not pass, per account. A failure is
 *   `kind: fail`, level `error` when it blocks the account and `warning` for
 *   a warning-severity rule (which never blocks, DESIGN §4.4); waived is
 *   `kind: fail`, level `note`, with an accepted external suppression
 *   carrying the waiver. Unknown is `kind: open` ("could not be
 *   determined"), and SARIF (§3.27.10) then requires level `none`: that it
 *   blocks like a failure is said in its message, in `properties.blocking`
 *   and by its rule's security-severity. Under `failOn: warning` warnings
 *   take the levels of blockers. Passing results are left out: GitHub turns
 *   every result into an alert whatever its kind, and the pass counts are in
 *   the run's `properties.summary`.
 * - Locations: GitHub needs a physical one, so each result points at a stable
 *   per-account path `accounts/<id>` (line 1; no such file exists, so GitHub
 *   shows the alert without a code snippet and computes no fingerprint of
 *   its own), beside the logical location (OU path / account id).
 *   `partialFingerprints` carries `accountId/ruleId` and a
 *   `primaryLocationLineHash` derived from it, so an alert is tracked across
 *   uploads.
 * - Runs: at most 25,000 results each, at most 20 per file (sarif-runs.ts);
 *   each run carries the same tool, rules, artifacts and provenance.
 * - Provenance: a result decided by attestations carries them in
 *   `properties.attestations`. The run's inputs go where SARIF viewers look:
 *   the command line in `invocations[0]` (`commandLine`, `arguments`), the
 *   clock, failOn and the full `inputs` in its `properties`, run warnings as
 *   `toolExecutionNotifications`, the input files with their sha-256 in
 *   `artifacts`, rule packs and plugins (version, source, rule digests) as
 *   `tool.extensions`. No `versionControlProvenance`: the report knows no
 *   repository URI or revision, and inventing one would be worse than none.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  Artifact,
  Invocation,
  Log,
  Notification,
  ReportingDescriptor,
  Result as SarifResult,
  Run,
  ToolComponent,
} from 'sarif';
import { decides, type FailOn } from '../gate/verdict.js';
import { accountLabel, reportSubject } from './aggregate.js';
import { commandLineText, isWhatIf, warningCount } from './provenance.js';
import { descriptor } from './sarif-rules.js';
import {
  automationId,
  cappedExtensions,
  GITHUB_SARIF_LIMITS,
  planNotifications,
  planRuns,
  type PendingResult,
  type RunPlan,
  type SarifLimits,
} from './sarif-runs.js';
import type { AccountReport, Report, ReportInputs, RuleResult } from './types.js';

export { GITHUB_SARIF_LIMITS, type SarifLimits } from './sarif-runs.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

function levelOf(rule: RuleResult, failOn: FailOn): SarifResult.level {
  if (rule.status === 'unknown') return 'none';
  if (rule.status === 'fail') return decides(rule, failOn) ? 'error' : 'warning';
  return 'note';
}

/** Which results a capped file keeps first (lower first). */
function priorityOf(rule: RuleResult, failOn: FailOn): number {
  const deciding = decides(rule, failOn);
  if (rule.status === 'fail') return deciding ? 0 : 2;
  if (rule.status === 'unknown') return deciding ? 1 : 3;
  return 4;
}

function messageText(account: AccountReport, rule: RuleResult, failOn: FailOn): string {
  const label = accountLabel(account);
  if (rule.status !== 'unknown') return `${label}: ${rule.message}`;
  const effect = decides(rule, failOn) ? 'unknown, blocks like a failure' : 'unknown';
  return `${label}: ${effect}: ${rule.message}`;
}

/** The path GitHub files an account's alerts under: stable across uploads, one per account. */
export function accountUri(accountId: string): string {
  return `accounts/${encodeURIComponent(accountId)}`;
}

/**
 * GitHub's own fingerprint format (`<16 hex>:<line>`), derived from what
 * identifies the finding: two 32-bit FNV-1a hashes with different seeds.
 * Not a digest anyone relies on for integrity, only a stable identity;
 * sha-256 per result cost a third of the time for 30,000 results.
 */
function lineHash(identity: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ identity.length;
  for (let i = 0; i < identity.length; i++) {
    const c = identity.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return `${hex(a)}${hex(b)}:1`;
}

function result(
  account: AccountReport,
  rule: RuleResult,
  ruleIndex: number,
  failOn: FailOn,
): SarifResult {
  const identity = `${account.accountId}/${rule.id}`;
  const r: SarifResult = {
    ruleId: rule.id,
    ruleIndex,
    kind: rule.status === 'unknown' ? 'open' : 'fail',
    level: levelOf(rule, failOn),
    message: { text: messageText(account, rule, failOn) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: accountUri(account.accountId) },
          region: { startLine: 1 },
        },
        logicalLocations: [
          {
            name: account.name ?? account.accountId,
            fullyQualifiedName: [...(account.ouPath ?? []), account.accountId].join('/'),
            kind: 'resource',
          },
        ],
      },
    ],
    partialFingerprints: {
      'leavegate/account-rule/v1': identity,
      primaryLocationLineHash: lineHash(identity),
    },
    properties: {
      accountId: account.accountId,
      ...(account.name === undefined ? {} : { accountName: account.name }),
      verdict: account.verdict,
      status: rule.status,
      severity: rule.severity,
      blocking: rule.status !== 'waived' && decides(rule, failOn),
      evidence: rule.evidence,
      ...(rule.attestations === undefined ? {} : { attestations: rule.attestations }),
    },
  };
  if (rule.status === 'waived') {
    r.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: rule.waiver?.reason ?? 'waived',
        ...(rule.waiver === undefined
          ? {}
          : { properties: { owner: rule.waiver.owner, expiresAt: rule.waiver.expiresAt } }),
      },
    ];
  }
  return r;
}

/** A file path as a SARIF artifact URI: `file:` for absolute paths, a relative reference otherwise. */
function artifactUri(path: string): string {
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/** The input files, each with its role and sha-256. */
function artifacts(inputs: ReportInputs): Artifact[] {
  const files = [
    [inputs.snapshot, 'analysisTarget'],
    [inputs.attestations, 'userSpecifiedConfiguration'],
    [inputs.waivers, 'userSpecifiedConfiguration'],
    [inputs.config, 'userSpecifiedConfiguration'],
  ] as const;
  return files.flatMap(([file, role]) =>
    file === undefined
      ? []
      : [
          {
            location: { uri: artifactUri(file.path) },
            roles: [role],
            hashes: { 'sha-256': file.sha256 },
          },
        ],
  );
}

/** Rule packs and plugins as tool extensions: version, where they were loaded from, rule digests. */
function extensions(inputs: ReportInputs): ToolComponent[] {
  return [
    ...inputs.rulePacks.map((p) => ({
      name: p.name,
      version: p.version,
      properties: { kind: 'rulePack', source: p.source, rules: p.rules },
    })),
    ...inputs.plugins.map((p) => ({
      name: p.name,
      version: p.version,
      properties: {
        kind: 'plugin',
        source: p.source,
        sha256: p.sha256,
        rules: p.rules,
        operators: p.operators,
        facts: p.facts,
      },
    })),
  ];
}

function invocation(report: Report, notifications: Notification[]): Invocation {
  const { inputs } = report;
  return {
    executionSuccessful: true,
    endTimeUtc: report.generatedAt,
    ...(inputs === undefined
      ? {}
      : { commandLine: commandLineText(inputs.commandLine), arguments: inputs.commandLine }),
    ...(notifications.length === 0 ? {} : { toolExecutionNotifications: notifications }),
    properties: {
      failOn: report.failOn ?? 'blocker',
      warnings: warningCount(report),
      ...(inputs === undefined ? {} : { clock: inputs.clock, whatIf: isWhatIf(inputs), inputs }),
    },
  };
}

/** Every rule's descriptor and every non-passing result, in report order. */
function collect(
  report: Report,
  failOn: FailOn,
): { rules: ReportingDescriptor[]; pending: PendingResult[] } {
  const rules: ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const pending: PendingResult[] = [];
  // The report's rule catalog has the full metadata (pass results carry no remediation).
  for (const info of report.rules ?? []) {
    ruleIndex.set(info.id, rules.length);
    rules.push(descriptor(info, failOn));
  }
  for (const account of report.accounts) {
    for (const rule of account.rules) {
      let index = ruleIndex.get(rule.id);
      if (index === undefined) {
        index = rules.length;
        ruleIndex.set(rule.id, index);
        rules.push(descriptor(rule, failOn));
      }
      if (rule.status === 'pass') continue;
      pending.push({
        result: result(account, rule, index, failOn),
        priority: priorityOf(rule, failOn),
      });
    }
  }
  return { rules, pending };
}

function runProperties(report: Report, plan: RunPlan, k: number): Record<string, unknown> {
  return {
    ...(report.mode === undefined ? {} : { mode: report.mode }),
    subject: reportSubject(report),
    snapshot: report.snapshot,
    summary: report.summary,
    rulePacks: report.rulePacks,
    ...(report.evaluatedAt === undefined ? {} : { evaluatedAt: report.evaluatedAt }),
    part: k,
    parts: plan.parts.length,
    resultsInFile: plan.total - plan.leftOut,
    resultsLeftOut: plan.leftOut,
  };
}

/**
 * The SARIF log object for `report` (pure); `renderSarif` serialises it.
 * `limits` defaults to GitHub's; tests pass smaller ones.
 */
export function toSarif(report: Report, limits: SarifLimits = GITHUB_SARIF_LIMITS): Log {
  const failOn = report.failOn ?? 'blocker';
  const { rules, pending } = collect(report, failOn);
  const plan = planRuns(pending, limits);
  const warnings: Notification[] = (report.warnings ?? []).map((w) => ({
    level: 'warning',
    message: { text: w },
  }));
  const ext =
    report.inputs === undefined ? undefined : cappedExtensions(extensions(report.inputs), limits);
  const driver: ToolComponent = {
    name: report.tool.name,
    version: report.tool.version,
    semanticVersion: report.tool.version,
    rules,
  };
  const runs = plan.parts.map((results, i): Run => {
    const k = i + 1;
    const notes = [...warnings, ...(ext?.notes ?? []), ...planNotifications(plan, k, limits)];
    return {
      tool: { driver, ...(ext === undefined ? {} : { extensions: ext.extensions }) },
      automationDetails: { id: automationId(report, k) },
      invocations: [invocation(report, notes)],
      ...(report.inputs === undefined ? {} : { artifacts: artifacts(report.inputs) }),
      results,
      properties: runProperties(report, plan, k),
    };
  });
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs };
}

/** report.sarif for `report` (pure): SARIF 2.1.0, pretty-printed. */
export function renderSarif(report: Report, limits: SarifLimits = GITHUB_SARIF_LIMITS): string {
  return `${JSON.stringify(toSarif(report, limits), null, 2)}\n`;
}
