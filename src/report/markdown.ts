/**
 * report.md: a GitHub-flavoured Markdown summary for pull requests and CI job
 * summaries. Summary table, rules by failures, then a section per blocked or
 * unknown account and the waivers ready accounts rely on (each at most
 * `maxAccounts`, default 100, so the file stays within CI summary size
 * limits; report.json has every account). Every untrusted string goes
 * through escapeMarkdown.
 */
import {
  accountLabel,
  overallVerdict,
  ruleStats,
  sortedAccounts,
  sortedRules,
} from './aggregate.js';
import { escapeMarkdown as md } from './escape.js';
import type { Report, RuleStatus, Verdict } from './types.js';

export interface MarkdownOptions {
  /** Blocked/unknown accounts given a section (default 100). */
  maxAccounts?: number;
  /** Warnings listed (default 50). */
  maxWarnings?: number;
}

const STATUS_TEXT: Readonly<Record<RuleStatus, string>> = {
  fail: '❌ FAIL',
  unknown: '❔ UNKNOWN',
  waived: '➖ WAIVED',
  pass: '✅ PASS',
};

const OVERALL_TEXT: Readonly<Record<Verdict, string>> = {
  blocked: '❌ **BLOCKED**',
  unknown: '❔ **UNKNOWN**',
  ready: '✅ **READY**',
};

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

/** report.md for `report` (pure). */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const maxAccounts = options.maxAccounts ?? 100;
  const maxWarnings = options.maxWarnings ?? 50;
  const { summary } = report;
  const out: string[] = [];
  const overall = OVERALL_TEXT[overallVerdict(report)];

  out.push('# leavegate readiness report', '');
  out.push(
    `${overall}: ${fmt(summary.blocked)} blocked, ${fmt(summary.unknown)} unknown, ${fmt(summary.ready)} ready of ${fmt(summary.accounts)} accounts.`,
    '',
  );
  const meta = [
    `Organization: ${md(report.snapshot.organizationId ?? '(none)')}`,
    `snapshot collected ${md(report.snapshot.collectedAt)}`,
    ...(report.evaluatedAt === undefined ? [] : [`evaluated at ${md(report.evaluatedAt)}`]),
    `generated ${md(report.generatedAt)} by ${md(`${report.tool.name} ${report.tool.version}`)}`,
  ];
  out.push(meta.join(' · '), '');

  out.push('| Verdict | Accounts |', '| --- | ---: |');
  out.push(`| ❌ Blocked | ${fmt(summary.blocked)} |`);
  out.push(`| ❔ Unknown | ${fmt(summary.unknown)} |`);
  out.push(`| ✅ Ready | ${fmt(summary.ready)} |`);
  out.push(`| **Total** | **${fmt(summary.accounts)}** |`, '');

  const stats = ruleStats(report).filter((s) => s.fail + s.unknown + s.waived > 0);
  if (stats.length > 0) {
    out.push('## Rules not passing', '');
    out.push(
      '| Rule | Severity | Failed | Unknown | Waived |',
      '| --- | --- | ---: | ---: | ---: |',
    );
    for (const s of stats) {
      out.push(
        `| ${md(s.id)}: ${md(s.title)} | ${md(s.severity)} | ${fmt(s.fail)} | ${fmt(s.unknown)} | ${fmt(s.waived)} |`,
      );
    }
    out.push('');
  }

  const problems = sortedAccounts(report).filter((a) => a.verdict !== 'ready');
  if (problems.length > 0) {
    out.push('## Accounts not ready', '');
    for (const account of problems.slice(0, maxAccounts)) {
      const icon = account.verdict === 'blocked' ? '❌' : '❔';
      out.push(`### ${icon} ${md(accountLabel(account))}: ${md(account.verdict)}`, '');
      if (account.ouPath !== undefined) {
        out.push(`OU path: ${account.ouPath.map(md).join(' › ')}`, '');
      }
      for (const rule of sortedRules(account.rules)) {
        if (rule.status === 'pass') continue;
        out.push(
          `- ${STATUS_TEXT[rule.status] ?? md(rule.status)} ${md(rule.id)} (${md(rule.title)}): ${md(rule.message)}`,
        );
        if (rule.status === 'waived' && rule.waiver !== undefined) {
          out.push(
            `  - Waiver: ${md(rule.waiver.reason)} (owner ${md(rule.waiver.owner)}, expires ${md(rule.waiver.expiresAt)})`,
          );
        } else if (rule.status !== 'waived') {
          out.push(`  - Remediation: ${md(rule.remediation ?? '')}`);
        }
      }
      for (const note of account.notes ?? []) out.push(`- Note: ${md(note)}`);
      out.push('');
    }
    if (problems.length > maxAccounts) {
      out.push(
        `… and ${fmt(problems.length - maxAccounts)} more accounts not ready: see report.json or report.html.`,
        '',
      );
    }
  }

  // A ready account can stand on waivers: say which, by whom and until when.
  const waivedReady = sortedAccounts(report).filter(
    (a) => a.verdict === 'ready' && a.rules.some((r) => r.status === 'waived'),
  );
  if (waivedReady.length > 0) {
    out.push('## Ready with waivers', '');
    for (const account of waivedReady.slice(0, maxAccounts)) {
      for (const rule of account.rules) {
        if (rule.status !== 'waived') continue;
        const w = rule.waiver;
        out.push(
          `- ${md(accountLabel(account))}: ${STATUS_TEXT.waived} ${md(rule.id)} (${md(rule.title)})` +
            (w === undefined
              ? ''
              : `: ${md(w.reason)} (owner ${md(w.owner)}, expires ${md(w.expiresAt)})`),
        );
      }
    }
    if (waivedReady.length > maxAccounts) {
      out.push(`- … and ${fmt(waivedReady.length - maxAccounts)} more accounts: see report.json`);
    }
    out.push('');
  }

  const warnings = report.warnings ?? [];
  if (warnings.length > 0) {
    out.push('## Warnings', '');
    for (const w of warnings.slice(0, maxWarnings)) out.push(`- ${md(w)}`);
    if (warnings.length > maxWarnings)
      out.push(`- … and ${fmt(warnings.length - maxWarnings)} more in report.json`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
