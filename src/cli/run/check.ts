/**
 * What `leavegate check` does once its flags are parsed (loaded on use, so
 * that `--help`, `--version` and `rules list` never load the gate).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { evaluateSnapshot, loadGateConfig, snapshotSha256 } from '../../check.js';
import { UsageError } from '../../errors.js';
import { loadSnapshotFile, saveSnapshotFile } from '../../snapshot/load.js';
import { printable } from '../../text.js';
import type { InputFile } from '../../report/types.js';
import type { Snapshot } from '../../snapshot/types.js';
import { parseDuration, parseFormats, parseOrganizationId, parseOutput } from '../args.js';
import type { CliIo } from '../context.js';
import { checkInputs, collect, collectOptions, type GateArgs } from '../options.js';
import { writeAndSummarize } from './summary.js';

export type CheckArgs = GateArgs & {
  snapshot?: string | undefined;
  all?: boolean | undefined;
  account?: unknown;
  format?: string | string[] | undefined;
  out: string;
  'max-snapshot-age': string;
  'transfer-to'?: string | undefined;
};

/** Validates every input, then evaluates (offline or live) and writes the reports. */
export async function runCheck(
  args: CheckArgs,
  io: CliIo,
  argv: readonly string[],
  run: { configFile?: InputFile | undefined; log: (message: string) => void },
): Promise<number> {
  const { log } = run;
  const live = args.all === true || args.account !== undefined;
  if (args.snapshot !== undefined && live)
    throw new UsageError('use either --snapshot FILE or --account/--all, not both');
  if (args.snapshot === undefined && !live)
    throw new UsageError('say what to check: --snapshot FILE, --account ID or --all');
  const output = parseOutput(
    args.out,
    parseFormats(args.format, args.out === '-' ? ['json'] : ['json', 'html']),
    io.cwd,
  );
  if (output.kind === 'stdout' && live)
    throw new UsageError(
      '--out -: a live check writes its snapshot next to the reports; give --out DIR (or collect, then check --snapshot FILE --out -)',
    );
  const transferTo = parseOrganizationId('--transfer-to', args['transfer-to']);
  // Every input is validated before anything is collected or written.
  const config = await loadGateConfig({
    ...checkInputs(args, io, argv, run.configFile),
    ...(transferTo !== undefined && {
      mode: 'transfer' as const,
      transfer: { targetOrganizationId: transferTo },
    }),
    maxSnapshotAgeMs: parseDuration('--max-snapshot-age', args['max-snapshot-age']),
  });
  for (const p of config.provenance.rulePacks)
    log(
      `rule pack ${printable(`${p.name}@${p.version}`)}: ${p.rules.length} rules from ${printable(p.source)}`,
    );
  for (const p of config.provenance.plugins)
    log(
      `plugin ${printable(`${p.name}@${p.version}`)} from ${printable(p.source)}: ${p.rules.length} rules, operators [${p.operators.map(printable).join(', ')}], facts [${p.facts.map(printable).join(', ')}]`,
    );
  for (const [what, file] of [
    ['attestations', config.provenance.attestations],
    ['waivers', config.provenance.waivers],
  ] as const)
    if (file !== undefined) log(`${what} ${printable(file.path)} (sha256 ${file.sha256})`);
  let snapshot: Snapshot;
  let sha256: string;
  let snapshotPath: string;
  if (args.snapshot !== undefined) {
    snapshotPath = resolve(io.cwd, args.snapshot);
    const loaded = await loadSnapshotFile(snapshotPath);
    snapshot = loaded.snapshot;
    sha256 = loaded.sha256;
    config.warnings.push(...loaded.warnings);
    log(
      `snapshot ${printable(snapshotPath)}: ${snapshot.accounts.length} accounts (sha256 ${sha256})`,
    );
  } else {
    if (output.kind !== 'dir') throw new Error('internal: a live check needs an output directory');
    snapshot = await collect({
      ...collectOptions(args, io),
      ...(transferTo !== undefined && { handshakes: true }),
    });
    snapshotPath = join(output.dir, 'snapshot.json');
    await saveSnapshotFile(snapshotPath, snapshot);
    sha256 = snapshotSha256(await readFile(snapshotPath));
    log(
      `collected ${snapshot.accounts.length} accounts, ${snapshot.errors.length} collection errors; snapshot ${printable(snapshotPath)}`,
    );
  }
  const report = await evaluateSnapshot(snapshot, sha256, config, snapshotPath);
  log(`evaluated ${report.summary.accounts} accounts in ${report.stats?.durationMs ?? '?'} ms`);
  const code = await writeAndSummarize(report, output, io);
  log(
    output.kind === 'stdout'
      ? `wrote ${output.format} to stdout`
      : `wrote ${output.formats.join(',')} to ${printable(output.dir)}`,
  );
  return code;
}
