/**
 * report.html: one self-contained page for people. It aggregates (verdict
 * counts, rules by failures), renders the first page of accounts on the server
 * (readable without JavaScript) and carries every account in a compact JSON
 * data island that a small inline script pages and filters, so a report of
 * 10,000 accounts opens quickly. Full evidence stays in report.json (it is
 * inlined only for small reports).
 *
 * Safety: every string from the report is HTML-escaped here, data in the
 * island is escaped for a script context, the script only uses textContent,
 * and a Content-Security-Policy allows no network access and no script but
 * the page's own (by hash).
 */
import { createHash } from 'node:crypto';
import {
  overallVerdict,
  ruleStats,
  sortedAccounts,
  sortedRules,
  statusCounts,
  type RuleStats,
  reportSubject,
} from './aggregate.js';
import { escapeHtml as esc, isHttpUrl, jsonForScript } from './escape.js';
import { HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
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
  warningsText,
  whatIfNotice,
  withWarnings,
  type Field,
} from './provenance.js';
import type { AccountReport, Report, RuleResult, RuleStatus, Verdict } from './types.js';

export interface HtmlOptions {
  /** Accounts per page (default 100). */
  pageSize?: number;
  /** Evidence is inlined in the page only up to this many accounts (default 200). */
  evidenceLimit?: number;
  /** Warnings listed in the page (default 500); the rest are counted. */
  warningLimit?: number;
}

const STATUS_TEXT: Readonly<Record<RuleStatus, string>> = {
  fail: 'FAIL',
  unknown: 'UNKNOWN',
  waived: 'WAIVED',
  pass: 'PASS',
};
const STATUS_ICON: Readonly<Record<RuleStatus, string>> = {
  fail: '\u2717',
  unknown: '?',
  waived: '\u2013',
  pass: '\u2713',
};
const VERDICT_CODES: readonly Verdict[] = ['blocked', 'unknown', 'ready'];
const STATUS_CODES: readonly RuleStatus[] = ['fail', 'unknown', 'waived', 'pass'];

const SCRIPT_HASH = createHash('sha256').update(HTML_SCRIPT, 'utf8').digest('base64');
// No network at all (default-src 'none'), no script but ours, no forms, no <base> hijack.
const CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  `script-src 'sha256-${SCRIPT_HASH}'`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function pct(n: number, total: number): string {
  if (total === 0) return '0%';
  const p = (100 * n) / total;
  return p > 0 && p < 1 ? '<1%' : `${Math.round(p)}%`;
}

function statusBadge(status: RuleStatus): string {
  return `<span class="badge s-${esc(status)}"><span aria-hidden="true">${STATUS_ICON[status] ?? ''} </span>${STATUS_TEXT[status] ?? esc(status)}</span>`;
}

function references(refs: readonly string[] | undefined): string {
  if (refs === undefined || refs.length === 0) return '';
  const items = refs.map((ref) =>
    isHttpUrl(ref)
      ? `<li><a href="${esc(ref)}" rel="noopener noreferrer">${esc(ref)}</a></li>`
      : `<li>${esc(ref)}</li>`,
  );
  return `<ul class="refs">${items.join('')}</ul>`;
}

// The page script (html-assets.ts) builds the same markup from the data island.
function attestationBlock(fields: readonly Field[]): string {
  const items = fields.map((f) => `<div><dt>${esc(f.label)}</dt><dd>${esc(f.value)}</dd></div>`);
  return `<div class="att"><span class="att-h">Decided by attestation</span><dl>${items.join('')}</dl></div>`;
}

