/** `leavegate compare`: Compare two reports (exit 1 when some account got worse). */
import { resolve } from 'node:path';
import { printable } from '../../text.js';
import type { Command } from '../context.js';
import { colours } from '../output.js';

export const compareCommand: Command = (y, { io, run }) =>
  y.command(
    'compare <old> <new>',
    'Compare two reports (exit 1 when some account got worse)',
    (y) =>
      y
        .positional('old', { type: 'string', demandOption: true })
        .positional('new', { type: 'string', demandOption: true }),
    (args) =>
      run(async () => {
        const [{ compareReports }, { loadReportFile }] = await Promise.all([
          import('../../compare.js'),
          import('../../report/json.js'),
        ]);
        const cmp = compareReports(
          await loadReportFile(resolve(io.cwd, args.old)),
          await loadReportFile(resolve(io.cwd, args.new)),
        );
        const c = colours(io.stdout, io.env);
        for (const ch of cmp.changes) {
          const label =
            ch.name === undefined ? ch.accountId : `${ch.accountId} (${printable(ch.name)})`;
          io.stdout.write(`${label}: ${ch.before} -> ${ch.after}\n`);
          for (const r of ch.rules)
            io.stdout.write(`  ${printable(r.id)}: ${r.before} -> ${r.after}\n`);
        }
        io.stdout.write(
          `${c('bold', `${cmp.changes.length} accounts changed`)}: ${cmp.regressions} worse, ${cmp.improvements} better\n`,
        );
        return cmp.regressions > 0 ? 1 : 0;
      }),
  );
