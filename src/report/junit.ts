/**
 * report.junit.xml for CI test dashboards (Jenkins, GitLab, Azure DevOps,
 * GitHub test-report actions).
 *
 * Mapping (one `<testsuite>` per account, one `<testcase>` per rule):
 * - pass    -> a plain testcase
 * - fail    -> `<failure message type="blocker|warning">` (body: message, remediation, references, evidence)
 * - unknown -> `<error message type="unknown">`: unknown blocks the gate exactly like a
 *              failure (fail closed), and dashboards show `<skipped>` as harmless, so an
 *              unknown rule must not look skipped.
 * - waived  -> `<skipped message="waived: reason (owner ..., expires ...)">`
 * - a warning that fails or is unknown, unless the report's failOn is
 *   `warning` -> `<skipped message="warning: ...">` with the details in
 *   `<system-out>`. A warning never fails the gate (DESIGN §4.4), and every
 *   dashboard turns `<failure>`/`<error>` red and fails the CI job, so it
 *   must be neither. A testcase `<property>` would be invisible: Jenkins,
 *   GitLab and the GitHub test-report actions do not show testcase
 *   properties, but all of them list skipped tests with their message in a
 *   neutral colour and show system-out. Under `--fail-on warning` a warning
 *   maps exactly like a blocker.
 * - every testcase has a `<system-out>`: its message (for a skipped
 *   warning, the full details), control characters removed, because that
 *   is the one per-test text Jenkins, GitLab and Azure DevOps all show.
 * - `timestamp` is `YYYY-MM-DDTHH:MM:SS` (UTC, no milliseconds, no zone), the
 *   shape the JUnit XSD and those dashboards parse.
 *
 * Provenance: a testcase decided by attestations carries them as
 * `<properties>` (`attestation.N.fact`, …), read by tools that archive the
 * XML; they also appear in the failure or system-out text people read. The
 * run itself (inputs with their sha256, clock, command line, failOn, run
 * warnings in `<system-err>`) is one last testsuite named `leavegate run`
 * with no testcase, once per report, so the file stays linear in accounts.
 *
 * Built with fast-xml-parser's XMLBuilder (it escapes `& < > " '` in text
 * and attributes) rather than by string concatenation; characters XML 1.0
 * cannot carry at all are replaced with U+FFFD first. junit-report-builder
 * was evaluated and not used: its `skipped()` cannot carry a message (the
 * waiver reason would be lost). xmlbuilder2 was tried and dropped: about 9 s
 * for 10,000 accounts, against well under a second here.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { decides, type FailOn } from '../gate/verdict.js';
import { accountLabel, reportSubject } from './aggregate.js';
import { attestationFields, attestationText, inputRows, warningCount } from './provenance.js';
import type { AccountReport, Report, RuleResult } from './types.js';

// Outside XML 1.0's Char production (controls, lone surrogates, U+FFFE/FFFF).
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** A string XML 1.0 can carry. */
function xml(value: string): string {
  return value.replace(NOT_XML_CHAR, '\uFFFD');
}

// C0 controls but tab, line feed and carriage return; DEL; C1 controls.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * Text for `<system-out>`, which dashboards print as a console log: control
 * characters removed (a terminal escape in an AWS message must not recolour
 * or rewrite the job log Jenkins, GitLab or Azure DevOps shows), then made
 * XML 1.0 text.
 */
function consoleText(value: string): string {
  return xml(value.replace(CONTROL, ''));
}

/**
 * `generatedAt` as JUnit's `timestamp`: ISO 8601 `YYYY-MM-DDTHH:MM:SS`, UTC,
 * no fraction and no zone designator (the XSD's local date-time; Jenkins,
 * GitLab and Azure DevOps parse exactly this shape).
 */
export function junitTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isNaN(ms)) return new Date(ms).toISOString().slice(0, 19);
  // Not a date the engine can read: keep its leading date-time, never invent one.
  return xml(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.exec(iso)?.[0] ?? '');
}

