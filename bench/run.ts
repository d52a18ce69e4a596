/**
 * `npm run bench`: prints the figures the issues set targets for.
 *  - `check --format json,html` on a generated 10,000-account snapshot, through the CLI
 *    (target < 5 s, peak RSS < 500 MB; median of 3), and accounts/s at 1,000, 10,000
 *    and 50,000 accounts (BENCH_SKIP_50K=1 skips 50,000)
 *  - report rendering for those 10,000 accounts
 *  - the policy evaluator vs iam-simulate (target >= 4x)
 *  - live collection through moto with 20 ms latency per call (BENCH_SKIP_COLLECT=1 skips)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadGateConfig } from '../src/check.js';
import { runRules, type CacheStats } from '../src/engine/evaluate.js';
import { deriveFacts } from '../src/facts/derive.js';
import type { Report } from '../src/report/types.js';
import { generateOrg } from './generate.js';
import { runReportBench } from './report.js';
import { runStartBench } from './start.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const here = fileURLToPath(new URL('.', import.meta.url));
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
/** The sizes whose throughput is printed side by side (linear growth = flat accounts/s). */
const SCALING = [1_000, ACCOUNTS, ...(process.env.BENCH_SKIP_50K === '1' ? [] : [50_000])];

function heading(text: string): void {
  console.log(`\n== ${text}`);
}

/** What bench/check-child.js prints for one `check --format json,html` run. */
interface ChildRun {
  exitCode: number;
  summary: string;
  startMs: number;
  loadMs: number;
  evaluateMs: number;
  writeMs: number;
  totalMs: number;
  maxRssMb: number;
  /** Measured here: spawn to exit. */
  wallMs: number;
  jsonMb: number;
  htmlMb: number;
}

interface Prepared {
  accounts: number;
  dir: string;
  snapshotFile: string;
  attestationsFile: string;
}

const mb = (file: string): number => statSync(file).size / 1e6;
const s = (ms: number): string => (ms / 1000).toFixed(2);
const rate = (accounts: number, ms: number): string =>
  Math.round(accounts / (ms / 1000)).toLocaleString('en-US');

function prepare(accounts: number): Prepared {
  const dir = join(tmpdir(), `leavegate-bench-${process.pid}`, String(accounts));
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const { snapshot, attestations } = generateOrg({ accounts, seed: 42 });
  const snapshotFile = join(dir, 'snapshot.json');
  const attestationsFile = join(dir, 'attestations.json');
  writeFileSync(snapshotFile, JSON.stringify(snapshot));
  writeFileSync(attestationsFile, JSON.stringify(attestations));
  console.log(
    `${accounts.toLocaleString('en-US')} accounts, ${snapshot.organizationalUnits?.length ?? 0} OUs: generated in ${(performance.now() - t0).toFixed(0)} ms (${mb(snapshotFile).toFixed(1)} MB snapshot)`,
  );
  return { accounts, dir, snapshotFile, attestationsFile };
}

function runChild(p: Prepared): ChildRun {
  const out = join(p.dir, 'out');
  const t0 = performance.now();
  // cwd: a directory without leavegate.config.json, so the defaults are measured.
  const stdout = execFileSync(
    process.execPath,
    [join(here, 'check-child.js'), p.snapshotFile, p.attestationsFile, out],
    { encoding: 'utf8', cwd: p.dir, maxBuffer: 64 * 1024 * 1024 },
  );
  const wallMs = performance.now() - t0;
  const run = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildRun;
  return {
    ...run,
    wallMs,
    jsonMb: mb(join(out, 'report.json')),
    htmlMb: mb(join(out, 'report.html')),
  };
}

function phases(r: ChildRun): string {
  return `start ${r.startMs.toFixed(0)} ms, load+validate ${r.loadMs.toFixed(0)} ms, evaluate ${r.evaluateMs.toFixed(0)} ms, write json+html ${r.writeMs.toFixed(0)} ms`;
}

