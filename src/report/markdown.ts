/**
 * report.md: a GitHub-flavoured Markdown summary for pull requests and CI job
 * summaries. Summary table (with the warnings count), rules by failures,
 * then a section per blocked or unknown account (with what changes when it
 * leaves), the waivers and the warnings ready accounts carry, what changes
 * for ready accounts the impact rules found something for, every result an attestation decided (each
 * at most `maxAccounts`, default 100, so the file stays within CI summary
 * size limits; report.json has every account), the run warnings and the
 * inputs (once). Every remediation is shown once per rule, with the accounts
 * it applies to ("How to fix"), commands as code spans. Every untrusted
 * string goes through markdownText (only the escapes Markdown needs) or
 * markdownCode.
 */
import {
  accountLabel,
  overallVerdict,
  ruleStats,
  sortedAccounts,
  sortedRules,
  reportSubject,
} from './aggregate.js';
import { markdownText as md } from './escape.js';
import { fmt } from './format.js';
import { formatTimestamp as time, pathLevels, ouNames } from './html-text.js';
import { fixesSection, markdownRich as rich } from './markdown-fixes.js';
import {
  accountImpact,
  CHECKLIST_TITLE,
  IMPACT_TITLE,
  NOTHING_FOUND,
  showsImpact,
} from './impact.js';
import {
  attestationFields,
  inputRows,
  isOpenWarning,
  warningCount,
  warningsEffect,
  whatIfNotice,
  withWarnings,
} from './provenance.js';
import type {
  AccountReport,
  Report,
  RuleResult,
  RuleStatus,
  Verdict,
  WaiverApplied,
} from './types.js';

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

/** Status, marked as a warning when a warning rule did not pass (so it reads apart from a blocker). */
function mark(rule: RuleResult): string {
  const status = STATUS_TEXT[rule.status] ?? md(rule.status);
  return isOpenWarning(rule) ? `⚠️ WARNING ${status}` : status;
}

/** One list of accounts' rule results, at most `max` accounts, with a pointer to the rest. */
function accountList(
  out: string[],
  title: string,
  accounts: readonly AccountReport[],
  pick: (rule: RuleResult) => boolean,
  max: number,
  detail: (rule: RuleResult) => string,
): void {
  if (accounts.length === 0) return;
  out.push(`## ${title}`, '');
  for (const account of accounts.slice(0, max)) {
    for (const rule of account.rules) {
      if (!pick(rule)) continue;
      out.push(
        `- ${md(accountLabel(account))}: ${mark(rule)} ${md(rule.id)} (${md(rule.title)})${detail(rule)}`,
      );
    }
  }
  if (accounts.length > max) {
    out.push(`- … and ${fmt(accounts.length - max)} more accounts: see report.json`);
  }
  out.push('');
}

/** The account's "What changes when this account leaves" subsection (DESIGN §7). */
function impactSection(out: string[], account: AccountReport): void {
  const impact = accountImpact(account);
  if (!showsImpact(account, impact)) return;
  out.push(`#### ${IMPACT_TITLE}`, '');
  if (impact.findings.length === 0) out.push(NOTHING_FOUND);
  for (const f of impact.findings) {
    out.push(
      `- ${STATUS_TEXT[f.status] ?? md(f.status)} ${md(f.rule)} (${md(f.severity)}): ${rich(f.message)}`,
    );
  }
  out.push('', `${CHECKLIST_TITLE}:`, '');
  impact.checklist.forEach((step, i) => out.push(`${i + 1}. ${rich(step)}`));
  out.push('');
}

function attestationLine(rule: RuleResult): string {
  return (rule.attestations ?? [])
    .map(
      (a) =>
        '\n  - Attestation: ' +
        attestationFields(a)
          .map(
            (f) => `${f.label.toLowerCase()} ${md(f.key.endsWith('At') ? time(f.value) : f.value)}`,
          )
          .join(', '),
    )
    .join('');
}

