/**
 * `npm run bench`: prints the figures the issues set targets for.
 *  - check on a generated 10,000-account snapshot (target < 5 s, peak RSS < 500 MB)
 *  - report rendering for those 10,000 accounts
 *  - the policy evaluator vs iam-simulate (target >= 4x)
 *  - live collection through moto with 20 ms latency per call (BENCH_SKIP_COLLECT=1 skips)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../src/report/types.js';
import { generateOrg } from './generate.js';
import { runReportBench } from './report.js';
import { runStartBench } from './start.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const here = fileURLToPath(new URL('.', import.meta.url));
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10_000);

function heading(text: string): void {
  console.log(`\n== ${text}`);
}

function checkBench(): Report {
  heading(
    `check: ${ACCOUNTS.toLocaleString('en-US')} accounts (load + validate + evaluate + write report.json)`,
  );
  const dir = join(tmpdir(), `leavegate-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const { snapshot, attestations } = generateOrg({ accounts: ACCOUNTS, seed: 42 });
  const snapshotFile = join(dir, 'snapshot.json');
  const attestationsFile = join(dir, 'attestations.json');
  writeFileSync(snapshotFile, JSON.stringify(snapshot));
  writeFileSync(attestationsFile, JSON.stringify(attestations));
  console.log(
    `generated in ${(performance.now() - t0).toFixed(0)} ms (${(readFileSync(snapshotFile).length / 1e6).toFixed(1)} MB snapshot)`,
  );
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const out = execFileSync(
      process.execPath,
      [join(here, 'check-child.js'), snapshotFile, attestationsFile, join(dir, 'out')],
      {
        encoding: 'utf8',
      },
    );
    runs.push(
      JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
        totalMs: number;
        loadMs: number;
        evaluateMs: number;
        writeMs: number;
        maxRssMb: number;
        summary: unknown;
      },
    );
  }
  runs.sort((a, b) => a.totalMs - b.totalMs);
  const best = runs[0]!;
  const median = runs[1]!;
  console.log(`summary: ${JSON.stringify(best.summary)}`);
  console.log(
    `median of 3: ${(median.totalMs / 1000).toFixed(2)} s total (load+validate ${median.loadMs.toFixed(0)} ms, evaluate ${median.evaluateMs.toFixed(0)} ms, write ${median.writeMs.toFixed(0)} ms)`,
  );
  console.log(
    `throughput: ${Math.round(ACCOUNTS / (median.totalMs / 1000)).toLocaleString('en-US')} accounts/s; peak RSS ${Math.max(...runs.map((r) => r.maxRssMb)).toFixed(0)} MB (targets: < 5 s, < 500 MB)`,
  );
  return JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
}

heading('CLI start (--version, rules list)');
runStartBench();

const report = checkBench();
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
