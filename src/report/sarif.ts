/**
 * report.sarif (SARIF 2.1.0) for code-scanning style consumers.
 *
 * - Every rule seen in the report is a `reportingDescriptor`: id, a PascalCase
 *   name, title as short and full description, remediation as help text, the
 *   first reference as helpUri; its default level follows its severity.
 * - One result per rule that did not pass, per account. Level: `error` for a
 *   failure (any failure blocks the account), `warning` for unknown, `note` for
 *   waived, with an accepted external suppression carrying the waiver.
 * - No source files are involved: the location is logical, the account
 *   (`fullyQualifiedName` = OU path / account id, kind `resource`).
 * - `partialFingerprints` is `accountId/ruleId`, so consumers track a finding
 *   across runs.
 */
import type { Log, Notification, ReportingDescriptor, Result as SarifResult } from 'sarif';
import { accountLabel } from './aggregate.js';
import type { AccountReport, Report, RuleResult } from './types.js';

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

function descriptor(rule: DescriptorSource): ReportingDescriptor {
  const d: ReportingDescriptor = {
    id: rule.id,
    name: pascalCase(rule.id) || rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description ?? rule.title },
    help: { text: rule.remediation ?? rule.title },
    defaultConfiguration: { level: rule.severity === 'blocker' ? 'error' : 'warning' },
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

function result(account: AccountReport, rule: RuleResult, ruleIndex: number): SarifResult {
  const level = rule.status === 'fail' ? 'error' : rule.status === 'unknown' ? 'warning' : 'note';
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

/** The SARIF log object for `report` (pure); `renderSarif` serialises it. */
export function toSarif(report: Report): Log {
  const rules: ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const results: SarifResult[] = [];
  // The report's rule catalog has the full metadata (pass results carry no remediation).
  for (const info of report.rules ?? []) {
    ruleIndex.set(info.id, rules.length);
    rules.push(descriptor(info));
  }
  for (const account of report.accounts) {
    for (const rule of account.rules) {
      let index = ruleIndex.get(rule.id);
      if (index === undefined) {
        index = rules.length;
        ruleIndex.set(rule.id, index);
        rules.push(descriptor(rule));
      }
      if (rule.status !== 'pass') results.push(result(account, rule, index));
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
        },
        invocations: [
          {
            executionSuccessful: true,
            endTimeUtc: report.generatedAt,
            ...(notifications.length === 0 ? {} : { toolExecutionNotifications: notifications }),
          },
        ],
        results,
        properties: {
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
