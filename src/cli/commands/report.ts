/** `leavegate report`: Render an existing report.json in other formats. */
import { resolve } from 'node:path';
import { loadReportFile } from '../../report/json.js';
import { REPORT_FORMATS, writeReports } from '../../report/write.js';
import { parseFormats } from '../args.js';
import type { Command } from '../context.js';

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
          describe: REPORT_FORMATS.join('|'),
        })
        .option('out', { type: 'string', default: 'reports' }),
    (args) =>
      run(async () => {
        const report = await loadReportFile(resolve(io.cwd, args.file));
        const written = await writeReports(report, {
          formats: parseFormats(args.format, []),
          outDir: resolve(io.cwd, args.out),
        });
        io.stdout.write(`reports: ${written.join(', ')}\n`);
        return 0;
      }),
  );
