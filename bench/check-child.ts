/**
 * One `check` run in a fresh process (so its peak RSS is its own), through
 * the CLI's own entry point: `leavegate check --snapshot FILE --attestations
 * FILE --format json,html --out DIR`, exactly what a user runs, writing both
 * files. Prints one JSON line with the timings.
 *
 * The phases are read from the command's own `--verbose` diagnostics (each
 * line is time-stamped here as it is written): config + snapshot load and
 * validation, evaluation (facts, rules, gate), writing the reports. `startMs`
 * is the process start up to the CLI's first line of work (Node and module
 * loading); `totalMs` runs from the process start to the end of the command.
 */
import { main } from '../src/cli/main.js';

const [snapshotFile, attestationsFile, outDir] = process.argv.slice(2);
if (snapshotFile === undefined || attestationsFile === undefined || outDir === undefined) {
  throw new Error('usage: check-child SNAPSHOT ATTESTATIONS OUTDIR');
}

const marks: { at: number; text: string }[] = [];
let stdout = '';
const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
// The bench measures the defaults: no configuration from the environment.
for (const key of Object.keys(env)) if (key.startsWith('LEAVEGATE_')) delete env[key];
const started = performance.now();
const code = await main(
  [
    'check',
    '--snapshot',
    snapshotFile,
    '--attestations',
    attestationsFile,
    '--format',
    'json,html',
    '--out',
    outDir,
    '--verbose',
  ],
  {
    stdout: { write: (t: string) => void (stdout += t), isTTY: false },
    stderr: {
      write: (t: string) => void marks.push({ at: performance.now(), text: t }),
      isTTY: false,
    },
    env,
    cwd: process.cwd(),
  },
);
const ended = performance.now();
if (code === 2) {
  process.stderr.write(marks.map((m) => m.text).join(''));
  throw new Error(`check exited 2`);
}
/** When the first diagnostic line matching `re` was written. */
function at(re: RegExp): number {
  const m = marks.find((x) => re.test(x.text));
  if (m === undefined) throw new Error(`no diagnostic line matches ${String(re)}`);
  return m.at;
}
const loaded = at(/\] snapshot /);
const evaluated = at(/\] evaluated \d+ accounts/);
const written = at(/\] wrote /);
const summary = /(\d+) ready.*?(\d+) blocked.*?(\d+) unknown/s.exec(stdout);
console.log(
  JSON.stringify({
    exitCode: code,
    summary: summary?.[0]?.replace(/\s+/g, ' ') ?? stdout.split('\n')[0],
    startMs: started,
    loadMs: loaded - started,
    evaluateMs: evaluated - loaded,
    writeMs: written - evaluated,
    commandMs: ended - started,
    totalMs: ended,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
