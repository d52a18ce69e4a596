/**
 * Report rendering benchmark: time to render report.json and report.html for
 * a given report, and the size of the HTML. bench/run.ts builds the report.
 */
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
  console.log(`  report.html size: ${mb(html.value)} MB`);
  await Promise.resolve();
}
