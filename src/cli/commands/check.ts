/** `leavegate check`: Evaluate the readiness rules and write reports (offline from a snapshot, or live). */
import type { Command } from '../context.js';
import { FORMAT_NAMES } from '../formats.js';
import { gateOptions } from '../options.js';

export const checkCommand: Command = (y, { io, argv, settings, log, run }) =>
  y.command(
    'check',
    'Evaluate the readiness rules and write reports',
    (y) =>
      gateOptions(y)
        .option('snapshot', { type: 'string', describe: 'Evaluate this snapshot file offline' })
        .option('account', {
          type: 'string',
          array: true,
          describe: 'Collect and check this account (repeatable)',
        })
        .option('all', {
          type: 'boolean',
          describe: 'Collect and check every account of the organization',
        })
        .option('format', {
          type: 'string',
          describe: `Report formats, comma-separated (${FORMAT_NAMES.join(',')}); default json,html (json with --out -)`,
        })
        .option('out', {
          type: 'string',
          default: 'reports',
          describe: 'Output directory; - writes the one --format (json|sarif|junit|md) to stdout',
        })
        .option('transfer-to', {
          type: 'string',
          describe:
            'Check readiness for a direct transfer to this organization (o-...) instead of leaving',
        })
        .option('max-snapshot-age', {
          type: 'string',
          default: '24h',
          describe: 'Warn when the snapshot is older than this (e.g. 24h, 90m, 2d)',
        })
        .example('$0 check --snapshot snapshot.json --attestations attestations.json', 'offline')
        .example('$0 check --all --format json,html,sarif', 'live, whole organization')
        .example('$0 check --snapshot snapshot.json --out - --format sarif', 'SARIF on stdout')
        .example('$0 check --account 222222222222 --transfer-to o-abcdefghij', 'direct transfer'),
    (args) =>
      run(async () => {
        const { runCheck } = await import('../run/check.js');
        return runCheck(args, io, argv, { configFile: settings.file, log });
      }),
  );
