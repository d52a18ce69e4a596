/**
 * report.md's "How to fix" section: each rule's remediation once, with the
 * accounts it applies to, instead of the same paragraph under every account.
 * A remediation that names the account it is for is shown once as a
 * template, `<account-id>` standing for each listed account's id.
 */
import { accountLabel, ruleStats } from './aggregate.js';
import { clip, isHttpUrl, markdownCode, markdownText, markdownTextInline } from './escape.js';
import { fmt } from './format.js';
import { codeSegments, humanTimes, referenceTitle } from './html-text.js';
import type { AccountReport, Report, RuleResult } from './types.js';

/** Accounts named per remediation; the rest are counted. */
const MAX_LISTED = 20;
const ACCOUNT_PLACEHOLDER = '<account-id>';

/** Prose escaped for Markdown and commands as code spans: no literal backtick is left to chance. */
export function markdownRich(value: string): string {
  return codeSegments(clip(value))
    .map((seg, i) =>
      i % 2 === 1
        ? markdownCode(seg)
        : (i === 0 ? markdownText : markdownTextInline)(humanTimes(seg)),
    )
    .join('');
}

interface FixGroup {
  rule: RuleResult;
  remediation: string;
  templated: boolean;
  accounts: AccountReport[];
}

/** Failing and unknown results grouped by rule, then by remediation text (account id factored out). */
function fixGroups(report: Report): Map<string, FixGroup[]> {
  const byRule = new Map<string, Map<string, FixGroup>>();
  for (const account of report.accounts) {
    for (const rule of account.rules) {
      if (rule.status !== 'fail' && rule.status !== 'unknown') continue;
      const raw = rule.remediation ?? '';
      const text = raw.split(account.accountId).join(ACCOUNT_PLACEHOLDER);
      let groups = byRule.get(rule.id);
      if (groups === undefined) byRule.set(rule.id, (groups = new Map<string, FixGroup>()));
      const key = `${rule.status}\u0000${text}`;
      let group = groups.get(key);
      if (group === undefined) {
        group = { rule, remediation: text, templated: text !== raw, accounts: [] };
        groups.set(key, group);
      }
      group.accounts.push(account);
    }
  }
  return new Map([...byRule].map(([id, groups]) => [id, [...groups.values()]]));
}

function referencesLine(refs: readonly string[] | undefined): string | undefined {
  // References come from the rule packs, never from account data; only plain http(s) URLs become links.
  const links = (refs ?? [])
    .filter((url) => isHttpUrl(url) && !/[()\s]/.test(url))
    .map((url) => `[${markdownText(referenceTitle(url))}](${url})`);
  return links.length === 0 ? undefined : `References: ${links.join(' · ')}`;
}

function groupLines(out: string[], group: FixGroup): void {
  const n = group.accounts.length;
  const listed = group.accounts
    .slice(0, MAX_LISTED)
    .map((a) => markdownText(accountLabel(a)))
    .join(', ');
  const more = n > MAX_LISTED ? `, … and ${fmt(n - MAX_LISTED)} more (report.json)` : '';
  const status = group.rule.status === 'fail' ? 'Failed' : 'Unknown';
  out.push(`${status} for ${fmt(n)} account${n === 1 ? '' : 's'}: ${listed}${more}.`, '');
  if (group.templated) {
    out.push(
      `${markdownCode(ACCOUNT_PLACEHOLDER)} stands for each account's id (${n === 1 ? 'the account above' : 'one command per account'}).`,
      '',
    );
  }
  out.push(markdownRich(group.remediation), '');
}

/** The "How to fix" section: one block per rule that failed or is unknown somewhere. */
export function fixesSection(out: string[], report: Report): void {
  const groups = fixGroups(report);
  if (groups.size === 0) return;
  out.push('## How to fix', '');
  for (const stats of ruleStats(report)) {
    const ruleGroups = groups.get(stats.id);
    if (ruleGroups === undefined) continue;
    const first = ruleGroups[0]!.rule;
    out.push(
      `### ${markdownText(first.id)}: ${markdownText(first.title)} (${markdownText(first.severity)})`,
      '',
    );
    for (const group of ruleGroups) groupLines(out, group);
    const refs = referencesLine(first.references);
    if (refs !== undefined) out.push(refs, '');
  }
}
