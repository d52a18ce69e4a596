/**
 * Untrusted text (account names, tags, rule titles, AWS messages) bound for a
 * terminal. Every control character — C0 (line feed, carriage return and tab
 * included), DEL, C1 — every Unicode line or paragraph separator and every
 * bidirectional override or isolate is shown as a visible escape, so the text
 * can neither move the cursor, recolour, forge a line of its own ("4
 * accounts: 4 ready") nor reorder what is displayed.
 */
import { redactSecrets } from './secrets.js';

/* eslint-disable no-control-regex -- matching control characters is the point */
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/* eslint-enable no-control-regex */

function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of untrusted text, safe for a terminal. */
export function printable(text: string): string {
  return redactSecrets(text).replace(UNSAFE, visible);
}

/**
 * Text leavegate itself put on several lines (an error listing one problem
 * per line, a stack trace): each line is made printable on its own, so the
 * line breaks stay while no line can carry control characters.
 */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

/** Characters that must not reach a text report raw (Markdown): controls other than line breaks, bidi overrides. */
/* eslint-disable no-control-regex -- as above */
const REPORT_UNSAFE =
  /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/* eslint-enable no-control-regex */

/** Untrusted text for a text file someone may `cat`: control characters become visible escapes. */
export function withoutControls(text: string): string {
  return text.replace(REPORT_UNSAFE, visible);
}
