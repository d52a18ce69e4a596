/**
 * Untrusted text (account names, tags, AWS messages) bound for a terminal:
 * control characters are replaced so the text cannot move the cursor,
 * recolour or rewrite what was printed.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}
