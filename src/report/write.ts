/**
 * The one effectful step of reporting: render every requested format first
 * (pure, may throw), then write each file atomically (temp file + rename), so
 * a failing run never leaves a half-written or clobbered report behind.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { LeavegateError } from '../errors.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import type { Report } from './types.js';

/** Report formats, as named on the command line (`--format json,html,...`). */
export const REPORT_FORMATS = ['json', 'html', 'junit', 'sarif', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** File name of each format inside the output directory (contract, DESIGN §4.1). */
export const REPORT_FILES: Readonly<Record<ReportFormat, string>> = {
  json: 'report.json',
  html: 'report.html',
  junit: 'report.junit.xml',
  sarif: 'report.sarif',
  md: 'report.md',
};

const RENDERERS: Readonly<Record<ReportFormat, (report: Report) => string>> = {
  json: renderJson,
  html: renderHtml,
  junit: renderJunit,
  sarif: renderSarif,
  md: renderMarkdown,
};

/** True when `name` is a known report format. */
export function isReportFormat(name: string): name is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(name);
}

/** Renders one format (pure). */
export function renderReport(report: Report, format: ReportFormat): string {
  return RENDERERS[format](report);
}

export interface WriteReportsOptions {
  formats: readonly ReportFormat[];
  outDir: string;
}

/**
 * Renders every requested format, then writes them into `outDir` (created if
 * missing). The JSON report is always validated first, even when it is not
 * requested, so no format is written from a report that violates the
 * contract. Returns the paths written, in `formats` order.
 * @throws InputError `report.invalid` when the report fails validation (nothing is written);
 *   LeavegateError `io.failed` when a file cannot be written (earlier files may be new, none is partial).
 */
export async function writeReports(
  report: Report,
  options: WriteReportsOptions,
): Promise<string[]> {
  const formats = [...new Set(options.formats)];
  const rendered = new Map<ReportFormat, string>();
  // JSON first: it is the validation gate for every other format.
  const json = renderJson(report);
  for (const format of formats) {
    rendered.set(format, format === 'json' ? json : renderReport(report, format));
  }
  const written: string[] = [];
  try {
    await mkdir(options.outDir, { recursive: true });
    for (const [format, content] of rendered) {
      const path = join(options.outDir, REPORT_FILES[format]);
      await writeFileAtomic(path, content, { encoding: 'utf8' });
      written.push(path);
    }
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new LeavegateError('io.failed', `${options.outDir}: cannot write reports: ${message}`, {
      cause,
    });
  }
  return written;
}
