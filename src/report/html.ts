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
 *
 * For people: each account shows what did not pass (passes collapse into
 * "N passed", a toggle shows them all), OU names beside ids, commands as
 * code, references as titled links, one timestamp format, and printing opens
 * every detail.
 */
import { createHash } from 'node:crypto';
import { ruleStats, sortedAccounts, reportSubject } from './aggregate.js';
import { escapeHtml as esc, scriptJson } from './escape.js';
import { fmt } from './format.js';
import { accountBlock } from './html-account.js';
import { dataIsland } from './html-island.js';
import { HTML_SCRIPT } from './html-script.js';
import { HTML_STYLE } from './html-style.js';
import { ouNames } from './html-text.js';
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
  /**
   * Accounts rendered into the markup itself (default 25), for reading
   * without JavaScript; the page script renders the rest of page 1 from the
   * data island at load. Markup costs about ten times the island's bytes.
   */
  serverAccounts?: number;
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
  const names = ouNames(report);
  // Small reports open the problem accounts; large ones stay collapsed to keep the page short.
  const openProblems = report.accounts.length <= 25;
  const serverCount = Math.min(pageSize, Math.max(1, options.serverAccounts ?? 25));
  const firstPage = accounts
    .slice(0, serverCount)
    .map((a) => accountBlock(a, openProblems && a.verdict !== 'ready', withEvidence, names))
    .join('');
  const pages = Math.max(1, Math.ceil(accounts.length / pageSize));
  const shown = Math.min(serverCount, accounts.length);
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
<label class="chk"><input id="lg-all" type="checkbox">Show passed rules</label>
</div>
<p class="status" id="lg-status" aria-live="polite">${status}</p>
${accounts.length > serverCount ? `<p class="muted" id="lg-nojs">Without JavaScript only the first ${fmt(serverCount)} accounts are listed; report.json has every account.</p>` : ''}
<div id="lg-list">${firstPage}</div>
<nav class="pager" id="lg-pager" aria-label="Pages" hidden><button type="button" id="lg-prev">\u2190 Previous</button><span id="lg-page">Page 1 of ${fmt(pages)}</span><button type="button" id="lg-next">Next \u2192</button></nav>
</section>
${inputsSection(report)}
</main>
<footer><div class="wrap">${esc(evidenceNote)} Snapshot SHA-256 <code>${esc(report.snapshot.sha256)}</code>. Evaluation took ${fmt(Math.round(report.stats.durationMs))} ms.</div></footer>
<script type="application/json" id="lg-data">${scriptJson({ ...dataIsland(accounts, pageSize, withEvidence, names), server: serverCount })}</script>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}
