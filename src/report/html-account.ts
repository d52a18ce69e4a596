/**
 * The server-rendered markup of one account in report.html: what did not
 * pass first, with its remediation; the passes collapsed into "N passed";
 * OU names beside ids; tags, impact and notes. The first page is rendered
 * here (readable without JavaScript); the page script (html-script.ts) builds
 * the same markup from the data island for the other pages, so a change here
 * needs the same change there (a browser test compares the two).
 */
import { sortedRules, statusCounts } from './aggregate.js';
import { escapeHtml as esc, escapeHtmlShown as escShown, isHttpUrl } from './escape.js';
import { pathLevels } from './html-text.js';
import { rich, shown, shownReference, shownText, shownTime } from './html-view.js';
import {
  accountImpact,
  CHECKLIST_TITLE,
  IMPACT_TITLE,
  NOTHING_FOUND,
  showsImpact,
} from './impact.js';
import { attestationFields, isOpenWarning, warningsText, type Field } from './provenance.js';
import type { AccountReport, RuleResult, RuleStatus } from './types.js';

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

function statusBadge(status: RuleStatus): string {
  return `<span class="badge s-${esc(status)}"><span aria-hidden="true">${STATUS_ICON[status] ?? ''} </span>${STATUS_TEXT[status] ?? esc(status)}</span>`;
}

/** Prose and `<code>` for commands: no literal backticks reach the page. */
export function richHtml(value: string): string {
  return rich(value)
    .map((seg, i) => (i % 2 === 0 ? escShown(seg) : `<code>${escShown(seg)}</code>`))
    .join('');
}

function references(refs: readonly string[] | undefined): string {
  if (refs === undefined || refs.length === 0) return '';
  const items = refs.map((ref) => {
    const [url, title] = shownReference(ref);
    return isHttpUrl(url)
      ? `<li><a href="${escShown(url)}" rel="noopener noreferrer">${escShown(title)}</a></li>`
      : `<li>${escShown(url)}</li>`;
  });
  return `<ul class="refs">${items.join('')}</ul>`;
}

function attestationBlock(fields: readonly Field[]): string {
  const items = fields.map(
    (f) =>
      `<div><dt>${esc(f.label)}</dt><dd>${escShown(f.key.endsWith('At') ? shownTime(f.value) : shown(f.value))}</dd></div>`,
  );
  return `<div class="att"><span class="att-h">Decided by attestation</span><dl>${items.join('')}</dl></div>`;
}

function ruleRow(rule: RuleResult, withEvidence: boolean, failing: boolean): string {
  const attestations = (rule.attestations ?? [])
    .map((a) => attestationBlock(attestationFields(a)))
    .join('');
  // A warning that did not pass reads as a warning, not as one more blocker.
  const warning = isOpenWarning(rule);
  const waiver =
    rule.waiver === undefined
      ? ''
      : `<div class="waiver">Waived: ${escShown(shownText(rule.waiver.reason))} \u2014 owner ${esc(rule.waiver.owner)}, expires ${escShown(shownTime(rule.waiver.expiresAt))}</div>`;
  const evidence =
    withEvidence && Object.keys(rule.evidence).length > 0
      ? `<details class="ev"><summary>Evidence</summary><pre>${esc(JSON.stringify(rule.evidence, null, 2))}</pre></details>`
      : '';
  const remediation = !failing
    ? ''
    : rule.status === 'fail' || rule.status === 'unknown'
      ? `<td><div class="rem">${richHtml(rule.remediation ?? '')}</div>${references(rule.references)}</td>`
      : '<td><span class="muted">\u2014</span></td>';
  return (
    `<tr class="s-${esc(rule.status)}${warning ? ' w-open' : ''}"><td>${statusBadge(rule.status)}${warning ? '<span class="badge w-open">WARNING</span>' : ''}</td>` +
    `<td><code>${esc(rule.id)}</code><span class="rule-title">${esc(rule.title)}</span><span class="sev ${esc(rule.severity)}">${esc(rule.severity)}</span></td>` +
    `<td><div class="msg">${richHtml(rule.message)}</div>${waiver}${attestations}${evidence}</td>` +
    `${remediation}</tr>`
  );
}

