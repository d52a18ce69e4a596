/** `leavegate collect`: Collect a snapshot from AWS (no evaluation). */
import { resolve } from 'node:path';
import type { Command } from '../context.js';
import { awsOptions, collect, collectOptions } from '../options.js';

export const collectCommand: Command = (y, { io, run }) =>
  y.command(
    'collect',
    'Collect a snapshot from AWS (no evaluation)',
    (y) =>
      awsOptions(y)
        .option('account', {
          type: 'string',
          array: true,
          describe: 'Account to collect (repeatable)',
        })
        .option('all', { type: 'boolean', describe: 'Every account of the organization' })
        .option('out', {
          type: 'string',
          demandOption: true,
          describe: 'Snapshot file to write',
        }),
    (args) =>
      run(async () => {
        const options = collectOptions(args, io);
        const { saveSnapshotFile } = await import('../../snapshot/load.js');
        const snapshot = await collect(options);
        const path = resolve(io.cwd, args.out);
        await saveSnapshotFile(path, snapshot);
        io.stdout.write(
          `snapshot: ${path} (${snapshot.accounts.length} accounts, ${snapshot.errors.length} collection errors)\n`,
        );
        return 0;
      }),
  );
