/** Number formatting shared by the human-facing formats, so HTML and Markdown print counts alike. */

/** A count with thousands separators, locale fixed so reports do not depend on the machine. */
export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
