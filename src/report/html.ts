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
import { ruleStats, sortedAccounts, reportSubject } from './aggregate.js';
import { escapeHtml as esc, jsonForScript } from './escape.js';
import { fmt } from './format.js';
import { accountBlock } from './html-account.js';
import { HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
import { dataIsland } from './html-island.js';
import {
  header,
  inputsSection,
  ruleTable,
  summarySection,
  warningsSection,
} from './html-sections.js';
import type { Report } from './types.js';

export interface HtmlOptions {
  /** Accounts per page (default 100). */
  pageSize?: number;
  /** Evidence is inlined in the page only up to this many accounts (default 200). */
  evidenceLimit?: number;
  /** Warnings listed in the page (default 500); the rest are counted. */
  warningLimit?: number;
}

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
