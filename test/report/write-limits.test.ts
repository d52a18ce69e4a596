/**
 * writeReports when the disk stops taking bytes part-way through. A child
 * process runs the built writer under a file-size limit (`ulimit -f`): the
 * kernel writes up to the limit and returns a short count, then refuses with
 * EFBIG — the same shape as a disk that fills up mid-write.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportFormat } from '../../src/report/write.js';
import { builtModule, runUnderFileSizeLimit } from '../snapshot/file-size-limit.js';
import { largeReport } from './fixtures.js';

// 64 KiB: report.md of 50 accounts (~5 KB) fits, report.json and report.html
// (~400 KB each) do not, and report.json is still a single write call.
const LIMIT_KIB = 64;

/** writeReports in a child under the limit: 'ok' or the error code. */
function writeUnderLimit(dir: string, formats: ReportFormat[]): string {
  const reportFile = join(dir, 'input.json');
  writeFileSync(reportFile, JSON.stringify(largeReport(50)));
  return runUnderFileSizeLimit(
    LIMIT_KIB,
    `const { readFileSync } = await import('node:fs');
    const { writeReports } = await import(${builtModule('report/write.js')});
    const report = JSON.parse(readFileSync(${JSON.stringify(reportFile)}, 'utf8'));
    const outDir = ${JSON.stringify(join(dir, 'out'))};
    await writeReports(report, { formats: ${JSON.stringify(formats)}, outDir }).then(
      () => console.log('ok'),
      (e) => console.log(e.code),
    );`,
  );
}

describe('writeReports under a file-size limit', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'leavegate-write-limit-'));
    const out = join(dir, 'out');
    // The previous run's reports, which a failed write must leave as they are.
    mkdirSync(out);
    writeFileSync(join(out, 'report.json'), 'previous json');
    writeFileSync(join(out, 'report.md'), 'previous md');
    writeFileSync(join(out, 'report.html'), 'previous html');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('a short write is an error, never a truncated report.json in place', () => {
    expect(writeUnderLimit(dir, ['json'])).toBe('io.failed');
    expect(readFileSync(join(dir, 'out', 'report.json'), 'utf8')).toBe('previous json');
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([
      'report.html',
      'report.json',
      'report.md',
    ]);
  });

  it('one format that cannot be written leaves every previous report as it was', () => {
    expect(writeUnderLimit(dir, ['md', 'html'])).toBe('io.failed');
    // A new report.md beside the old report.html would describe two different runs.
    expect(readFileSync(join(dir, 'out', 'report.md'), 'utf8')).toBe('previous md');
    expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toBe('previous html');
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([
      'report.html',
      'report.json',
      'report.md',
    ]);
  });

  it('writes everything when it fits', () => {
    expect(writeUnderLimit(dir, ['md'])).toBe('ok');
    expect(readFileSync(join(dir, 'out', 'report.md'), 'utf8')).toMatch(
      /^# leavegate readiness report/,
    );
  });
});
