/**
 * The one effectful step of reporting: render every requested format (pure,
 * may throw) into a temporary file of its own, the files side by side, and
 * only when all of them are whole rename them all into place, so a failing
 * run never leaves a half-written report, nor a mix of new and old ones, behind.
 */
import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { LeavegateError } from '../errors.js';
import { commitStaged, discardStaged, removeOnInterrupt, stageFile } from '../write-file.js';
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

function writeFailed(outDir: string, cause: unknown): LeavegateError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new LeavegateError('io.failed', `${outDir}: cannot write reports: ${message}`, { cause });
}

/**
 * Renames every staged file into place as one set. The files being replaced
 * are first kept under a backup name (a hard link); if any rename fails, the
 * ones already replaced are restored from their backups and the rest are
 * discarded, so the directory shows the previous set exactly as it was.
 */
async function replaceAll(staged: { tmp: string; path: string }[], outDir: string): Promise<void> {
  const backups: { path: string; backup: string | undefined }[] = [];
  try {
    for (const { path } of staged) {
      const backup = `${path}.${process.pid}.bak`;
      await unlink(backup).catch(() => undefined);
      const kept = await link(path, backup).then(
        () => true,
        (err: unknown) => {
          if ((err as { code?: unknown }).code === 'ENOENT') return false;
          throw err;
        },
      );
      backups.push({ path, backup: kept ? backup : undefined });
    }
    const done: { path: string; backup: string | undefined }[] = [];
    try {
      for (const [i, { tmp, path }] of staged.entries()) {
        await commitStaged(tmp, path);
        done.push(backups[i]!);
      }
    } catch (cause) {
      for (const { path, backup } of done) {
        if (backup !== undefined) await rename(backup, path).catch(() => undefined);
        else await unlink(path).catch(() => undefined);
      }
      throw cause;
    }
  } catch (cause) {
    await Promise.all(staged.map(({ tmp }) => discardStaged(tmp)));
    throw writeFailed(outDir, cause);
  } finally {
    for (const { backup } of backups)
      if (backup !== undefined) await unlink(backup).catch(() => undefined);
  }
}

/**
 * Renders every requested format and writes them into `outDir` (created if
 * missing). The JSON report is always validated first, even when it is not
 * requested, so no format is written from a report that violates the
 * contract. Every file is first written whole to a temporary file beside its
 * target; only when all of them are on disk are they renamed into place, so a
 * write that fails (disk full, permissions) leaves the previous set of reports
 * as it was — never a new report.json beside an old report.html that still
 * calls a now-blocked account ready. Returns the paths written, in `formats` order.
 * @throws InputError `report.invalid` when the report fails validation (nothing is written);
 *   LeavegateError `io.failed` when a file cannot be written (no file is partial, no temporary file is left).
 */
export async function writeReports(
  report: Report,
  options: WriteReportsOptions,
): Promise<string[]> {
  const formats = [...new Set(options.formats)];
  // Validation is the gate for every format: nothing is written from a report
  // that violates the contract. JSON is streamed (the same bytes as renderJson).
  assertValidReport(report);
  // Each format is rendered as its file is written, and the files are written
  // side by side: one format's rendering overlaps another's writes and fsync.
  // A rendering error is rethrown as it is (nothing is written from it); only
  // file errors become io.failed.
  let renderError: { error: unknown } | undefined;
  const source = function* (format: ReportFormat): Generator<string> {
    try {
      if (format === 'json') yield* renderJsonChunks(report);
      else yield renderReport(report, format);
    } catch (error) {
      renderError ??= { error };
      throw error;
    }
  };
  try {
    await mkdir(options.outDir, { recursive: true });
  } catch (cause) {
    throw writeFailed(options.outDir, cause);
  }
  // One run publishes into a directory at a time: two at once would mix their sets.
  const release = await lockOutDir(options.outDir);
  try {
    const settled = await Promise.allSettled(
      formats.map(async (format) => {
        const path = join(options.outDir, REPORT_FILES[format]);
        return { tmp: await stageFile(path, source(format)), path };
      }),
    );
    const staged = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed !== undefined) {
      await Promise.all(staged.map(({ tmp }) => discardStaged(tmp)));
      if (renderError !== undefined) throw renderError.error;
      throw writeFailed(options.outDir, failed.reason);
    }
    await replaceAll(staged, options.outDir);
    return staged.map(({ path }) => path);
  } finally {
    await release();
  }
}

/** The lock file another run holds while it writes reports into the directory. */
export const LOCK_FILE = '.leavegate.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: unknown }).code === 'EPERM';
  }
}

/**
 * Takes the output directory's lock (created exclusively, holding our pid).
 * A lock whose process is gone is stale and taken over; a live one is an
 * error naming that run (exit 2), never a wait that could hang.
 */
async function lockOutDir(outDir: string): Promise<() => Promise<void>> {
  const file = join(outDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(file, 'wx', 0o644);
      const forget = removeOnInterrupt(file);
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      return async () => {
        forget();
        await unlink(file).catch(() => undefined);
      };
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'EEXIST') throw writeFailed(outDir, err);
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new LeavegateError(
          'io.failed',
          `${outDir}: another leavegate run (pid ${pid}) is writing reports here: wait for it, or use another --out`,
        );
      }
      await unlink(file).catch(() => undefined);
    }
  }
  throw new LeavegateError('io.failed', `${outDir}: cannot take the lock ${file}`);
}
