/** What `rules test` prints: one line per case, then the count; its exit code. */
import type { RuleTestRun } from '../../rules/test-run.js';
import { printable } from '../../text.js';
import type { CliIo } from '../context.js';
import { colours } from '../output.js';

/**
 * `pass  FILE  NAME` for a case that agrees, `FAIL  FILE  NAME: found …,
 * expected …: MESSAGE` for one that does not. Returns 0 when every case
 * agrees, 1 otherwise (2 is for bad case files, thrown before anything runs).
 */
export function printRuleTests(run: RuleTestRun, io: CliIo): number {
  const c = colours(io.stdout, io.env);
  const lines: string[] = [];
  for (const r of run.results) {
    const where = `${printable(r.case.file)}  ${printable(r.case.name)}`;
    lines.push(
      r.agrees
        ? `${c('green', 'pass')}  ${where}`
        : `${c('red', 'FAIL')}  ${where}: ${printable(r.why ?? '')}: ${printable(r.message)}`,
    );
  }
  const failed = run.results.filter((r) => !r.agrees).length;
  lines.push(
    `${run.results.length} case${run.results.length === 1 ? '' : 's'}: ${run.results.length - failed} agree, ${failed} disagree`,
  );
  io.stdout.write(`${lines.join('\n')}\n`);
  for (const u of run.untested) io.stderr.write(`note: no case tests ${printable(u)}\n`);
  return failed > 0 ? 1 : 0;
}
