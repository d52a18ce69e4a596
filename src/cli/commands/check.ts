/** `leavegate check`: Evaluate the readiness rules and write reports (offline from a snapshot, or live). */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { evaluateSnapshot, exitCodeFor, loadGateConfig, snapshotSha256 } from '../../check.js';
import { UsageError } from '../../errors.js';
import type { Report } from '../../report/types.js';
import { REPORT_FORMATS, writeReports, type ReportFormat } from '../../report/write.js';
import { loadSnapshotFile, saveSnapshotFile } from '../../snapshot/load.js';
import type { Snapshot } from '../../snapshot/types.js';
import { parseDuration, parseFormats, parseOrganizationId } from '../args.js';
import type { CliIo, Command } from '../context.js';
import { checkInputs, collect, collectOptions, gateOptions, type GateArgs } from '../options.js';
import { colours, renderRunWarnings, renderSummary } from '../output.js';

/** Writes the reports, prints the summary (stdout) and run warnings (stderr); returns the exit code. */
export async function writeAndSummarize(
  report: Report,
  formats: ReportFormat[],
  outDir: string,
  io: CliIo,
): Promise<number> {
  const written = await writeReports(report, { formats, outDir });
  io.stderr.write(renderRunWarnings(report, io.stderr, io.env));
  io.stdout.write(renderSummary(report, io.stdout, io.env));
  const c = colours(io.stdout, io.env);
  io.stdout.write(`${c('dim', 'reports:')} ${written.join(', ')}\n`);
  return exitCodeFor(report);
}

async function runCheck(
  args: GateArgs & {
    snapshot?: string | undefined;
    all?: boolean | undefined;
    account?: unknown;
    format?: string | string[] | undefined;
    out: string;
    'max-snapshot-age': string;
    'transfer-to'?: string | undefined;
  },
  io: CliIo,
  argv: readonly string[],
): Promise<number> {
  const live = args.all === true || args.account !== undefined;
  if (args.snapshot !== undefined && live)
    throw new UsageError('use either --snapshot FILE or --account/--all, not both');
  if (args.snapshot === undefined && !live)
    throw new UsageError('say what to check: --snapshot FILE, --account ID or --all');
  const formats = parseFormats(args.format, ['json', 'html']);
  const transferTo = parseOrganizationId('--transfer-to', args['transfer-to']);
  const outDir = resolve(io.cwd, args.out);
  // Every input is validated before anything is collected or written.
  const config = await loadGateConfig({
    ...checkInputs(args, io, argv),
    ...(transferTo !== undefined && {
      mode: 'transfer' as const,
      transfer: { targetOrganizationId: transferTo },
    }),
    maxSnapshotAgeMs: parseDuration('--max-snapshot-age', args['max-snapshot-age']),
  });
  let snapshot: Snapshot;
  let sha256: string;
  let snapshotPath: string;
  if (args.snapshot !== undefined) {
    snapshotPath = resolve(io.cwd, args.snapshot);
    const loaded = await loadSnapshotFile(snapshotPath);
    snapshot = loaded.snapshot;
    sha256 = loaded.sha256;
    config.warnings.push(...loaded.warnings);
  } else {
    snapshot = await collect({
      ...collectOptions(args, io),
      ...(transferTo !== undefined && { handshakes: true }),
    });
    snapshotPath = join(outDir, 'snapshot.json');
    await saveSnapshotFile(snapshotPath, snapshot);
    sha256 = snapshotSha256(await readFile(snapshotPath));
  }
  const report = await evaluateSnapshot(snapshot, sha256, config, snapshotPath);
  return writeAndSummarize(report, formats, outDir, io);
}

export const checkCommand: Command = (y, { io, argv, run }) =>
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
          describe: `Report formats, comma-separated (${REPORT_FORMATS.join(',')}); default json,html`,
        })
        .option('out', { type: 'string', default: 'reports', describe: 'Output directory' })
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
        .example('$0 check --account 222222222222 --transfer-to o-abcdefghij', 'direct transfer'),
    (args) => run(() => runCheck(args, io, argv)),
  );