function ruleRow(rule: RuleResult, withEvidence: boolean): string {
  const attestations = (rule.attestations ?? [])
    .map((a) => attestationBlock(attestationFields(a)))
    .join('');
  // A warning that did not pass reads as a warning, not as one more blocker.
  const warning = isOpenWarning(rule);
  const waiver =
    rule.waiver === undefined
      ? ''
      : `<div class="waiver">Waived: ${esc(rule.waiver.reason)} \u2014 owner ${esc(rule.waiver.owner)}, expires ${esc(rule.waiver.expiresAt)}</div>`;
  const evidence =
    withEvidence && Object.keys(rule.evidence).length > 0
      ? `<details class="ev"><summary>Evidence</summary><pre>${esc(JSON.stringify(rule.evidence, null, 2))}</pre></details>`
      : '';
  const remediation =
    rule.status === 'fail' || rule.status === 'unknown'
      ? `<div class="rem">${esc(rule.remediation ?? '')}</div>${references(rule.references)}`
      : '<span class="muted">\u2014</span>';
  return (
    `<tr class="s-${esc(rule.status)}${warning ? ' w-open' : ''}"><td>${statusBadge(rule.status)}${warning ? '<span class="badge w-open">WARNING</span>' : ''}</td>` +
    `<td><code>${esc(rule.id)}</code><span class="rule-title">${esc(rule.title)}</span><span class="sev ${esc(rule.severity)}">${esc(rule.severity)}</span></td>` +
    `<td><div class="msg">${esc(rule.message)}</div>${waiver}${attestations}${evidence}</td>` +
    `<td>${remediation}</td></tr>`
  );
}

function countsText(rules: readonly RuleResult[]): string {
  const c = statusCounts(rules);
  const parts: string[] = [];
  if (c.fail > 0) parts.push(`${c.fail} failed`);
  if (c.unknown > 0) parts.push(`${c.unknown} unknown`);
  if (c.waived > 0) parts.push(`${c.waived} waived`);
  const warnings = rules.filter(isOpenWarning).length;
  if (warnings > 0) parts.push(warningsText(warnings));
  parts.push(`${c.pass} of ${rules.length} passed`);
  return parts.join(' \u00b7 ');
}

// The page script (html-assets.ts) builds the same markup from the data island.
function impactBlock(account: AccountReport): string {
  const impact = accountImpact(account);
  if (!showsImpact(account, impact)) return '';
  const found =
    impact.findings.length === 0
      ? `<p class="muted">${esc(NOTHING_FOUND)}</p>`
      : '<ul class="impact-found">' +
        impact.findings
          .map(
            (f) =>
              `<li>${statusBadge(f.status)}<code>${esc(f.rule)}</code><span class="sev ${esc(f.severity)}">${esc(f.severity)}</span> ${esc(f.message)}</li>`,
          )
          .join('') +
        '</ul>';
  const steps = impact.checklist.map((step) => `<li>${esc(step)}</li>`).join('');
  return (
    `<section class="impact"><h3>${esc(IMPACT_TITLE)}</h3>${found}` +
    `<p class="kv"><b>${esc(CHECKLIST_TITLE)}:</b></p><ol class="checklist">${steps}</ol></section>`
  );
}

function accountBlock(account: AccountReport, open: boolean, withEvidence: boolean): string {
  const name =
    account.name === undefined ? '' : `<span class="acct-name">${esc(account.name)}</span>`;
  const ou =
    account.ouPath === undefined
      ? ''
      : `<p class="kv"><b>OU path: </b>${account.ouPath.map(esc).join(' \u203a ')}</p>`;
  let tags: string;
  if (account.tags === undefined) tags = '<p class="kv"><b>Tags: </b>not collected</p>';
  else if (account.tags.length === 0) tags = '<p class="kv"><b>Tags: </b>none</p>';
  else {
    tags =
      '<p class="kv"><b>Tags: </b></p><ul class="tags">' +
      account.tags.map((t) => `<li><code>${esc(t.key)}</code> = ${esc(t.value)}</li>`).join('') +
      '</ul>';
  }
  const notes =
    account.notes === undefined || account.notes.length === 0
      ? ''
      : `<p class="kv"><b>Notes:</b></p><ul class="notes">${account.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`;
  const rows = sortedRules(account.rules)
    .map((r) => ruleRow(r, withEvidence))
    .join('');
  return (
    `<details class="acct v-${esc(account.verdict)}"${open ? ' open' : ''}>` +
    `<summary><span class="badge v-${esc(account.verdict)}">${esc(account.verdict.toUpperCase())}</span>` +
    `<span class="acct-id">${esc(account.accountId)}</span>${name}` +
    `<span class="acct-counts">${countsText(account.rules)}</span></summary>` +
    `<div class="acct-body">${ou}` +
    `<table class="rules"><caption class="sr-only">Rule results for account ${esc(account.accountId)}</caption>` +
    '<thead><tr><th scope="col">Status</th><th scope="col">Rule</th><th scope="col">Result</th><th scope="col">Remediation</th></tr></thead>' +
    `<tbody>${rows}</tbody></table>${tags}${impactBlock(account)}${notes}</div></details>`
  );
}

