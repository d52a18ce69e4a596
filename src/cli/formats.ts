/**
 * The report format names as the command line knows them, without loading
 * the renderers (src/report/write.ts): `--help` and argument checks must not
 * pay for every report producer at start. The types below fail the build
 * when this list and REPORT_FORMATS disagree.
 */
import type { ReportFormat } from '../report/write.js';

export const FORMAT_NAMES = [
  'json',
  'html',
  'junit',
  'sarif',
  'md',
] as const satisfies readonly ReportFormat[];

type Missing = Exclude<ReportFormat, (typeof FORMAT_NAMES)[number]>;
/** Compile-time: every ReportFormat is listed (an unlisted one makes this `never`). */
export const FORMAT_NAMES_COMPLETE: [Missing] extends [never] ? true : never = true;

/** Formats `--out -` can write to stdout: one text document each (html is a page to open, not to pipe). */
export const STDOUT_FORMATS = ['json', 'sarif', 'junit', 'md'] as const;

export function isFormatName(name: string): name is ReportFormat {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}
