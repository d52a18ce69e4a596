/**
 * `leavegate compare`: Compare two reports (exit 1 when some account got
 * worse). Reports of two different organizations are a mistake more often
 * than not: exit 2 with a warning unless --allow-different-org.
 */
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
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
        .positional('new', { type: 'string', demandOption: true })
        .option('format', {
          type: 'string',
          choices: ['text', 'json', 'md'],
          default: 'text',
          describe: 'text for people, json (a stable diff) for machines, md for a pull request',
        })
        .option('allow-different-org', {
          type: 'boolean',
          default: false,
          describe: 'Compare reports of two different organizations (warned, not refused)',
        }),
    (args) =>
      run(async () => {
        const [cmpModule, { loadReportFile }, { escapeMarkdown }] = await Promise.all([
          import('../../compare.js'),
          import('../../report/json.js'),
          import('../../report/escape.js'),
        ]);
        const before = {
          path: resolve(io.cwd, args.old),
          report: await loadReportFile(resolve(io.cwd, args.old)),
        };
        const after = {
          path: resolve(io.cwd, args.new),
          report: await loadReportFile(resolve(io.cwd, args.new)),
        };
        if (cmpModule.differentOrganizations(before.report, after.report)) {
          const what = `the reports are for different organizations (${printable(before.report.snapshot.organizationId ?? 'none')} and ${printable(after.report.snapshot.organizationId ?? 'none')})`;
          if (!args['allow-different-org'])
            throw new UsageError(
              `compare: ${what}; give --allow-different-org to compare them anyway`,
            );
          const c = colours(io.stderr, io.env);
          io.stderr.write(`${c('yellow', `warning: ${what}`)}\n`);
        }
        const cmp = cmpModule.compareReports(before.report, after.report);
        const code = cmp.regressions > 0 ? 1 : 0;
        if (args.format === 'json') {
          io.stdout.write(cmpModule.renderComparisonJson(cmp, before, after));
          return code;
        }
        if (args.format === 'md') {
          io.stdout.write(cmpModule.renderComparisonMarkdown(cmp, before, after, escapeMarkdown));
          return code;
        }
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
        return code;
      }),
  );
