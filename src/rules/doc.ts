/**
 * Markdown pages for rules (`leavegate rules doc`): one page per rule — id,
 * title, severity, description, the facts it reads, its conditions in words
 * (rendered from the condition tree), remediation with its commands as code
 * blocks, references as titled links, whether it can be waived — and an
 * index. Pure string producers: every text of a rule is escaped for Markdown
 * (a rule pack is input, and a title must not turn into a heading or a link).
 */
import { withoutControls } from '../text.js';
import type { LoadedRule } from './types.js';

/** A rule as documented: where it is loaded and how each pack weighs it. */
export interface DocumentedRule {
  rule: LoadedRule;
  /** Packs that load it (a shared file is in several). */
  packs: string[];
  /** Severity where a mode differs from the rule file (`"a transfer check": "warning"`). */
  severityOverrides?: Record<string, string>;
}

/** Escapes text for a Markdown paragraph, list item or table cell (one line). */
export function mdText(value: string): string {
  const line = withoutControls(value.replace(/\r\n|[\r\n\u2028\u2029\u0085\v\f\t]/g, ' '));
  const escaped = line
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);
  // A leading marker would start a heading, list, quote or rule.
  return /^(?:[#+\-=]|\d+[.)])/.test(escaped) ? `\\${escaped}` : escaped;
}

/** `value` as an inline code span, whatever backticks it holds. */
export function codeSpan(value: string): string {
  const text = withoutControls(value.replace(/\r\n|[\r\n\u2028\u2029\u0085\v\f\t]/g, ' '));
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** `value` as a fenced code block. */
export function codeBlock(value: string, lang = ''): string {
  const text = withoutControls(value.replace(/\r\n|[\r\n\u2028\u2029\u0085\v\f\t]/g, ' '));
  const longest = Math.max(0, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text}\n${fence}`;
}

/** Prose with `code` spans kept as code (and everything else escaped). */
function prose(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) =>
      part.startsWith('`') && part.endsWith('`') && part.length >= 2
        ? codeSpan(part.slice(1, -1))
        : mdText(part),
    )
    .join('');
}

/** The shell commands quoted in a text (`aws ...` code spans), in order, once each. */
export function commandsIn(text: string): string[] {
  const found = [...text.matchAll(/`(aws [^`]+)`/g)].map((m) => m[1] ?? '');
  return [...new Set(found)];
}

const GUIDES: Readonly<Record<string, string>> = {
  userguide: 'User Guide',
  APIReference: 'API Reference',
  reference: 'Reference',
};

/** A title for a reference URL: the AWS guide and page for AWS docs, else host and path. */
export function referenceTitle(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  const parts = u.pathname.split('/').filter((p) => p !== '');
  const page = (parts.at(-1) ?? '').replace(/\.html?$/, '');
  if (u.hostname === 'docs.aws.amazon.com' && parts.length >= 2) {
    const service = (parts[0] ?? '').replace(
      /(^|[-_])(\w)/g,
      (_m, _s, c: string) => ` ${c.toUpperCase()}`,
    );
    const guide = parts.map((p) => GUIDES[p]).find((g) => g !== undefined) ?? 'documentation';
    const pageTitle = page.replace(/^API_/, '').replace(/[_-]+/g, ' ').trim();
    return `AWS${service} ${guide}${pageTitle === '' ? '' : `: ${pageTitle}`}`;
  }
  return `${u.hostname}${u.pathname === '/' ? '' : u.pathname}`;
}

/** `[title](url)`, with the URL's parentheses and spaces encoded so it stays one link. */
export function link(title: string, url: string): string {
  // encodeURIComponent leaves ( ) alone: percent-encode by code point.
  const safe = url.replace(
    /[()\s<>`"]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return /^https?:\/\//i.test(url) ? `[${mdText(title)}](${safe})` : mdText(url);
}

function page(d: DocumentedRule, conditions: string): string {
  const r = d.rule;
  const severity = Object.entries(d.severityOverrides ?? {})
    .map(([where, s]) => `; ${mdText(s)} in ${mdText(where)}`)
    .join('');
  const facts = r.facts.map((f) => `- ${codeSpan(f)}`).join('\n');
  const commands = commandsIn(r.remediation).map((c) => codeBlock(c, 'sh'));
  const refs = r.references.map((u) => `- ${link(referenceTitle(u), u)}`).join('\n');
  return [
    `# ${codeSpan(r.id)}: ${mdText(r.title)}`,
    '',
    `- **Severity:** ${mdText(r.severity)}${severity}`,
    `- **Pack:** ${d.packs.map(codeSpan).join(', ')}`,
    `- **Waivable:** ${r.waivable ? 'yes (with a waiver naming an owner and an expiry)' : 'no (a precondition AWS itself enforces)'}`,
    '',
    '## Description',
    '',
    prose(r.description),
    ...(r.rationale === undefined ? [] : ['', '## Why', '', prose(r.rationale)]),
    '',
    '## Facts read',
    '',
    facts,
    '',
    'If any of them is unknown (not collected, not attested), the rule is `unknown`, never `pass`.',
    '',
    '## Passes when',
    '',
    conditions,
    '',
    '## Remediation',
    '',
    prose(r.remediation),
    ...(commands.length === 0 ? [] : ['', 'Commands:', '', commands.join('\n\n')]),
    '',
    '## References',
    '',
    refs,
    '',
  ].join('\n');
}

/** The Markdown page of one rule. */
export function renderRulePage(d: DocumentedRule, conditionsInWords: string): string {
  return page(d, conditionsInWords);
}

/** The index page: every rule with its title, severity, packs and waivability, linked to its page. */
export function renderIndex(rules: readonly DocumentedRule[]): string {
  // A list, not a table: it reads the same raw and rendered, and formatters leave it alone.
  const items = rules.map(
    (d) =>
      `- [${codeSpan(d.rule.id)}](${encodeURIComponent(d.rule.id)}.md): ${mdText(d.rule.title)} (${mdText(d.rule.severity)}; ${d.packs.map(codeSpan).join(', ')}; ${d.rule.waivable ? 'waivable' : 'cannot be waived'})`,
  );
  return [
    '# Rules',
    '',
    'One page per rule: what it checks, the facts it reads, its conditions in words, how to fix a failure. Written by `leavegate rules doc`; do not edit by hand.',
    '',
    ...items,
    '',
  ].join('\n');
}
