/**
 * One `check` run in a fresh process (so its peak RSS is its own): load and
 * validate the snapshot and attestations, evaluate, write report.json.
 * Prints one JSON line with the timings.
 */
import { evaluateSnapshot, loadGateConfig } from '../src/check.js';
import { writeReports } from '../src/report/write.js';
import { loadSnapshotFile } from '../src/snapshot/load.js';

const [snapshotFile, attestationsFile, outDir] = process.argv.slice(2);
if (snapshotFile === undefined || attestationsFile === undefined || outDir === undefined) {
  throw new Error('usage: check-child SNAPSHOT ATTESTATIONS OUTDIR');
}
const t0 = performance.now();
const config = await loadGateConfig({ attestationsFile });
const { snapshot, sha256 } = await loadSnapshotFile(snapshotFile);
const t1 = performance.now();
const report = await evaluateSnapshot(snapshot, sha256, config);
const t2 = performance.now();
await writeReports(report, { formats: ['json'], outDir });
const t3 = performance.now();
console.log(
  JSON.stringify({
    accounts: report.summary.accounts,
    summary: report.summary,
    loadMs: t1 - t0,
    evaluateMs: t2 - t1,
    writeMs: t3 - t2,
    totalMs: t3 - t0,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