/** A table of rule results; the failing one has a Remediation column. */
function rulesTable(caption: string, rows: string, failing: boolean): string {
  const cols = ['Status', 'Rule', 'Result', ...(failing ? ['Remediation'] : [])];
  return (
    `<table class="rules${failing ? '' : ' passes'}"><caption class="sr-only">${esc(caption)}</caption>` +
    `<thead><tr>${cols.map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows}</tbody></table>`
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
              `<li>${statusBadge(f.status)}<code>${esc(f.rule)}</code><span class="sev ${esc(f.severity)}">${esc(f.severity)}</span> ${richHtml(f.message)}</li>`,
          )
          .join('') +
        '</ul>';
  const steps = impact.checklist.map((step) => `<li>${richHtml(step)}</li>`).join('');
  return (
    `<section class="impact"><h3>${esc(IMPACT_TITLE)}</h3>${found}` +
    `<p class="kv"><b>${esc(CHECKLIST_TITLE)}:</b></p><ol class="checklist">${steps}</ol></section>`
  );
}

/** `Workloads <code>ou-…</code> › …`: names beside ids. */
function ouPathBlock(ouPath: readonly string[], names: ReadonlyMap<string, string>): string {
  const levels = pathLevels(ouPath, names).map(
    (l) =>
      `<span class="ou">${l.name === undefined ? '' : `${esc(l.name)} `}<code>${esc(l.id)}</code></span>`,
  );
  return `<p class="kv"><b>OU path: </b>${levels.join(' \u203a ')}</p>`;
}

function tagsBlock(account: AccountReport): string {
  if (account.tags === undefined) return '<p class="kv"><b>Tags: </b>not collected</p>';
  if (account.tags.length === 0) return '<p class="kv"><b>Tags: </b>none</p>';
  return (
    '<p class="kv"><b>Tags: </b></p><ul class="tags">' +
    account.tags.map((t) => `<li><code>${esc(t.key)}</code> = ${esc(t.value)}</li>`).join('') +
    '</ul>'
  );
}

export function accountBlock(
  account: AccountReport,
  open: boolean,
  withEvidence: boolean,
  names: ReadonlyMap<string, string>,
): string {
  const name =
    account.name === undefined ? '' : `<span class="acct-name">${esc(account.name)}</span>`;
  const ou = account.ouPath === undefined ? '' : ouPathBlock(account.ouPath, names);
  const notes =
    account.notes === undefined || account.notes.length === 0
      ? ''
      : `<p class="kv"><b>Notes:</b></p><ul class="notes">${account.notes.map((n) => `<li>${escShown(shownText(n))}</li>`).join('')}</ul>`;
  const rules = sortedRules(account.rules);
  const problems = rules.filter((r) => r.status !== 'pass');
  const passes = rules.filter((r) => r.status === 'pass');
  const id = esc(account.accountId);
  const problemTable =
    problems.length === 0
      ? ''
      : rulesTable(
          `Rules not passing for account ${account.accountId}`,
          problems.map((r) => ruleRow(r, withEvidence, true)).join(''),
          true,
        );
  const passTable =
    passes.length === 0
      ? ''
      : `<details class="passed"><summary>${passes.length} passed</summary>` +
        rulesTable(
          `Rules passed for account ${account.accountId}`,
          passes.map((r) => ruleRow(r, withEvidence, false)).join(''),
          false,
        ) +
        '</details>';
  return (
    `<details class="acct v-${esc(account.verdict)}"${open ? ' open' : ''}>` +
    `<summary><span class="badge v-${esc(account.verdict)}">${esc(account.verdict.toUpperCase())}</span>` +
    `<span class="acct-id">${id}</span>${name}` +
    `<span class="acct-counts">${countsText(account.rules)}</span></summary>` +
    `<div class="acct-body">${ou}${problemTable}${passTable}${tagsBlock(account)}${impactBlock(account)}${notes}</div></details>`
  );
}