/** A waiver as the reader needs it: why, whose, and until when. */
function waiverText(waiver: WaiverApplied): string {
  return `${rich(waiver.reason)} (owner ${md(waiver.owner)}, expires ${md(time(waiver.expiresAt))})`;
}

/** Title, overall verdict, provenance line and the verdict counts. */
function summarySection(out: string[], report: Report): void {
  const { summary } = report;
  const warnings = warningCount(report);
  const overall = withWarnings(OVERALL_TEXT[overallVerdict(report)], warnings);
  out.push(
    report.mode?.kind === 'transfer'
      ? `# leavegate transfer readiness report: ${md(reportSubject(report))}`
      : '# leavegate readiness report',
    '',
  );
  out.push(
    `${overall}: ${fmt(summary.blocked)} blocked, ${fmt(summary.unknown)} unknown, ${fmt(summary.ready)} ready of ${fmt(summary.accounts)} accounts.`,
    '',
  );
  const whatIf = whatIfNotice(report.inputs);
  if (whatIf !== undefined) out.push(`> ⚠️ **${rich(whatIf)}**`, '');
  const meta = [
    `Organization: ${md(report.snapshot.organizationId ?? '(none)')}`,
    `snapshot collected ${md(time(report.snapshot.collectedAt))}`,
    ...(report.evaluatedAt === undefined ? [] : [`evaluated at ${md(time(report.evaluatedAt))}`]),
    `generated ${md(time(report.generatedAt))} by ${md(`${report.tool.name} ${report.tool.version}`)}`,
  ];
  out.push(meta.join(' · '), '');

  out.push('| Verdict | Accounts |', '| --- | ---: |');
  out.push(`| ❌ Blocked | ${fmt(summary.blocked)} |`);
  out.push(`| ❔ Unknown | ${fmt(summary.unknown)} |`);
  out.push(`| ✅ Ready | ${fmt(summary.ready)} |`);
  out.push(`| **Total** | **${fmt(summary.accounts)}** |`, '');
  out.push(`⚠️ Warnings: **${fmt(warnings)}** (${md(warningsEffect(report))}).`, '');
}

function rulesSection(out: string[], report: Report): void {
  const stats = ruleStats(report).filter((s) => s.fail + s.unknown + s.waived > 0);
  if (stats.length === 0) return;
  out.push('## Rules not passing', '');
  out.push('| Rule | Severity | Failed | Unknown | Waived |', '| --- | --- | ---: | ---: | ---: |');
  for (const s of stats) {
    out.push(
      `| ${md(s.id)}: ${md(s.title)} | ${md(s.severity)} | ${fmt(s.fail)} | ${fmt(s.unknown)} | ${fmt(s.waived)} |`,
    );
  }
  out.push('');
}

/**
 * A blocked or unknown account: every result that did not pass, with its
 * waiver; the remediations are under "How to fix", once per rule.
 */
function problemAccount(
  out: string[],
  account: AccountReport,
  names: ReadonlyMap<string, string>,
): void {
  const icon = account.verdict === 'blocked' ? '❌' : '❔';
  out.push(`### ${icon} ${md(accountLabel(account))}: ${md(account.verdict)}`, '');
  if (account.ouPath !== undefined) {
    const levels = pathLevels(account.ouPath, names).map((l) =>
      l.name === undefined ? md(l.id) : `${md(l.name)} (${md(l.id)})`,
    );
    out.push(`OU path: ${levels.join(' › ')}`, '');
  }
  for (const rule of sortedRules(account.rules)) {
    if (rule.status === 'pass') continue;
    out.push(`- ${mark(rule)} ${md(rule.id)} (${md(rule.title)}): ${rich(rule.message)}`);
    if (rule.status === 'waived' && rule.waiver !== undefined) {
      out.push(`  - Waiver: ${waiverText(rule.waiver)}`);
    }
  }
  for (const note of account.notes ?? []) out.push(`- Note: ${rich(note)}`);
  out.push('');
  impactSection(out, account);
}

