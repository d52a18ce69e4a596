/**
 * CLI start time (issue 13: `--version` and `rules list` under 300 ms): the
 * built binary spawned several times, median wall time, beside the time of
 * an empty `node -e 0` on the same machine (what no change to leavegate can
 * remove). Printed, never asserted.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'leavegate.js');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median wall ms of `node args` over `runs` runs (after one warm-up run). */
function timeNode(args: string[], runs: number): { median: number; min: number } {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i > 0) times.push(ms);
  }
  return { median: median(times), min: Math.min(...times) };
}

/** Prints the start-time section of `npm run bench`. */
export function runStartBench(runs = Number(process.env.BENCH_START_RUNS ?? 15)): void {
  const cases: [string, string[]][] = [
    ['node -e 0 (baseline)', ['-e', '0']],
    ['leavegate --version', [bin, '--version']],
    ['leavegate rules list', [bin, 'rules', 'list']],
    ['leavegate --help', [bin, '--help']],
  ];
  for (const [label, args] of cases) {
    const t = timeNode(args, runs);
    console.log(
      `${label.padEnd(24)} median ${t.median.toFixed(0).padStart(5)} ms  min ${t.min.toFixed(0).padStart(5)} ms  (${runs} runs; target for leavegate commands: < 300 ms)`,
    );
  }
}
