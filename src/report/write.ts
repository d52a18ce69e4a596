/**
 * The one effectful step of reporting: render every requested format first
 * (pure, may throw), then write each file atomically (temp file + rename), so
 * a failing run never leaves a half-written or clobbered report behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { LeavegateError } from '../errors.js';
import { renderHtml } from './html.js';
import { assertValidReport, renderJson, renderJsonChunks } from './json.js';
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
  // Validation is the gate for every format: nothing is written from a report
  // that violates the contract. Then every other format is rendered before
  // anything is written; JSON is streamed (the same bytes as renderJson).
  assertValidReport(report);
  const rendered = new Map<ReportFormat, string | undefined>();
  for (const format of formats) {
    rendered.set(format, format === 'json' ? undefined : renderReport(report, format));
  }
  const written: string[] = [];
  try {
    await mkdir(options.outDir, { recursive: true });
    for (const [format, content] of rendered) {
      const path = join(options.outDir, REPORT_FILES[format]);
      if (content === undefined) await writeChunksAtomic(path, renderJsonChunks(report));
      else await writeFileAtomic(path, content, { encoding: 'utf8' });
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

/**
 * Writes chunks to a temporary file beside `path`, fsyncs and renames it over
 * `path`: readers see the old file or the complete new one, never a part.
 */
async function writeChunksAtomic(path: string, chunks: Iterable<string>): Promise<void> {
  const tmp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const fh = await open(tmp, 'wx', 0o644);
  try {
    let buffer: string[] = [];
    let size = 0;
    for (const chunk of chunks) {
      buffer.push(chunk);
      size += chunk.length;
      if (size >= 1 << 20) {
        await fh.write(buffer.join(''));
        buffer = [];
        size = 0;
      }
    }
    if (buffer.length > 0) await fh.write(buffer.join(''));
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
