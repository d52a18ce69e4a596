/**
 * Escaping for the text formats. Every string in a report may come from the
 * organization itself (account names, tags), from a plugin, or from a policy
 * document, so every renderer treats every string as untrusted.
 */
import escapeHtmlText from 'escape-html';
import { withoutControls } from '../text.js';

/**
 * The most characters the human formats (HTML, Markdown) show of any one
 * string: a 10 MB account name costs seconds and gigabytes to render and
 * helps nobody read. The full value stays in report.json.
 */
export const MAX_SHOWN_CHARS = 2000;

/** `value`, or its first MAX_SHOWN_CHARS characters and how much was left out. */
export function clip(value: string): string {
  if (value.length <= MAX_SHOWN_CHARS) return value;
  return `${value.slice(0, MAX_SHOWN_CHARS)}… (${value.length - MAX_SHOWN_CHARS} more characters; the full value is in report.json)`;
}

/** Escapes `& < > " '` for HTML text and double- or single-quoted attribute values (clipped). */
export function escapeHtml(value: string): string {
  return escapeHtmlText(clip(value));
}

const SCRIPT_UNSAFE: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON that can sit inside a `<script>` element: `<`, `>` and `&` become
 * `\u003c`-style escapes (so no `</script>` or `<!--` can end or alter the
 * element) and U+2028/U+2029 are escaped for engines that treat them as line
 * terminators. The result still parses with JSON.parse to the same value.
 */
export function jsonForScript(value: unknown): string {
  // Strings clipped as everywhere in HTML: the page's data island is shown, not archived.
  const clipped = (_key: string, v: unknown): unknown => (typeof v === 'string' ? clip(v) : v);
  return JSON.stringify(value, clipped).replace(/[<>&\u2028\u2029]/g, (c) => SCRIPT_UNSAFE[c] ?? c);
}

// Every ASCII punctuation character that CommonMark or GFM gives a meaning to
// somewhere (emphasis, links, code, tables, headings, lists, autolinks,
// strikethrough). CommonMark allows a backslash before any ASCII punctuation,
// so over-escaping is harmless while under-escaping is not.
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|~:]/g;
const HTML_IN_MARKDOWN: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

/**
 * Escapes an untrusted string for inline Markdown (a paragraph, list item or
 * GFM table cell): line breaks become spaces (a newline could end a table row
 * or start a heading), HTML-significant characters become entities (raw HTML
 * is passed through by most renderers), and Markdown punctuation is
 * backslash-escaped (including `|`, which would split a table cell).
 */
export function escapeMarkdown(value: string): string {
  return withoutControls(clip(value).replace(/\r\n|[\r\n\u2028\u2029\u0085\v\f\t]/g, ' '))
    .replace(/[&<>"]/g, (c) => HTML_IN_MARKDOWN[c] ?? c)
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

/** True for an absolute http(s) URL, the only kind rendered as a link. */
export function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s"'<>`]+$/i.test(value);
}

/**
 * Escapes `& < > " '` for HTML like escapeHtml, without clipping: for values
 * already clipped as shown (html-view.ts), which clipping again would change.
 */
export function escapeHtmlShown(value: string): string {
  return escapeHtmlText(value);
}

/** jsonForScript without clipping: for data whose strings are already clipped as shown. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => SCRIPT_UNSAFE[c] ?? c);
}

// What Markdown needs escaped in running text, and nothing more, so the raw
// file stays readable: backslash, code, emphasis (`*`; `_` unless inside a
// word, where CommonMark ignores it), link and footnote brackets, table pipes,
// strikethrough, math, raw HTML (`<`, `>`, and `&` only where it would start
// an entity), and the three autolink triggers of GFM (`://`, `www.`, `@`).
const MARKDOWN_NEEDED =
  /[\\`*[\]|~$@<>]|&(?=#?[A-Za-z0-9]+;)|_(?![A-Za-z0-9])|(?<![A-Za-z0-9])_|:(?=\/\/)|(?<=\bwww)\./gi;

function markdownInline(flat: string): string {
  const escaped = flat.replace(MARKDOWN_NEEDED, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`,
  );
  // At the start of a line or list item these would open a block: heading,
  // quote, list, setext underline, ordered list, indented code.
  return escaped
    .replace(/^[#+=-]/, (c) => `\\${c}`)
    .replace(/^(\d+)([.)])/, '$1\\$2')
    .replace(/^ +/, (s) => '&#32;'.repeat(s.length));
}

function flatten(value: string): string {
  return withoutControls(value.replace(/\r\n|[\r\n\u2028\u2029\u0085\v\f\t]/g, ' '));
}

/**
 * Escapes an untrusted string for inline Markdown (a paragraph, list item or
 * GFM table cell) with only the escapes Markdown needs, so it reads as
 * written: line breaks become spaces, no raw HTML, no emphasis, no link,
 * image or autolink, no `|` that splits a table cell, no block started.
 */
export function markdownText(value: string): string {
  return markdownInline(flatten(clip(value)));
}

/** markdownText for text that continues a line (after other inline text): no block-start escapes. */
export function markdownTextInline(value: string): string {
  return flatten(clip(value)).replace(MARKDOWN_NEEDED, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`,
  );
}

/**
 * `value` as one Markdown code span: a fence one backtick longer than any
 * run of backticks inside, padded with a space where the content starts or
 * ends with a backtick (CommonMark strips one such space). Line breaks
 * become spaces; nothing inside a code span is markup.
 */
export function markdownCode(value: string): string {
  const flat = flatten(value);
  if (flat.trim() === '') return markdownInline(flat);
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(flat) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
