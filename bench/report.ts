/**
 * Report rendering benchmark: time to render report.json and report.html for
 * a given report, the size of the HTML (target < 5 MB for 10,000 accounts)
 * and how long Chromium takes to make it interactive (target < 2 s: from
 * navigation start to the page script's `lg-ready` mark, then a verdict
 * filter applied). bench/run.ts builds the report.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { renderHtml } from '../src/report/html.js';
import { renderJson } from '../src/report/json.js';
import { renderJunit } from '../src/report/junit.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { renderSarif } from '../src/report/sarif.js';
import type { Report } from '../src/report/types.js';

function time<T>(fn: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = fn();
  return { value, ms: performance.now() - started };
}

function mb(s: string): string {
  return (Buffer.byteLength(s, 'utf8') / (1024 * 1024)).toFixed(2);
}

/**
 * Prints render time and output size of every report format for `report`
 * (JSON includes schema validation; HTML size is the headline number for
 * "opens in a browser").
 */
export async function runReportBench(report: Report): Promise<void> {
  const n = report.accounts.length.toLocaleString('en-US');
  const rows: [string, number, string][] = [];
  const json = time(() => renderJson(report));
  rows.push(['json (validated)', json.ms, mb(json.value)]);
  const html = time(() => renderHtml(report));
  rows.push(['html', html.ms, mb(html.value)]);
  const junit = time(() => renderJunit(report));
  rows.push(['junit', junit.ms, mb(junit.value)]);
  const sarif = time(() => renderSarif(report));
  rows.push(['sarif', sarif.ms, mb(sarif.value)]);
  const md = time(() => renderMarkdown(report));
  rows.push(['md', md.ms, mb(md.value)]);
  console.log(`report rendering, ${n} accounts:`);
  for (const [format, ms, size] of rows) {
    console.log(`  ${format.padEnd(17)} ${ms.toFixed(0).padStart(6)} ms  ${size.padStart(7)} MB`);
  }
  console.log(`  report.html size: ${mb(html.value)} MB (target < 5 MB at 10,000 accounts)`);
  await browserBench(html.value, n);
}

const CHROMIUM = '/usr/bin/chromium';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * Opens `html` in Chromium five times: interactive = navigation start to the
 * script's `lg-ready` mark (data parsed, first page rendered, controls
 * live); filter = selecting a verdict until the status line shows the
 * result. Prints medians.
 */
async function browserBench(html: string, n: string): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`  Chromium interactive: skipped (${CHROMIUM} not found)`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'leavegate-bench-html-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const ready: number[] = [];
  const filter: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await page.locator('html[data-lg-ready]').waitFor({ state: 'attached' });
      ready.push(
        await page.evaluate(() => performance.getEntriesByName('lg-ready')[0]?.startTime ?? NaN),
      );
      const t0 = performance.now();
      await page.selectOption('#lg-verdict', 'unknown');
      await page.locator('#lg-status', { hasText: /matching|No account/ }).waitFor();
      filter.push(performance.now() - t0);
      await page.close();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `  Chromium, ${n} accounts: interactive ${median(ready).toFixed(0)} ms after navigation start, a filter ${median(filter).toFixed(0)} ms (median of 5; target < 2 s)`,
  );
}
