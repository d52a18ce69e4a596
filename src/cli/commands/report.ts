/** `leavegate report`: Render an existing report.json in other formats. */
import { resolve } from 'node:path';
import { parseFormats, parseOutput } from '../args.js';
import type { Command } from '../context.js';
import { FORMAT_NAMES } from '../formats.js';

export const reportCommand: Command = (y, { io, run }) =>
  y.command(
    'report <file>',
    'Render an existing report.json in other formats',
    (y) =>
      y
        .positional('file', { type: 'string', demandOption: true })
        .option('format', {
          type: 'string',
          demandOption: true,
          describe: FORMAT_NAMES.join('|'),
        })
        .option('out', {
          type: 'string',
          default: 'reports',
          describe: 'Output directory; - writes the one --format (json|sarif|junit|md) to stdout',
        }),
    (args) =>
      run(async () => {
        const output = parseOutput(args.out, parseFormats(args.format, []), io.cwd);
        const [{ loadReportFile }, write] = await Promise.all([
          import('../../report/json.js'),
          import('../../report/write.js'),
        ]);
        const report = await loadReportFile(resolve(io.cwd, args.file));
        if (output.kind === 'stdout') {
          io.stdout.write(write.renderReport(report, output.format));
          return 0;
        }
        const written = await write.writeReports(report, {
          formats: output.formats,
          outDir: output.dir,
        });
        io.stdout.write(`reports: ${written.join(', ')}\n`);
        return 0;
      }),
  );
