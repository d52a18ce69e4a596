import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, LeavegateError } from '../../src/errors.js';
import {
  REPORT_FILES,
  REPORT_FORMATS,
  isReportFormat,
  renderJson,
  writeReports,
} from '../../src/report/index.js';
import type { Report } from '../../src/report/types.js';
import { hostileReport } from './fixtures.js';

describe('writeReports', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'leavegate-reports-'));
  });
  afterEach(() => {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every format under its contract file name', async () => {
    const out = join(dir, 'nested', 'reports');
    const written = await writeReports(hostileReport(), { formats: REPORT_FORMATS, outDir: out });
    expect(written).toEqual(REPORT_FORMATS.map((f) => join(out, REPORT_FILES[f])));
    expect(readdirSync(out).sort()).toEqual(
      ['report.html', 'report.json', 'report.junit.xml', 'report.md', 'report.sarif'].sort(),
    );
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe(renderJson(hostileReport()));
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('writes only the requested formats', async () => {
    await writeReports(hostileReport(), { formats: ['json', 'json', 'md'], outDir: dir });
    expect(readdirSync(dir).sort()).toEqual(['report.json', 'report.md']);
  });

  it('leaves existing reports untouched when the report is invalid', async () => {
    const previous = '{"previous":true}\n';
    writeFileSync(join(dir, 'report.json'), previous);
    writeFileSync(join(dir, 'report.html'), '<p>previous</p>');
    const bad = structuredClone<Report>(hostileReport());
    bad.accounts[0]!.verdict = 'ready';
    await expect(writeReports(bad, { formats: ['json', 'html'], outDir: dir })).rejects.toThrow(
      InputError,
    );
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe(previous);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe('<p>previous</p>');
    // No temp file left behind either.
    expect(readdirSync(dir).sort()).toEqual(['report.html', 'report.json']);
  });

  it('validates the report even when JSON is not requested', async () => {
    const bad = structuredClone<Report>(hostileReport());
    bad.summary.blocked = 7;
    await expect(writeReports(bad, { formats: ['html'], outDir: dir })).rejects.toMatchObject({
      code: 'report.invalid',
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports an unwritable directory as io.failed and keeps the old file whole', async () => {
    if (process.getuid?.() === 0) {
      // root ignores directory permissions: make the target a directory instead of a file.
      const { mkdirSync } = await import('node:fs');
      mkdirSync(join(dir, 'report.json'));
    } else {
      writeFileSync(join(dir, 'report.json'), 'old');
      chmodSync(dir, 0o555);
    }
    const error = await writeReports(hostileReport(), { formats: ['json'], outDir: dir }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LeavegateError);
    expect((error as LeavegateError).code).toBe('io.failed');
    expect((error as LeavegateError).message).toContain(dir);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('knows its format names', () => {
    expect(REPORT_FORMATS).toEqual(['json', 'html', 'junit', 'sarif', 'md']);
    expect(isReportFormat('sarif')).toBe(true);
    expect(isReportFormat('pdf')).toBe(false);
  });

  it('a rename that fails leaves the previous report set exactly as it was, and no temporary file', async () => {
    const { mkdirSync } = await import('node:fs');
    await writeReports(hostileReport(), { formats: ['json', 'md'], outDir: dir });
    const before = {
      json: readFileSync(join(dir, 'report.json'), 'utf8'),
      md: readFileSync(join(dir, 'report.md'), 'utf8'),
    };
    // The third target cannot be replaced (a directory stands in its place).
    mkdirSync(join(dir, 'report.sarif', 'x'), { recursive: true });
    const changed = { ...hostileReport(), generatedAt: '2030-01-01T00:00:00.000Z' };
    await expect(
      writeReports(changed, { formats: ['json', 'md', 'sarif'], outDir: dir }),
    ).rejects.toThrow(/cannot write reports/);
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe(before.json);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toBe(before.md);
    expect(readdirSync(dir).sort()).toEqual(['report.json', 'report.md', 'report.sarif']);
  });

  it('a format whose rendering throws while the others are being written: the error itself, the previous set untouched', async () => {
    await writeReports(hostileReport(), { formats: ['json', 'md', 'html'], outDir: dir });
    const before = ['report.json', 'report.md', 'report.html'].map((f) =>
      readFileSync(join(dir, f), 'utf8'),
    );
    const changed = structuredClone<Report>(hostileReport());
    // Valid to the schema (evidence is open), but JSON.stringify — used by the
    // JSON and HTML renderers, not by Markdown — throws on it.
    Object.assign(changed.accounts[0]!.rules[0]!.evidence, {
      toJSON: () => {
        throw new Error('render failed part-way');
      },
    });
    const error = await writeReports(changed, {
      formats: ['md', 'json', 'html'],
      outDir: dir,
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('render failed part-way');
    expect(error).not.toBeInstanceOf(LeavegateError);
    expect(
      ['report.json', 'report.md', 'report.html'].map((f) => readFileSync(join(dir, f), 'utf8')),
    ).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['report.html', 'report.json', 'report.md']);
  });

  it('a live run holding the directory lock: exit-2 error naming it, nothing replaced; a stale lock is taken over', async () => {
    await writeReports(hostileReport(), { formats: ['json'], outDir: dir });
    const before = readFileSync(join(dir, 'report.json'), 'utf8');
    // Our parent process is alive for the whole test: a lock in its name is held.
    writeFileSync(join(dir, '.leavegate.lock'), `${process.ppid}\n`);
    const changed = { ...hostileReport(), generatedAt: '2030-01-01T00:00:00.000Z' };
    await expect(writeReports(changed, { formats: ['json'], outDir: dir })).rejects.toThrow(
      new RegExp(`another leavegate run \\(pid ${process.ppid}\\) is writing reports here`),
    );
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe(before);
    // No such process: the lock is stale.
    writeFileSync(join(dir, '.leavegate.lock'), '2147483646\n');
    await writeReports(changed, { formats: ['json'], outDir: dir });
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).not.toBe(before);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });
});
