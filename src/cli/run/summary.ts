/**
 * Where a run's reports and its human summary go. To a directory: the files,
 * then the summary on stdout. To stdout (`--out -`): the one requested format
 * and nothing else on stdout; the summary and warnings on stderr, so a
 * pipeline can read stdout as the document (`check --out - --format sarif > x.sarif`).
 */
import { exitCodeFor } from '../../gate/verdict.js';
import type { Report } from '../../report/types.js';
import { renderReport, writeReports } from '../../report/write.js';
import type { ReportOutput } from '../args.js';
import type { CliIo } from '../context.js';
import { colours, renderRunWarnings, renderSummary } from '../output.js';

/** Writes the reports, prints the summary and run warnings; returns the verdict's exit code. */
export async function writeAndSummarize(
  report: Report,
  output: ReportOutput,
  io: CliIo,
): Promise<number> {
  if (output.kind === 'stdout') {
    // Rendered in full before the first byte goes out: a renderer that throws
    // leaves stdout empty rather than holding half a document.
    const text = renderReport(report, output.format);
    io.stderr.write(renderRunWarnings(report, io.stderr, io.env));
    io.stderr.write(renderSummary(report, io.stderr, io.env));
    io.stdout.write(text);
    return exitCodeFor(report);
  }
  const written = await writeReports(report, { formats: output.formats, outDir: output.dir });
  io.stderr.write(renderRunWarnings(report, io.stderr, io.env));
  io.stdout.write(renderSummary(report, io.stdout, io.env));
  const c = colours(io.stdout, io.env);
  io.stdout.write(`${c('dim', 'reports:')} ${written.join(', ')}\n`);
  return exitCodeFor(report);
}
