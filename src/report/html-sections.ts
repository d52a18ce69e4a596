/**
 * The page-level sections of report.html around the account list: header,
 * summary, rules by failures, run warnings and inputs.
 */
import { overallVerdict, reportSubject, type RuleStats } from './aggregate.js';
import { escapeHtml as esc } from './escape.js';
import { fmt } from './format.js';
import { formatTimestamp as time, humanTimes } from './html-text.js';
import {
  inputRows,
  warningCount,
  warningsEffect,
  whatIfNotice,
  withWarnings,
} from './provenance.js';
import type { Report, Verdict } from './types.js';

function pct(n: number, total: number): string {
  if (total === 0) return '0%';
  const p = (100 * n) / total;
  return p > 0 && p < 1 ? '<1%' : `${Math.round(p)}%`;
}

export function ruleTable(stats: readonly RuleStats[]): string {
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

export function summarySection(report: Report): string {
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
    (whatIf === undefined ? '' : `<p class="whatif" role="note">${esc(humanTimes(whatIf))}</p>`) +
    `<div class="cards">${card('all', 'Accounts', total)}${card('blocked', 'Blocked', summary.blocked)}` +
    `${card('unknown', 'Unknown', summary.unknown)}${card('ready', 'Ready', summary.ready)}` +
    `<div class="card w" title="${esc(warningsEffect(report))}"><div class="l">Warnings</div><div class="n">${fmt(warnings)}</div>` +
    `<div class="pct">${report.failOn === 'warning' ? 'treated as blockers' : 'do not block'}</div></div></div>` +
    `<div class="bar" aria-hidden="true">${bar}</div></section>`
  );
}

export function warningsSection(warnings: readonly string[] | undefined, limit: number): string {
  if (warnings === undefined || warnings.length === 0) return '';
  const shown = warnings.slice(0, limit).map((w) => `<li>${esc(humanTimes(w))}</li>`);
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
export function inputsSection(report: Report): string {
  if (report.inputs === undefined) return '';
  const rows = inputRows(report.inputs).map(
    (row) =>
      `<tr${row.whatIf === true ? ' class="whatif"' : ''}><th scope="row">${esc(row.label)}</th>` +
      `<td>${row.whatIf === true ? '<strong>What-if: </strong>' : ''}${esc(row.label === 'Clock' ? humanTimes(row.value) : row.value)}</td>` +
      `<td>${row.sha256 === undefined ? '' : `<code>${esc(row.sha256)}</code>`}</td></tr>`,
  );
  return (
    '<section aria-labelledby="h-inputs"><h2 id="h-inputs">Inputs</h2>' +
    '<table class="inputs"><caption class="sr-only">What this report was decided on: files, rules, clock, command line</caption>' +
    '<thead><tr><th scope="col">Input</th><th scope="col">Value</th><th scope="col">SHA-256</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table></section>`
  );
}

export function header(report: Report): string {
  const meta: [string, string][] = [
    ['Organization', report.snapshot.organizationId ?? '(none)'],
    ['Snapshot collected', time(report.snapshot.collectedAt)],
  ];
  if (report.evaluatedAt !== undefined) meta.push(['Evaluated at', time(report.evaluatedAt)]);
  meta.push(['Generated', time(report.generatedAt)]);
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