function checkBench(): Report {
  heading(
    `check --format json,html: ${ACCOUNTS.toLocaleString('en-US')} accounts (the CLI, load + validate + evaluate + write both files)`,
  );
  const main = prepare(ACCOUNTS);
  const runs = [runChild(main), runChild(main), runChild(main)].sort((a, b) => a.wallMs - b.wallMs);
  const median = runs[1]!;
  console.log(`summary: ${median.summary} (exit ${median.exitCode})`);
  for (const r of runs) console.log(`  run: ${s(r.wallMs)} s wall; ${phases(r)}`);
  console.log(`median of 3: ${s(median.wallMs)} s wall (${phases(median)})`);
  console.log(
    `throughput: ${rate(ACCOUNTS, median.wallMs)} accounts/s; peak RSS ${Math.max(...runs.map((r) => r.maxRssMb)).toFixed(0)} MB (targets: < 5 s, < 500 MB)`,
  );
  console.log(
    `report.json ${median.jsonMb.toFixed(1)} MB, report.html ${median.htmlMb.toFixed(1)} MB`,
  );

  heading(
    `check scaling: accounts/s at ${[...new Set(SCALING)].map((n) => n.toLocaleString('en-US')).join(', ')} accounts (BENCH_SKIP_50K=1 skips 50,000)`,
  );
  const rows: [number, ChildRun][] = [];
  for (const n of [...new Set(SCALING)].sort((a, b) => a - b)) {
    rows.push([n, n === ACCOUNTS ? median : runChild(prepare(n))]);
  }
  console.log(
    '  accounts   wall s   accounts/s  evaluate ms   eval ms per 1k  peak RSS MB  report.json MB  report.html MB',
  );
  for (const [n, r] of rows) {
    console.log(
      `  ${n.toLocaleString('en-US').padStart(8)} ${s(r.wallMs).padStart(8)} ${rate(n, r.wallMs).padStart(12)} ${r.evaluateMs.toFixed(0).padStart(12)} ${((r.evaluateMs / n) * 1000).toFixed(0).padStart(16)} ${r.maxRssMb.toFixed(0).padStart(12)} ${r.jsonMb.toFixed(1).padStart(15)} ${r.htmlMb.toFixed(1).padStart(15)}`,
    );
  }
  return JSON.parse(readFileSync(join(main.dir, 'out', 'report.json'), 'utf8')) as Report;
}

/**
 * The engine alone on the same organization's facts (derived once): every
 * rule for every account (`cache: false`) against once per distinct rule
 * input, interleaved twice, with what the cache did.
 */
async function engineBench(): Promise<void> {
  heading(`engine alone: ${ACCOUNTS.toLocaleString('en-US')} accounts, uncached vs cached`);
  const { snapshot, attestations } = generateOrg({ accounts: ACCOUNTS, seed: 42 });
  const rules = (await loadGateConfig({})).packs.flatMap((p) => p.rules);
  const facts = deriveFacts(snapshot, attestations, { now: new Date(snapshot.collectedAt) });
  const times = { uncached: [] as number[], cached: [] as number[] };
  let stats: CacheStats | undefined;
  for (let i = 0; i < 2; i++) {
    for (const mode of ['uncached', 'cached'] as const) {
      (globalThis as { gc?: () => void }).gc?.();
      const t0 = performance.now();
      await runRules(
        rules,
        facts,
        mode === 'uncached' ? { cache: false } : { onCacheStats: (x) => (stats = x) },
      );
      times[mode].push(performance.now() - t0);
    }
  }
  const ms = (list: number[]): string => list.map((t) => t.toFixed(0)).join(', ');
  console.log(
    `uncached: ${ms(times.uncached)} ms; cached: ${ms(times.cached)} ms (${rules.length} rules)`,
  );
  if (stats !== undefined) {
    const stopped = Object.entries(stats.rules)
      .filter(([, v]) => v === 'stopped')
      .map(([k]) => k);
    console.log(
      `cache: ${stats.hits.toLocaleString('en-US')} rule evaluations answered from it, ${stats.misses.toLocaleString('en-US')} run and kept, ${stats.uncached.toLocaleString('en-US')} run and not kept; too many distinct inputs: ${stopped.join(', ') || 'none'}`,
    );
  }
}

heading('CLI start (--version, rules list)');
runStartBench();

const report = checkBench();
await engineBench();
heading('report rendering');
await runReportBench(report);

const sections: [string, string, string][] = [
  ['policy evaluator vs iam-simulate', './policy.js', 'runPolicyBench'],
  ['live collection through moto', './collect.js', 'runCollectBench'],
];
for (const [title, module, fn] of sections) {
  if (fn === 'runCollectBench' && process.env.BENCH_SKIP_COLLECT === '1') continue;
  heading(title);
  try {
    const mod = (await import(module)) as Record<string, () => Promise<void>>;
    const run = mod[fn];
    if (run === undefined) console.log(`(${module} has no ${fn} yet)`);
    else await run();
  } catch (err) {
    console.log(`(${title} not available: ${(err as Error).message})`);
  }
}