/** A string table: each distinct string stored once, referenced by index. */
class Strings {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  id(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}

/** An account's impact section in the island: 0 when not shown, else [[findings], [checklist]]. */
function impactData(account: AccountReport, S: Strings): unknown {
  const impact = accountImpact(account);
  if (!showsImpact(account, impact)) return 0;
  return [
    impact.findings.map((f) => [
      STATUS_CODES.indexOf(f.status),
      S.id(f.rule),
      S.id(f.severity),
      S.id(f.message),
    ]),
    impact.checklist.map((step) => S.id(step)),
  ];
}

/**
 * The compact data the page script renders from (layout documented in
 * html-assets.ts). Rule definitions and repeated strings are stored once, so
 * 10,000 accounts of 12 rules stay a few megabytes.
 */
function dataIsland(accounts: readonly AccountReport[], pageSize: number, withEvidence: boolean) {
  const S = new Strings();
  const D: unknown[] = [];
  const defIndex = new Map<string, number>();
  const def = (r: RuleResult): number => {
    const fields = [
      S.id(r.id),
      S.id(r.title),
      S.id(r.severity),
      S.id(r.remediation ?? ''),
      (r.references ?? []).map((x) => S.id(x)),
    ];
    const key = JSON.stringify(fields);
    let i = defIndex.get(key);
    if (i === undefined) {
      i = D.length;
      D.push(fields);
      defIndex.set(key, i);
    }
    return i;
  };
  const A = accounts.map((a) => [
    S.id(a.accountId),
    a.name === undefined ? -1 : S.id(a.name),
    VERDICT_CODES.indexOf(a.verdict),
    sortedRules(a.rules).map((r) => [
      def(r),
      STATUS_CODES.indexOf(r.status),
      S.id(r.message),
      r.waiver === undefined
        ? 0
        : [S.id(r.waiver.reason), S.id(r.waiver.owner), S.id(r.waiver.expiresAt)],
      withEvidence && Object.keys(r.evidence).length > 0
        ? S.id(JSON.stringify(r.evidence, null, 2))
        : -1,
      r.attestations === undefined || r.attestations.length === 0
        ? 0
        : r.attestations.map((a) =>
            attestationFields(a).map((f) => [S.id(f.label), S.id(f.value)]),
          ),
    ]),
    a.tags === undefined ? 0 : a.tags.map((t) => [S.id(t.key), S.id(t.value)]),
    a.ouPath === undefined ? 0 : a.ouPath.map((o) => S.id(o)),
    a.notes === undefined ? 0 : a.notes.map((n) => S.id(n)),
    impactData(a, S),
  ]);
  const T = [S.id(IMPACT_TITLE), S.id(CHECKLIST_TITLE), S.id(NOTHING_FOUND)];
  return { pageSize, S: S.list, D, A, T };
}

function ruleTable(stats: readonly RuleStats[]): string {
  if (stats.length === 0) return '<p class="muted">No rule was evaluated.</p>';
  const cell = (n: number) => `<td class="num${n === 0 ? ' zero' : ''}">${fmt(n)}</td>`;
  const rows = stats
    .map(
      (s) =>
        `<tr><th scope="row"><code>${esc(s.id)}</code> <span class="rule-title">${esc(s.title)}</span></th>` +
        `<td><span class="sev ${esc(s.severity)}">${esc(s.severity)}</span></td>` +
        `${cell(s.fail)}${cell(s.unknown)}${cell(s.waived)}${cell(s.pass)}</tr>`,
    )
    .join('');
  return (
    '<table class="rule-stats"><caption class="sr-only">Accounts per rule and status, most failures first</caption>' +
    '<thead><tr><th scope="col">Rule</th><th scope="col">Severity</th><th scope="col" class="num">Failed</th>' +
    '<th scope="col" class="num">Unknown</th><th scope="col" class="num">Waived</th><th scope="col" class="num">Passed</th></tr></thead>' +
    `<tbody>${rows}</tbody></table>`
  );
}

function summarySection(report: Report): string {
  const { summary } = report;
  const total = summary.accounts;
  const verdict = overallVerdict(report);
  const warnings = warningCount(report);
  const whatIf = whatIfNotice(report.inputs);
  const line =
    verdict === 'blocked'
      ? `${fmt(summary.blocked)} of ${fmt(total)} accounts are blocked: at least one rule failed.`
      : total === 0
        ? 'The report lists no account: nothing is known to be ready.'
        : verdict === 'unknown'
          ? `No rule failed, but ${fmt(summary.unknown)} of ${fmt(total)} accounts are unknown: some facts could not be established.`
          : `All ${fmt(total)} accounts are ready to leave the organization.`;
  const card = (v: Verdict | 'all', label: string, n: number) =>
    v === 'all'
      ? `<div class="card"><div class="l">${label}</div><div class="n">${fmt(n)}</div><div class="pct">evaluated</div></div>`
      : `<a class="card v-${v}" href="#accounts" data-verdict="${v}"><div class="l">${label}</div><div class="n">${fmt(n)}</div><div class="pct">${pct(n, total)} of accounts</div></a>`;
  const bar = (['blocked', 'unknown', 'ready'] as const)
    .filter((v) => summary[v] > 0)
    .map(
      (v) =>
        `<span class="v-${v}" style="width:${((100 * summary[v]) / Math.max(total, 1)).toFixed(3)}%" title="${v}: ${fmt(summary[v])}"></span>`,
    )
    .join('');
  return (
    '<section aria-labelledby="h-summary"><h2 id="h-summary">Summary</h2>' +
    `<p class="verdict-line v-${verdict}" role="status"><strong>${withWarnings(verdict.toUpperCase(), warnings)}</strong> \u2014 ${line}</p>` +
    (whatIf === undefined ? '' : `<p class="whatif" role="note">${esc(whatIf)}</p>`) +
    `<div class="cards">${card('all', 'Accounts', total)}${card('blocked', 'Blocked', summary.blocked)}` +
    `${card('unknown', 'Unknown', summary.unknown)}${card('ready', 'Ready', summary.ready)}` +
    `<div class="card w" title="${esc(warningsEffect(report))}"><div class="l">Warnings</div><div class="n">${fmt(warnings)}</div>` +
    `<div class="pct">${report.failOn === 'warning' ? 'treated as blockers' : 'do not block'}</div></div></div>` +
    `<div class="bar" aria-hidden="true">${bar}</div></section>`
  );
}

function warningsSection(warnings: readonly string[] | undefined, limit: number): string {
  if (warnings === undefined || warnings.length === 0) return '';
  const shown = warnings.slice(0, limit).map((w) => `<li>${esc(w)}</li>`);
  const more =
    warnings.length > limit
      ? `<p class="muted">\u2026 and ${fmt(warnings.length - limit)} more in report.json.</p>`
      : '';
  return (
    `<section aria-labelledby="h-warnings"><h2 id="h-warnings">Run warnings (${fmt(warnings.length)})</h2>` +
    `<details${warnings.length <= 10 ? ' open' : ''}><summary>Problems that did not stop the run: ignored attestations, expired waivers, collection errors</summary>` +
    `<ul class="warnings">${shown.join('')}</ul>${more}</details></section>`
  );
}

/** The run's inputs, once per report (never per account), after the accounts: for audit, not triage. */
function inputsSection(report: Report): string {
  if (report.inputs === undefined) return '';
  const rows = inputRows(report.inputs).map(
    (row) =>
      `<tr${row.whatIf === true ? ' class="whatif"' : ''}><th scope="row">${esc(row.label)}</th>` +
      `<td>${row.whatIf === true ? '<strong>What-if: </strong>' : ''}${esc(row.value)}</td>` +
      `<td>${row.sha256 === undefined ? '' : `<code>${esc(row.sha256)}</code>`}</td></tr>`,
  );
  return (
    '<section aria-labelledby="h-inputs"><h2 id="h-inputs">Inputs</h2>' +
    '<table class="inputs"><caption class="sr-only">What this report was decided on: files, rules, clock, command line</caption>' +
    '<thead><tr><th scope="col">Input</th><th scope="col">Value</th><th scope="col">SHA-256</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table></section>`
  );
}

function header(report: Report): string {
  const meta: [string, string][] = [
    ['Organization', report.snapshot.organizationId ?? '(none)'],
    ['Snapshot collected', report.snapshot.collectedAt],
  ];
  if (report.evaluatedAt !== undefined) meta.push(['Evaluated at', report.evaluatedAt]);
  meta.push(['Generated', report.generatedAt]);
  meta.push(['Tool', `${report.tool.name} ${report.tool.version}`]);
  const packs = report.rulePacks.map((p) => `${p.name} ${p.version} (${p.rules} rules)`).join(', ');
  if (packs !== '') meta.push(['Rule packs', packs]);
  if (report.failOn === 'warning') meta.push(['Fail on', 'warning (warnings block)']);
  return (
    '<header class="top"><div class="wrap"><div class="brand">leavegate</div>' +
    `<h1>Account readiness report: ${esc(reportSubject(report))}</h1><dl class="meta">` +
    meta.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('') +
    '</dl></div></header>'
  );
}

/**
 * report.html for `report` (pure). Self-contained: inline CSS and script, no
 * external resource, every report string escaped.
 */
export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const pageSize = Math.max(1, options.pageSize ?? 100);
  const withEvidence = report.accounts.length <= (options.evidenceLimit ?? 200);
  const accounts = sortedAccounts(report);
  const stats = ruleStats(report);
  // Small reports open the problem accounts; large ones stay collapsed to keep the page short.
  const openProblems = report.accounts.length <= 25;
  const firstPage = accounts
    .slice(0, pageSize)
    .map((a) => accountBlock(a, openProblems && a.verdict !== 'ready', withEvidence))
    .join('');
  const pages = Math.max(1, Math.ceil(accounts.length / pageSize));
  const shown = Math.min(pageSize, accounts.length);
  const status =
    accounts.length === 0
      ? 'No account in this report.'
      : `Showing ${accounts.length === shown ? 'all' : `1\u2013${fmt(shown)} of`} ${fmt(accounts.length)} accounts (blocked first).`;
  const ruleOptions = stats
    .map(
      (s) =>
        `<option value="${esc(s.id)}">${esc(s.id)} (${fmt(s.fail + s.unknown)} not passing)</option>`,
    )
    .join('');
  const evidenceNote = withEvidence
    ? 'Open \u201cEvidence\u201d under a rule for the facts it found and expected.'
    : 'Evidence for each rule (found vs expected, policy decisions) is in report.json.';
  const kind = report.mode?.kind === 'transfer' ? 'transfer readiness report' : 'readiness report';
  const title = `leavegate ${kind} \u2014 ${report.snapshot.organizationId ?? 'no organization'}: ${reportSubject(report)}`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="leavegate ${esc(report.tool.version)}">
<title>${esc(title)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
${header(report)}
<main class="wrap">
${summarySection(report)}
<section aria-labelledby="h-rules"><h2 id="h-rules">Rules by failures</h2>${ruleTable(stats)}</section>
${warningsSection(report.warnings, options.warningLimit ?? 500)}
<section id="accounts" aria-labelledby="h-accounts"><h2 id="h-accounts">Accounts</h2>
<div class="controls" id="lg-controls" hidden role="search" aria-label="Filter accounts">
<label>Verdict<select id="lg-verdict"><option value="">All verdicts</option><option value="blocked">Blocked</option><option value="unknown">Unknown</option><option value="ready">Ready</option></select></label>
<label>Rule not passing<select id="lg-rule"><option value="">Any rule</option>${ruleOptions}</select></label>
<label>Search<input id="lg-text" type="search" placeholder="Account id, name, tag or OU" autocomplete="off"></label>
</div>
<p class="status" id="lg-status" aria-live="polite">${status}</p>
${pages > 1 ? `<p class="muted" id="lg-nojs">Without JavaScript only the first ${fmt(pageSize)} accounts are listed; report.json has every account.</p>` : ''}
<div id="lg-list">${firstPage}</div>
<nav class="pager" id="lg-pager" aria-label="Pages" hidden><button type="button" id="lg-prev">\u2190 Previous</button><span id="lg-page">Page 1 of ${fmt(pages)}</span><button type="button" id="lg-next">Next \u2192</button></nav>
</section>
${inputsSection(report)}
</main>
<footer><div class="wrap">${esc(evidenceNote)} Snapshot SHA-256 <code>${esc(report.snapshot.sha256)}</code>. Evaluation took ${fmt(Math.round(report.stats.durationMs))} ms.</div></footer>
<script type="application/json" id="lg-data">${jsonForScript(dataIsland(accounts, pageSize, withEvidence))}</script>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}
