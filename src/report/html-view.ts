/**
 * What report.html shows of each value, computed once for both renderers
 * (the server's first page and the page script's other pages), so the two
 * cannot drift apart: strings clipped, prose split from code, timestamps in
 * the one display format, OU names beside ids, references with titles.
 */
import { clip } from './escape.js';
import { codeSegments, formatTimestamp, humanTimes, referenceTitle } from './html-text.js';

/** Prose and code alternating (even: prose, odd: code), clipped, timestamps formatted in prose. */
export function rich(value: string): string[] {
  return codeSegments(clip(value)).map((s, i) => (i % 2 === 0 ? humanTimes(s) : s));
}

/** A plain value as shown (clipped). */
export function shown(value: string): string {
  return clip(value);
}

/** Timestamps already shown: a report's attestations and waivers repeat a few dates thousands of times. */
const shownTimes = new Map<string, string>();
const SHOWN_TIMES_MAX = 10_000;

/** A timestamp as shown. */
export function shownTime(value: string): string {
  let out = shownTimes.get(value);
  if (out === undefined) {
    out = clip(formatTimestamp(value));
    if (shownTimes.size >= SHOWN_TIMES_MAX) shownTimes.clear();
    shownTimes.set(value, out);
  }
  return out;
}

/** A prose value with its timestamps formatted (notes, waiver reasons). */
export function shownText(value: string): string {
  return humanTimes(clip(value));
}

/** A reference as shown: `[url, title]`; only http(s) URLs become links. */
export function shownReference(url: string): [string, string] {
  return [shown(url), shown(referenceTitle(url))];
}
