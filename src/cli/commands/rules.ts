/** `leavegate rules`: List or validate the loaded rules. */
import Table from 'cli-table3';
import { printable } from '../../text.js';
import type { Command } from '../context.js';
import { loadRules, ruleOptions } from '../options.js';

export const rulesCommand: Command = (y, { io, run }) =>
  y.command('rules', 'List or validate rules', (y) =>
    y
      .command(
        'list',
        'List the loaded rules',
        (yy) => ruleOptions(yy),
        (args) =>
          run(async () => {
            const config = await loadRules(args, io);
            const table = new Table({
              head: ['id', 'severity', 'pack', 'title'],
              style: { head: [], border: [] },
            });
            for (const p of config.packs)
              for (const r of p.rules)
                table.push([r.id, r.severity, p.name, r.title].map(printable));
            io.stdout.write(`${table.toString()}\n`);
            return 0;
          }),
      )
      .command(
        'validate',
        'Validate rule packs and plugins (exit 2 naming every bad file and JSON path)',
        (yy) => ruleOptions(yy),
        (args) =>
          run(async () => {
            const config = await loadRules(args, io);
            const n = config.packs.reduce((s, p) => s + p.rules.length, 0);
            io.stdout.write(
              `ok: ${n} rules in ${config.packs.length} pack${config.packs.length === 1 ? '' : 's'} (${config.packs.map((p) => printable(`${p.name}@${p.version}`)).join(', ')})\n`,
            );
            return 0;
          }),
      )
      .demandCommand(1, 'say "rules list" or "rules validate"'),
  );
