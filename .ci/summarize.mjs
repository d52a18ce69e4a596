// Reads jest's --json output, prints "tests: N passed, M failed" as the last
// line, and under CI=true fails when the moto or browser tests were skipped.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let data;
try {
  data = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.error(`ci: no jest results at ${file}: ${err.message}`);
  console.log('tests: 0 passed, 1 failed');
  process.exit(1);
}

const problems = [];
const groups = {
  'moto integration': (p) => /\/test\/(integration|collect)\//.test(p),
  browser: (p) => /\/test\/report\/html-browser\.test\.ts$/.test(p),
};
for (const [name, match] of Object.entries(groups)) {
  const suites = data.testResults.filter((s) => match(s.name));
  const tests = suites.flatMap((s) => s.assertionResults);
  const ran = tests.filter((t) => t.status === 'passed' || t.status === 'failed');
  const skipped = tests.filter((t) => t.status !== 'passed' && t.status !== 'failed');
  if (ran.length === 0) problems.push(`no ${name} test ran`);
  else if (skipped.length > 0) problems.push(`${skipped.length} ${name} tests were skipped`);
}
const failedSuites = data.testResults.filter(
  (s) => s.status === 'failed' && s.assertionResults.length === 0,
);
for (const s of failedSuites)
  problems.push(`suite failed to run: ${s.name}: ${(s.message || '').split('\n')[0]}`);

let code = data.success ? 0 : 1;
if (process.env.CI === 'true' && problems.length > 0) {
  for (const p of problems) console.error(`ci: ${p}`);
  code = 1;
} else {
  for (const p of problems) console.error(`ci: warning: ${p}`);
}
const failed = data.numFailedTests + failedSuites.length;
console.log(`tests: ${data.numPassedTests} passed, ${failed} failed`);
process.exit(code);