// Attribute values are normalised by XML parsers (a newline becomes a space), so say so up front.
function oneLine(value: string): string {
  return xml(value.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' '));
}

type XmlNode = Record<string, unknown>;

function details(rule: RuleResult): string {
  const lines = [
    `${rule.title} [${rule.severity}]`,
    rule.message,
    '',
    'Remediation:',
    rule.remediation,
  ];
  if (rule.references !== undefined && rule.references.length > 0) {
    lines.push('', 'References:', ...rule.references.map((r) => `- ${r}`));
  }
  if (Object.keys(rule.evidence).length > 0) {
    lines.push('', 'Evidence:', JSON.stringify(rule.evidence, null, 2));
  }
  const attestations = rule.attestations ?? [];
  if (attestations.length > 0) {
    lines.push(
      '',
      'Decided by attestation:',
      ...attestations.map((a) => `- ${attestationText(a)}`),
    );
  }
  return lines.join('\n');
}

type Outcome = 'passed' | 'failure' | 'error' | 'skipped';

/** What a result is in JUnit terms: a warning that does not decide is never red. */
function outcome(rule: RuleResult, failOn: FailOn): Outcome {
  if (rule.status === 'pass') return 'passed';
  if (rule.status === 'waived' || !decides(rule, failOn)) return 'skipped';
  return rule.status === 'fail' ? 'failure' : 'error';
}

function attestationProperties(rule: RuleResult): XmlNode[] {
  return (rule.attestations ?? []).flatMap((a, i) =>
    attestationFields(a).map((f) => ({
      '@_name': `attestation.${i}.${f.key}`,
      '@_value': oneLine(f.value),
    })),
  );
}

function testcase(account: AccountReport, rule: RuleResult, failOn: FailOn): XmlNode {
  const node: XmlNode = {
    '@_name': xml(rule.id),
    '@_classname': `leavegate.${account.accountId}`,
    '@_time': '0',
  };
  const property = attestationProperties(rule);
  if (property.length > 0) node.properties = { property };
  switch (outcome(rule, failOn)) {
    case 'passed':
      break;
    case 'failure':
      node.failure = {
        '@_message': oneLine(rule.message),
        '@_type': xml(rule.severity),
        '#text': xml(details(rule)),
      };
      break;
    case 'error':
      node.error = {
        '@_message': oneLine(rule.message),
        '@_type': 'unknown',
        '#text': xml(details(rule)),
      };
      break;
    case 'skipped': {
      if (rule.status !== 'waived') {
        const what = rule.status === 'fail' ? 'failed' : 'unknown';
        node.skipped = {
          '@_message': oneLine(`warning (${what}, does not block): ${rule.message}`),
        };
        node['system-out'] = consoleText(details(rule));
        break;
      }
      const w = rule.waiver;
      const why =
        w === undefined
          ? 'waived'
          : `waived: ${w.reason} (owner ${w.owner}, expires ${w.expiresAt})`;
      node.skipped = { '@_message': oneLine(why) };
      break;
    }
  }
  // Every testcase shows its message where dashboards show a test's output.
  node['system-out'] ??= consoleText(rule.message);
  return node;
}

function counts(rules: readonly RuleResult[], failOn: FailOn): Record<Outcome, number> {
  const c = { passed: 0, failure: 0, error: 0, skipped: 0 };
  for (const r of rules) c[outcome(r, failOn)] += 1;
  return c;
}

