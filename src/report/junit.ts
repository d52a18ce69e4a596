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
 *
 * Built with fast-xml-parser's XMLBuilder (it escapes `& < > " '` in text
 * and attributes) rather than by string concatenation; characters XML 1.0
 * cannot carry at all are replaced with U+FFFD first. junit-report-builder
 * was evaluated and not used: its `skipped()` cannot carry a message (the
 * waiver reason would be lost). xmlbuilder2 was tried and dropped: about 9 s
 * for 10,000 accounts, against well under a second here.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { accountLabel, statusCounts } from './aggregate.js';
import type { AccountReport, Report, RuleResult } from './types.js';

// Outside XML 1.0's Char production (controls, lone surrogates, U+FFFE/FFFF).
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** A string XML 1.0 can carry. */
function xml(value: string): string {
  return value.replace(NOT_XML_CHAR, '\uFFFD');
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
  return lines.join('\n');
}

function testcase(account: AccountReport, rule: RuleResult): XmlNode {
  const node: XmlNode = {
    '@_name': xml(rule.id),
    '@_classname': `leavegate.${account.accountId}`,
    '@_time': '0',
  };
  switch (rule.status) {
    case 'pass':
      break;
    case 'fail':
      node.failure = {
        '@_message': oneLine(rule.message),
        '@_type': xml(rule.severity),
        '#text': xml(details(rule)),
      };
      break;
    case 'unknown':
      node.error = {
        '@_message': oneLine(rule.message),
        '@_type': 'unknown',
        '#text': xml(details(rule)),
      };
      break;
    case 'waived': {
      const w = rule.waiver;
      const why =
        w === undefined
          ? 'waived'
          : `waived: ${w.reason} (owner ${w.owner}, expires ${w.expiresAt})`;
      node.skipped = { '@_message': oneLine(why) };
      break;
    }
  }
  return node;
}

function testsuite(account: AccountReport, index: number, timestamp: string): XmlNode {
  const c = statusCounts(account.rules);
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
    '@_failures': String(c.fail),
    '@_errors': String(c.unknown),
    '@_skipped': String(c.waived),
    '@_time': '0',
    '@_timestamp': timestamp,
    properties: { property },
    testcase: account.rules.map((rule) => testcase(account, rule)),
  };
  if (account.notes !== undefined && account.notes.length > 0) {
    suite['system-out'] = xml(account.notes.join('\n'));
  }
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
});

/**
 * report.junit.xml for `report` (pure): one testsuite per account (named
 * `id (name)`, verdict and OU path as properties), one testcase per rule.
 */
export function renderJunit(report: Report): string {
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const account of report.accounts) {
    const c = statusCounts(account.rules);
    total.tests += account.rules.length;
    total.failures += c.fail;
    total.errors += c.unknown;
    total.skipped += c.waived;
  }
  // JUnit's XSD wants a local date-time without zone designator.
  const timestamp = xml(report.generatedAt.replace(/Z$|[+-]\d\d:\d\d$/, ''));
  const doc = {
    testsuites: {
      '@_name': 'leavegate',
      '@_tests': String(total.tests),
      '@_failures': String(total.failures),
      '@_errors': String(total.errors),
      '@_skipped': String(total.skipped),
      '@_time': (report.stats.durationMs / 1000).toFixed(3),
      testsuite: report.accounts.map((account, i) => testsuite(account, i, timestamp)),
    },
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(doc).trimEnd()}\n`;
}
