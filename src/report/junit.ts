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
 * Built with xmlbuilder2 (escaping of text and attributes, and replacement of
 * characters XML 1.0 cannot carry) rather than by string concatenation.
 * junit-report-builder was evaluated and not used: its `skipped()` cannot carry
 * a message, so the waiver reason would be lost.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { accountLabel, statusCounts } from './aggregate.js';
import type { AccountReport, Report, RuleResult } from './types.js';

// Attribute values are normalised by XML parsers (a newline becomes a space), so say so up front.
function oneLine(value: string): string {
  return value.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ');
}

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

function addCase(suite: XMLBuilder, account: AccountReport, rule: RuleResult): void {
  const testcase = suite.ele('testcase', {
    name: rule.id,
    classname: `leavegate.${account.accountId}`,
    time: '0',
  });
  switch (rule.status) {
    case 'pass':
      break;
    case 'fail':
      testcase
        .ele('failure', { message: oneLine(rule.message), type: rule.severity })
        .txt(details(rule));
      break;
    case 'unknown':
      testcase.ele('error', { message: oneLine(rule.message), type: 'unknown' }).txt(details(rule));
      break;
    case 'waived': {
      const w = rule.waiver;
      const why =
        w === undefined
          ? 'waived'
          : `waived: ${w.reason} (owner ${w.owner}, expires ${w.expiresAt})`;
      testcase.ele('skipped', { message: oneLine(why) });
      break;
    }
  }
}

/**
 * report.junit.xml for `report` (pure): one testsuite per account (named
 * `id (name)`, verdict and OU path as properties), one testcase per rule.
 */
export function renderJunit(report: Report): string {
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' });
  const root = doc.ele('testsuites', { name: 'leavegate' });
  report.accounts.forEach((account, i) => {
    const c = statusCounts(account.rules);
    total.tests += account.rules.length;
    total.failures += c.fail;
    total.errors += c.unknown;
    total.skipped += c.waived;
    const suite = root.ele('testsuite', {
      name: oneLine(accountLabel(account)),
      id: String(i),
      package: 'leavegate',
      hostname: account.accountId,
      tests: String(account.rules.length),
      failures: String(c.fail),
      errors: String(c.unknown),
      skipped: String(c.waived),
      time: '0',
      timestamp: report.generatedAt.replace(/Z$|[+-]\d\d:\d\d$/, ''),
    });
    const props = suite.ele('properties');
    props.ele('property', { name: 'accountId', value: account.accountId });
    if (account.name !== undefined)
      props.ele('property', { name: 'accountName', value: oneLine(account.name) });
    props.ele('property', { name: 'verdict', value: account.verdict });
    if (account.ouPath !== undefined) {
      props.ele('property', { name: 'ouPath', value: oneLine(account.ouPath.join('/')) });
    }
    for (const rule of account.rules) addCase(suite, account, rule);
    if (account.notes !== undefined && account.notes.length > 0) {
      suite.ele('system-out').txt(account.notes.join('\n'));
    }
  });
  root.att({
    tests: String(total.tests),
    failures: String(total.failures),
    errors: String(total.errors),
    skipped: String(total.skipped),
    time: (report.stats.durationMs / 1000).toFixed(3),
  });
  return doc.end({ prettyPrint: true });
}