function problemsSection(
  out: string[],
  accounts: readonly AccountReport[],
  max: number,
  names: ReadonlyMap<string, string>,
): void {
  const problems = accounts.filter((a) => a.verdict !== 'ready');
  if (problems.length === 0) return;
  out.push(
    '## Accounts not ready',
    '',
    'How to fix each rule is under "How to fix", once per rule.',
    '',
  );
  for (const account of problems.slice(0, max)) problemAccount(out, account, names);
  if (problems.length > max) {
    out.push(
      `… and ${fmt(problems.length - max)} more accounts not ready: see report.json or report.html.`,
      '',
    );
  }
}

/** Ready accounts that still need a reader's eye: waivers, warnings, and what changes. */
function readySections(out: string[], accounts: readonly AccountReport[], max: number): void {
  const ready = accounts.filter((a) => a.verdict === 'ready');
  // A ready account can stand on waivers: say which, by whom and until when.
  const isWaived = (r: RuleResult) => r.status === 'waived';
  accountList(
    out,
    'Ready with waivers',
    ready.filter((a) => a.rules.some(isWaived)),
    isWaived,
    max,
    (r) => (r.waiver === undefined ? '' : `: ${waiverText(r.waiver)}`),
  );
  // Warnings never block, so a ready account can carry them: list them, or nobody sees them.
  accountList(
    out,
    'Ready with warnings',
    ready.filter((a) => a.rules.some(isOpenWarning)),
    isOpenWarning,
    max,
    (r) => `: ${rich(r.message)}`,
  );
  // Ready accounts the impact rules found something for: what changes when they leave.
  const changing = ready.filter((a) => showsImpact(a, accountImpact(a)));
  if (changing.length === 0) return;
  out.push('## What changes when ready accounts leave', '');
  for (const account of changing.slice(0, max)) {
    out.push(`### ${md(accountLabel(account))}`, '');
    impactSection(out, account);
  }
  if (changing.length > max)
    out.push(`… and ${fmt(changing.length - max)} more accounts: see report.json.`, '');
}

function runWarningsSection(out: string[], report: Report, max: number): void {
  const runWarnings = report.warnings ?? [];
  if (runWarnings.length === 0) return;
  out.push('## Run warnings', '');
  for (const w of runWarnings.slice(0, max)) out.push(`- ${rich(w)}`);
  if (runWarnings.length > max)
    out.push(`- … and ${fmt(runWarnings.length - max)} more in report.json`);
  out.push('');
}

function inputsSection(out: string[], report: Report): void {
  if (report.inputs === undefined) return;
  out.push('## Inputs', '', '| Input | Value | SHA-256 |', '| --- | --- | --- |');
  for (const row of inputRows(report.inputs)) {
    const text = row.label === 'Clock' ? rich(row.value) : md(row.value);
    const value = row.whatIf === true ? `⚠️ **what-if:** ${text}` : text;
    out.push(`| ${md(row.label)} | ${value} | ${row.sha256 === undefined ? '' : md(row.sha256)} |`);
  }
  out.push('');
}

/** report.md for `report` (pure). */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const maxAccounts = options.maxAccounts ?? 100;
  const accounts = sortedAccounts(report);
  const out: string[] = [];
  summarySection(out, report);
  rulesSection(out, report);
  problemsSection(out, accounts, maxAccounts, ouNames(report));
  readySections(out, accounts, maxAccounts);
  fixesSection(out, report);
  const attested = (r: RuleResult) => (r.attestations ?? []).length > 0;
  accountList(
    out,
    'Decided by attestations',
    accounts.filter((a) => a.rules.some(attested)),
    attested,
    maxAccounts,
    attestationLine,
  );
  runWarningsSection(out, report, options.maxWarnings ?? 50);
  inputsSection(out, report);
  return `${out.join('\n').trimEnd()}\n`;
}
