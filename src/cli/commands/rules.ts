/**
 * `leavegate rules`: list or validate the loaded rules, run the cases beside
 * them (`test`), write their Markdown pages (`doc`). The heavy parts of test
 * and doc load inside their handlers, so `rules list` starts fast.
 */
import type { Argv } from 'yargs';
import Table from 'cli-table3';
import { printable } from '../../text.js';
import type { Command, CommandContext } from '../context.js';
import { loadRules, ruleOptions } from '../options.js';

const pluginOption = {
  type: 'string',
  array: true,
  describe: 'Plugin module (repeatable)',
} as const;

function testCommand(y: Argv, { io, run }: CommandContext): Argv {
  return y.command(
    'test <dirs..>',
    'Run the cases beside each rule (<id>.test.json) through the check pipeline (exit 0 all agree, 1 some disagree, 2 a bad case file)',
    (yy) =>
      yy
        .positional('dirs', { type: 'string', array: true, describe: 'Rule pack directories' })
        .option('plugin', pluginOption),
    (args) =>
      run(async () => {
        const { runRuleTests } = await import('../../rules/test-run.js');
        const { printRuleTests } = await import('./rules-output.js');
        const out = await runRuleTests(args.dirs ?? [], {
          plugins: args.plugin ?? [],
          cwd: io.cwd,
        });
        return printRuleTests(out, io);
      }),
  );
}

function docCommand(y: Argv, { io, run }: CommandContext): Argv {
  return y.command(
    'doc [dirs..]',
    'Write one Markdown page per rule and an index (default: the built-in packs, into docs/rules)',
    (yy) =>
      yy
        .positional('dirs', { type: 'string', array: true, describe: 'Rule pack directories' })
        .option('out', { type: 'string', default: 'docs/rules', describe: 'Output directory' })
        .option('plugin', pluginOption),
    (args) =>
      run(async () => {
        const { writeRuleDocs } = await import('../../rules/doc-write.js');
        const written = await writeRuleDocs({
          dirs: args.dirs ?? [],
          plugins: args.plugin ?? [],
          out: args.out,
          cwd: io.cwd,
        });
        io.stdout.write(`wrote ${written.length} pages to ${printable(args.out)}\n`);
        return 0;
      }),
  );
}

export const rulesCommand: Command = (y, ctx) =>
  y.command('rules', 'List, validate, test or document rules', (y) => {
    const { io, run } = ctx;
    const listed = y
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
      );
    return docCommand(testCommand(listed, ctx), ctx).demandCommand(
      1,
      'say "rules list", "rules validate", "rules test DIR..." or "rules doc"',
    );
  });
