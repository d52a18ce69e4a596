/**
 * SARIF rule descriptors (`reportingDescriptor`) as GitHub code scanning
 * reads them: help as text and as Markdown (the remediation's commands as
 * code), tags to filter by, and a `security-severity` so the alert shows
 * High (blocker) or Medium (warning).
 *
 * Every string in a rule may come from a user's rule pack or plugin, so the
 * Markdown is built from escaped prose and from code spans and fences whose
 * delimiters are longer than any backtick run they hold: nothing in a rule
 * can open a link, an HTML tag or a heading, nor close its code block early.
 */
import type { ReportingDescriptor } from 'sarif';
import { decides, type FailOn } from '../gate/verdict.js';
import { withoutControls } from '../text.js';
import { escapeMarkdown, isHttpUrl } from './escape.js';
import type { RuleResult } from './types.js';

/**
 * GitHub's scale: over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9
 * low; a string, as in GitHub's own examples. A blocker is what AWS (or the
 * pack) says stops the account from leaving: high, not critical, because
 * nothing is exposed — the account just cannot go yet.
 */
export const SECURITY_SEVERITY: Readonly<Record<RuleResult['severity'], string>> = {
  blocker: '8.0',
  warning: '5.0',
};

/** GitHub rejects a rule with more tags than this (and shows only 10). */
export const MAX_TAGS_PER_RULE = 20;

/** GitHub's lengths for a rule's name and its short and full descriptions. */
export const MAX_RULE_NAME = 255;
export const MAX_DESCRIPTION = 1024;

/** `value` cut to `max` characters (with an ellipsis); the full text stays in help and report.json. */
function limit(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max - 1;
  // Never cut between the two halves of a surrogate pair.
  if (/[\uD800-\uDBFF]/.test(value.charAt(end - 1))) end -= 1;
  return `${value.slice(0, end)}…`;
}

/** What a descriptor is built from: the report's rule catalog, or a result when the catalog lacks it. */
export type DescriptorSource = Pick<
  RuleResult,
  'id' | 'title' | 'severity' | 'pack' | 'references'
> & {
  remediation?: string | undefined;
  description?: string | undefined;
};

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== '')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/** One line of untrusted text for a code span or fence: no line breaks, no control characters. */
function codeLine(value: string): string {
  return withoutControls(value.replace(/\r\n|[\r\n\u2028\u2029\u0085\v\f\t]/g, ' ')).trim();
}

function longestBacktickRun(value: string): number {
  let longest = 0;
  for (const run of value.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/** A CommonMark code span that shows `value` literally, whatever backticks it holds. */
export function codeSpan(value: string): string {
  const text = codeLine(value);
  const fence = '`'.repeat(longestBacktickRun(text) + 1);
  return `${fence} ${text} ${fence}`;
}

/** A fenced code block (shell) holding `command` on one line, never closed early by its content. */
export function codeFence(command: string): string {
  const text = codeLine(command);
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  return `${fence}sh\n${text}\n${fence}`;
}

/**
 * Remediation text as Markdown: prose escaped, the parts written between
 * backticks as code spans. Returns the commands (code that starts with
 * `aws `) separately, to be shown as copyable code blocks.
 */
export function remediationMarkdown(remediation: string): { prose: string; commands: string[] } {
  // split() with a capture group alternates prose (even) and code (odd); a lone backtick stays prose.
  const parts = remediation.split(/`([^`]+)`/);
  const commands: string[] = [];
  const prose = parts
    .map((part, i) => {
      if (i % 2 === 0) return part === '' ? '' : escapeMarkdown(part);
      if (/^aws\s/.test(part.trim()) && !commands.includes(part)) commands.push(part);
      return codeSpan(part);
    })
    .join('');
  return { prose, commands };
}

function referencesMarkdown(references: readonly string[]): string[] {
  return references.map((r) =>
    // Angle brackets: a destination isHttpUrl accepted cannot contain `<`, `>` or a line break.
    isHttpUrl(r) ? `- [${escapeMarkdown(r)}](<${r}>)` : `- ${escapeMarkdown(r)}`,
  );
}

/** `help.markdown`: what the rule checks, how to fix it, the commands as code, the references. */
export function helpMarkdown(rule: DescriptorSource, failOn: FailOn): string {
  const effect = decides(rule, failOn)
    ? 'blocks the account when it fails or cannot be determined'
    : 'reported, does not block the account';
  const lines = [`**${escapeMarkdown(rule.title)}** (${rule.severity}: ${effect})`];
  if (rule.description !== undefined && rule.description !== rule.title) {
    lines.push('', escapeMarkdown(rule.description));
  }
  if (rule.remediation !== undefined && rule.remediation !== '') {
    const { prose, commands } = remediationMarkdown(rule.remediation);
    lines.push('', '**Remediation**', '', prose);
    if (commands.length > 0) {
      lines.push('', '**Commands**');
      for (const command of commands) lines.push('', codeFence(command));
    }
  }
  const references = rule.references ?? [];
  if (references.length > 0)
    lines.push('', '**References**', '', ...referencesMarkdown(references));
  return lines.join('\n');
}

/** `help.text`: the same as plain text (SARIF viewers without Markdown). */
export function helpText(rule: DescriptorSource): string {
  const lines = [rule.remediation ?? rule.title];
  const references = rule.references ?? [];
  if (references.length > 0) lines.push('', 'References:', ...references.map((r) => `- ${r}`));
  return lines.join('\n');
}

/**
 * Tags GitHub filters by. `security` makes GitHub use `security-severity`
 * (DESIGN: leaving is a security-governance change); at most 20, unique.
 */
export function ruleTags(rule: DescriptorSource): string[] {
  const tags = ['security', 'aws-organizations', 'leavegate', rule.severity];
  if (rule.pack !== undefined) tags.push(codeLine(rule.pack).slice(0, 100));
  return [...new Set(tags.filter((t) => t !== ''))].slice(0, MAX_TAGS_PER_RULE);
}

/** The SARIF descriptor of `rule`; its default level follows whether it decides under `failOn`. */
export function descriptor(rule: DescriptorSource, failOn: FailOn): ReportingDescriptor {
  const d: ReportingDescriptor = {
    id: rule.id,
    name: limit(pascalCase(rule.id) || rule.id, MAX_RULE_NAME),
    shortDescription: { text: limit(rule.title, MAX_DESCRIPTION) },
    fullDescription: { text: limit(rule.description ?? rule.title, MAX_DESCRIPTION) },
    help: { text: helpText(rule), markdown: helpMarkdown(rule, failOn) },
    defaultConfiguration: { level: decides(rule, failOn) ? 'error' : 'warning' },
    properties: {
      tags: ruleTags(rule),
      'security-severity': SECURITY_SEVERITY[rule.severity],
      // The checks read exact facts (or say unknown): a result is never a guess.
      precision: 'very-high',
      severity: rule.severity,
      ...(rule.pack === undefined ? {} : { pack: rule.pack }),
      ...(rule.references === undefined ? {} : { references: rule.references }),
    },
  };
  const helpUri = rule.references?.find(isHttpUrl);
  if (helpUri !== undefined) d.helpUri = helpUri;
  return d;
}