function testsuite(
  account: AccountReport,
  index: number,
  timestamp: string,
  failOn: FailOn,
): XmlNode {
  const c = counts(account.rules, failOn);
  const property = [
    { '@_name': 'accountId', '@_value': account.accountId },
    ...(account.name === undefined
      ? []
      : [{ '@_name': 'accountName', '@_value': oneLine(account.name) }]),
    { '@_name': 'verdict', '@_value': xml(account.verdict) },
    ...(account.ouPath === undefined
      ? []
      : [{ '@_name': 'ouPath', '@_value': oneLine(account.ouPath.join('/')) }]),
  ];
  const suite: XmlNode = {
    '@_name': oneLine(accountLabel(account)),
    '@_id': String(index),
    '@_package': 'leavegate',
    '@_hostname': account.accountId,
    '@_tests': String(account.rules.length),
    '@_failures': String(c.failure),
    '@_errors': String(c.error),
    '@_skipped': String(c.skipped),
    '@_time': '0',
    '@_timestamp': timestamp,
    properties: { property },
    testcase: account.rules.map((rule) => testcase(account, rule, failOn)),
  };
  if (account.notes !== undefined && account.notes.length > 0) {
    suite['system-out'] = xml(account.notes.join('\n'));
  }
  return suite;
}

/** The run, once per report: failOn, warnings count, every input with its sha256, run warnings. */
function runSuite(report: Report, index: number, timestamp: string): XmlNode {
  const p = (name: string, value: string) => ({ '@_name': name, '@_value': oneLine(value) });
  const property = [
    p('tool', `${report.tool.name} ${report.tool.version}`),
    p('failOn', report.failOn ?? 'blocker'),
    p('mode', report.mode?.kind ?? 'leave'),
    p('subject', reportSubject(report)),
    ...(report.mode?.targetOrganizationId === undefined
      ? []
      : [p('targetOrganizationId', report.mode.targetOrganizationId)]),
    ...(report.mode?.handshakeId === undefined ? [] : [p('handshakeId', report.mode.handshakeId)]),
    p('warnings', String(warningCount(report))),
    p('snapshot.sha256', report.snapshot.sha256),
    ...(report.inputs === undefined ? [] : inputRows(report.inputs)).map((row) =>
      p(
        `input.${row.label.toLowerCase().replace(/ /g, '-')}`,
        row.sha256 === undefined ? row.value : `${row.value} sha256:${row.sha256}`,
      ),
    ),
  ];
  const suite: XmlNode = {
    '@_name': 'leavegate run',
    '@_id': String(index),
    '@_package': 'leavegate',
    '@_tests': '0',
    '@_failures': '0',
    '@_errors': '0',
    '@_skipped': '0',
    '@_time': '0',
    '@_timestamp': timestamp,
    properties: { property },
  };
  const warnings = report.warnings ?? [];
  if (warnings.length > 0) suite['system-err'] = xml(warnings.join('\n'));
  return suite;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true,
  // Otherwise value="true" (an attested true) is written as a bare attribute, which is not XML.
  suppressBooleanAttributes: false,
});

/**
 * report.junit.xml for `report` (pure): one testsuite per account (named
 * `id (name)`, verdict and OU path as properties), one testcase per rule,
 * then the `leavegate run` testsuite (provenance, run warnings).
 */
export function renderJunit(report: Report): string {
  const failOn = report.failOn ?? 'blocker';
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const account of report.accounts) {
    const c = counts(account.rules, failOn);
    total.tests += account.rules.length;
    total.failures += c.failure;
    total.errors += c.error;
    total.skipped += c.skipped;
  }
  const timestamp = junitTimestamp(report.generatedAt);
  const doc = {
    testsuites: {
      '@_name':
        report.mode?.kind === 'transfer'
          ? `leavegate transfer readiness: ${reportSubject(report)}`
          : 'leavegate',
      '@_tests': String(total.tests),
      '@_failures': String(total.failures),
      '@_errors': String(total.errors),
      '@_skipped': String(total.skipped),
      '@_time': (report.stats.durationMs / 1000).toFixed(3),
      testsuite: [
        ...report.accounts.map((account, i) => testsuite(account, i, timestamp, failOn)),
        runSuite(report, report.accounts.length, timestamp),
      ],
    },
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(doc).trimEnd()}\n`;
}
