/**
 * report.sarif (SARIF 2.1.0) for code-scanning style consumers.
 *
 * - Every rule seen in the report is a `reportingDescriptor`: id, a PascalCase
 *   name, title as short and full description, remediation as help text, the
 *   first reference as helpUri; its default level follows its severity.
 * - One result per rule that did not pass, per account. Level: `error` for a
 *   failure that blocks the account, `warning` for an unknown blocker and
 *   for a failed warning-severity rule (which never blocks, DESIGN §4.4),
 *   `note` for an unknown warning and for waived (with an accepted external
 *   suppression carrying the waiver). Under `failOn: warning` warnings take
 *   the levels of blockers. The rule's default level follows the same rule.
 * - Provenance: a result decided by attestations carries them in
 *   `properties.attestations`. The run's inputs go where SARIF viewers look:
 *   the command line in `invocations[0]` (`commandLine`, `arguments`), the
 *   clock, failOn and the full `inputs` in its `properties`, run warnings as
 *   `toolExecutionNotifications`, the input files with their sha-256 in
 *   `artifacts`, rule packs and plugins (version, source, rule digests) as
 *   `tool.extensions`. No `versionControlProvenance`: the report knows no
 *   repository URI or revision, and inventing one would be worse than none.
 * - No source files are involved: the location is logical, the account
 *   (`fullyQualifiedName` = OU path / account id, kind `resource`).
 * - `partialFingerprints` is `accountId/ruleId`, so consumers track a finding
 *   across runs.
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
  ToolComponent,
} from 'sarif';
import { decides, type FailOn } from '../gate/verdict.js';
import { accountLabel, reportSubject } from './aggregate.js';
import { commandLineText, isWhatIf, warningCount } from './provenance.js';
import type { AccountReport, Report, ReportInputs, RuleResult } from './types.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== '')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

type DescriptorSource = Pick<RuleResult, 'id' | 'title' | 'severity' | 'pack' | 'references'> & {
  remediation?: string | undefined;
  description?: string | undefined;
};

function descriptor(rule: DescriptorSource, failOn: FailOn): ReportingDescriptor {
  const d: ReportingDescriptor = {
    id: rule.id,
    name: pascalCase(rule.id) || rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description ?? rule.title },
    help: { text: rule.remediation ?? rule.title },
    defaultConfiguration: { level: decides(rule, failOn) ? 'error' : 'warning' },
    properties: {
      severity: rule.severity,
      ...(rule.pack === undefined ? {} : { pack: rule.pack }),
      ...(rule.references === undefined ? {} : { references: rule.references }),
    },
  };
  const helpUri = rule.references?.[0];
  if (helpUri !== undefined) d.helpUri = helpUri;
  return d;
}

function levelOf(rule: RuleResult, failOn: FailOn): SarifResult.level {
  const deciding = decides(rule, failOn);
  if (rule.status === 'fail') return deciding ? 'error' : 'warning';
  if (rule.status === 'unknown') return deciding ? 'warning' : 'note';
  return 'note';
}

function result(
  account: AccountReport,
  rule: RuleResult,
  ruleIndex: number,
  failOn: FailOn,
): SarifResult {
  const level = levelOf(rule, failOn);
  const r: SarifResult = {
    ruleId: rule.id,
    ruleIndex,
    kind: 'fail',
    level,
    message: { text: `${accountLabel(account)}: ${rule.message}` },
    locations: [
      {
        logicalLocations: [
          {
            name: account.name ?? account.accountId,
            fullyQualifiedName: [...(account.ouPath ?? []), account.accountId].join('/'),
            kind: 'resource',
          },
        ],
      },
    ],
    partialFingerprints: { 'leavegate/account-rule/v1': `${account.accountId}/${rule.id}` },
    properties: {
      accountId: account.accountId,
      ...(account.name === undefined ? {} : { accountName: account.name }),
      verdict: account.verdict,
      status: rule.status,
      severity: rule.severity,
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

/** The SARIF log object for `report` (pure); `renderSarif` serialises it. */
export function toSarif(report: Report): Log {
  const rules: ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const results: SarifResult[] = [];
  const failOn = report.failOn ?? 'blocker';
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
      if (rule.status !== 'pass') results.push(result(account, rule, index, failOn));
    }
  }
  const notifications: Notification[] = (report.warnings ?? []).map((w) => ({
    level: 'warning',
    message: { text: w },
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules,
          },
          ...(report.inputs === undefined ? {} : { extensions: extensions(report.inputs) }),
        },
        invocations: [invocation(report, notifications)],
        ...(report.inputs === undefined ? {} : { artifacts: artifacts(report.inputs) }),
        results,
        properties: {
          ...(report.mode === undefined ? {} : { mode: report.mode }),
          subject: reportSubject(report),
          snapshot: report.snapshot,
          summary: report.summary,
          rulePacks: report.rulePacks,
          ...(report.evaluatedAt === undefined ? {} : { evaluatedAt: report.evaluatedAt }),
        },
      },
    ],
  };
}

/** report.sarif for `report` (pure): SARIF 2.1.0, pretty-printed. */
export function renderSarif(report: Report): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}
