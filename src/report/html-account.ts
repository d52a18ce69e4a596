/**
 * The server-rendered markup of one account in report.html (rule rows,
 * impact, tags, notes): the first page, readable without JavaScript. The page
 * script (html-assets.ts) builds the same markup from the data island for the
 * other pages, so a change here needs the same change there.
 */
import { sortedRules, statusCounts } from './aggregate.js';
import { escapeHtml as esc, isHttpUrl } from './escape.js';
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

export function accountBlock(account: AccountReport, open: boolean, withEvidence: boolean): string {
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
