/**
 * The command line (DESIGN §4.1). `main` returns the exit code; bin/leavegate.js
 * is the only place that hands it to the process.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import Table from 'cli-table3';
import yargs, { type Argv } from 'yargs';
import {
  evaluateSnapshot,
  exitCodeFor,
  loadGateConfig,
  snapshotSha256,
  type CheckInputs,
} from '../check.js';
import type { CollectOptions } from '../collect/index.js';
import { loadReportFile } from '../report/json.js';
import { compareReports } from '../compare.js';
import { LeavegateError, UsageError } from '../errors.js';
import { packageRoot, toolVersion } from '../paths.js';
import type { Report } from '../report/types.js';
import {
  isReportFormat,
  REPORT_FORMATS,
  writeReports,
  type ReportFormat,
} from '../report/write.js';
import { loadSnapshotFile, saveSnapshotFile } from '../snapshot/load.js';
import type { Snapshot } from '../snapshot/types.js';
import { DEFAULT_MEMBER_ROLE } from '../facts/derive.js';
import { printable } from '../text.js';
import { parseIamPrincipalArn } from '../arn.js';
import { parseDuration, parseFailOn, parseNow, redactArgv } from './args.js';
import { colours, renderRunWarnings, renderSummary, type Writer } from './output.js';

export interface CliIo {
  stdout: Writer;
  stderr: Writer;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

function defaultIo(): CliIo {
  return {
    stdout: { write: (t) => void process.stdout.write(t), isTTY: process.stdout.isTTY },
    stderr: { write: (t) => void process.stderr.write(t), isTTY: process.stderr.isTTY },
    env: process.env,
    cwd: process.cwd(),
  };
}

function parseFormats(
  value: string | string[] | undefined,
  fallback: ReportFormat[],
): ReportFormat[] {
  if (value === undefined) return fallback;
  const names = (Array.isArray(value) ? value : [value])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !isReportFormat(n));
  if (bad.length > 0)
    throw new UsageError(
      `--format: unknown format ${bad.join(', ')} (known: ${REPORT_FORMATS.join(', ')})`,
    );
  return names as ReportFormat[];
}

function accountIds(value: unknown): string[] {
  const list = (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((v) =>
    String(v).split(','),
  );
  for (const id of list) {
    if (!/^\d{12}$/.test(id))
      throw new UsageError(`--account: "${id}" is not a 12-digit AWS account id`);
  }
  return list;
}

/** How to reach AWS (collect, check --account/--all, leave). */
function awsOptions<T>(y: Argv<T>) {
  return y
    .option('member-role', {
      type: 'string',
      default: DEFAULT_MEMBER_ROLE,
      describe: 'Role assumed in each member account',
    })
    .option('external-id', { type: 'string', describe: 'External id for assuming the member role' })
    .option('principal', {
      type: 'string',
      describe: 'Principal ARN evaluated for SCPs and IAM (default: the member role)',
    })
    .option('profile', { type: 'string', describe: 'AWS profile for the management account' })
    .option('region', { type: 'string', describe: 'AWS region (Organizations lives in us-east-1)' })
    .option('concurrency', {
      type: 'number',
      default: 8,
      describe: 'Accounts collected in parallel',
    })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress output' });
}

/** Options shared by check and leave (same inputs, same gate). */
function gateOptions<T>(y: Argv<T>) {
  return awsOptions(y)
    .option('attestations', {
      type: 'string',
      describe: 'Attestations file (schemas/attestations.schema.json)',
    })
    .option('rules', {
      type: 'string',
      array: true,
      describe: 'Extra rule pack directory (repeatable); the built-in pack is always loaded',
    })
    .option('plugin', {
      type: 'string',
      array: true,
      describe: 'Plugin module: path or package name (repeatable)',
    })
    .option('waivers', { type: 'string', describe: 'Waivers file (schemas/waivers.schema.json)' })
    .option('now', {
      type: 'string',
      describe:
        'check only (what-if): evaluation time, ISO 8601 with a zone (default: the snapshot time); leave refuses it',
    })
    .option('fail-on', {
      type: 'string',
      choices: ['blocker', 'warning'],
      describe: 'warning: warning rules block like blockers (default blocker)',
    });
}

interface GateArgs {
  attestations?: string | undefined;
  rules?: string[] | undefined;
  plugin?: string[] | undefined;
  waivers?: string | undefined;
  'member-role': string;
  'external-id'?: string | undefined;
  principal?: string | undefined;
  now?: string | undefined;
  'fail-on'?: string | undefined;
  profile?: string | undefined;
  region?: string | undefined;
  concurrency: number;
  quiet: boolean;
}

/**
 * `--principal` must be an IAM role or user ARN with its path: a session ARN
 * (`arn:aws:sts::…:assumed-role/Name/session`) hides the role's path, and SCP
 * conditions on aws:PrincipalArn depend on it — evaluating a guess could pass.
 */
function parsePrincipal(value: string): string;
function parsePrincipal(value: string | undefined): string | undefined;
function parsePrincipal(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (parseIamPrincipalArn(value) === undefined) {
    throw new UsageError(
      `--principal: "${value}" is not an IAM role or user ARN (e.g. arn:aws:iam::123456789012:role/ops/Leaver); ` +
        'give the role ARN with its path, not a session ARN',
    );
  }
  return value;
}

function checkInputs(args: GateArgs, io: CliIo, argv: readonly string[]): CheckInputs {
  const failOn = parseFailOn(args['fail-on']);
  return {
    ...(failOn !== undefined && { failOn }),
    commandLine: redactArgv(argv),
    attestationsFile: args.attestations,
    rulesDirs: args.rules,
    plugins: args.plugin,
    waiversFile: args.waivers,
    memberRole: args['member-role'],
    principalArn: parsePrincipal(args.principal),
    now: parseNow(args.now),
    cwd: io.cwd,
  };
}

function collectOptions(
  args: GateArgs & { all?: boolean | undefined; account?: unknown },
  io: CliIo,
): CollectOptions {
  const ids = accountIds(args.account);
  if (args.all === true && ids.length > 0)
    throw new UsageError('use either --all or --account, not both');
  if (args.all !== true && ids.length === 0)
    throw new UsageError('say which accounts: --account ID (repeatable) or --all');
  if (!Number.isInteger(args.concurrency) || args.concurrency < 1 || args.concurrency > 64) {
    throw new UsageError('--concurrency must be an integer from 1 to 64');
  }
  return {
    scope: args.all === true ? { all: true } : { accounts: ids },
    memberRole: args['member-role'],
    concurrency: args.concurrency,
    progress: !args.quiet && io.stderr.isTTY === true,
    ...(args['external-id'] !== undefined && { externalId: args['external-id'] }),
    ...(args.principal !== undefined && { principalArn: parsePrincipal(args.principal) }),
    ...(args.profile !== undefined && { profile: args.profile }),
    ...(args.region !== undefined && { region: args.region }),
  };
}

/** The AWS SDK is loaded only for live runs: offline commands start fast. */
async function collect(options: CollectOptions): Promise<Snapshot> {
  const mod = await import('../collect/index.js');
  return mod.collect(options);
}

async function writeAndSummarize(
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
  const outDir = resolve(io.cwd, args.out);
  // Every input is validated before anything is collected or written.
  const config = await loadGateConfig({
    ...checkInputs(args, io, argv),
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
    snapshot = await collect(collectOptions(args, io));
    snapshotPath = join(outDir, 'snapshot.json');
    await saveSnapshotFile(snapshotPath, snapshot);
    sha256 = snapshotSha256(await readFile(snapshotPath));
  }
  const report = await evaluateSnapshot(snapshot, sha256, config, snapshotPath);
  return writeAndSummarize(report, formats, outDir, io);
}

function ruleOptions<T>(y: Argv<T>) {
  return y
    .option('rules', {
      type: 'string',
      array: true,
      describe: 'Extra rule pack directory (repeatable)',
    })
    .option('plugin', { type: 'string', array: true, describe: 'Plugin module (repeatable)' });
}

function loadRules(
  args: { rules?: string[] | undefined; plugin?: string[] | undefined },
  io: CliIo,
) {
  return loadGateConfig({ rulesDirs: args.rules, plugins: args.plugin, cwd: io.cwd });
}

function buildParser(argv: string[], io: CliIo, done: (code: Promise<number>) => void): Argv {
  const run = (fn: () => Promise<number>) => done(fn());
  return yargs(argv)
    .scriptName('leavegate')
    .usage(
      '$0 <command> [options]\n\nGate an AWS member account before it leaves its organization.',
    )
    .version(toolVersion())
    .strict()
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .command(
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
          .option('max-snapshot-age', {
            type: 'string',
            default: '24h',
            describe: 'Warn when the snapshot is older than this (e.g. 24h, 90m, 2d)',
          })
          .example('$0 check --snapshot snapshot.json --attestations attestations.json', 'offline')
          .example('$0 check --all --format json,html,sarif', 'live, whole organization'),
      (args) => run(() => runCheck(args, io, argv)),
    )
    .command(
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
          const snapshot = await collect(collectOptions(args, io));
          const path = resolve(io.cwd, args.out);
          await saveSnapshotFile(path, snapshot);
          io.stdout.write(
            `snapshot: ${path} (${snapshot.accounts.length} accounts, ${snapshot.errors.length} collection errors)\n`,
          );
          return 0;
        }),
    )
    .command(
      'leave',
      'Leave the organization: fresh collect, gate, confirm, LeaveOrganization',
      (y) =>
        gateOptions(y)
          .option('account', {
            type: 'string',
            array: true,
            demandOption: true,
            describe: 'Account that leaves (repeatable: one after another, at most 5 per second)',
          })
          .option('dry-run', {
            type: 'boolean',
            default: false,
            describe: 'Do everything except the call',
          })
          .option('yes', {
            type: 'boolean',
            default: false,
            describe: 'Confirm without a prompt (required without a terminal)',
          })
          .option('keep-going', {
            type: 'boolean',
            default: false,
            describe: 'With several accounts, continue after a failure',
          })
          .option('out', {
            type: 'string',
            default: 'reports',
            describe: 'Output directory (report, tags export)',
          })
          .option('audit-log', {
            type: 'string',
            describe: 'Audit log, JSON lines (default <out>/audit.jsonl)',
          }),
      (args) =>
        run(async () => {
          const a = args as unknown as GateArgs & {
            account: unknown;
            'dry-run': boolean;
            yes: boolean;
            'keep-going': boolean;
            out: string;
            'audit-log'?: string;
          };
          // The clock of an irreversible call is the real clock: refused before any AWS call.
          if (a.now !== undefined)
            throw new UsageError(
              '--now: leave evaluates on the real clock (an irreversible call cannot be decided on a what-if time); use "check --now" for what-if analysis',
            );
          const { now: _now, cwd: _cwd, memberRole: _role, ...inputs } = checkInputs(a, io, argv);
          const { runLeave } = await import('../execute/index.js');
          return runLeave(
            {
              accounts: accountIds(a.account),
              dryRun: a['dry-run'],
              yes: a.yes,
              keepGoing: a['keep-going'],
              outDir: resolve(io.cwd, a.out),
              ...(a['audit-log'] !== undefined && { auditLog: resolve(io.cwd, a['audit-log']) }),
              gate: inputs,
              memberRole: a['member-role'],
              ...(a['external-id'] !== undefined && { externalId: a['external-id'] }),
              ...(a.profile !== undefined && { profile: a.profile }),
              ...(a.region !== undefined && { region: a.region }),
              cwd: io.cwd,
            },
            {
              stdout: io.stdout,
              stderr: io.stderr,
              isTTY: process.stdin.isTTY === true && io.stdout.isTTY === true,
              prompt: async (question) => {
                const rl = createInterface({ input: process.stdin, output: process.stdout });
                try {
                  return await rl.question(question);
                } finally {
                  rl.close();
                }
              },
            },
          );
        }),
    )
    .command('rules', 'List or validate rules', (y) =>
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
                for (const r of p.rules) table.push([r.id, r.severity, p.name, r.title]);
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
                `ok: ${n} rules in ${config.packs.length} pack${config.packs.length === 1 ? '' : 's'} (${config.packs.map((p) => `${p.name}@${p.version}`).join(', ')})\n`,
              );
              return 0;
            }),
        )
        .demandCommand(1, 'say "rules list" or "rules validate"'),
    )
    .command(
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
    )
    .command(
      'compare <old> <new>',
      'Compare two reports (exit 1 when some account got worse)',
      (y) =>
        y
          .positional('old', { type: 'string', demandOption: true })
          .positional('new', { type: 'string', demandOption: true }),
      (args) =>
        run(async () => {
          const cmp = compareReports(
            await loadReportFile(resolve(io.cwd, args.old)),
            await loadReportFile(resolve(io.cwd, args.new)),
          );
          const c = colours(io.stdout, io.env);
          for (const ch of cmp.changes) {
            const label =
              ch.name === undefined ? ch.accountId : `${ch.accountId} (${printable(ch.name)})`;
            io.stdout.write(`${label}: ${ch.before} -> ${ch.after}\n`);
            for (const r of ch.rules) io.stdout.write(`  ${r.id}: ${r.before} -> ${r.after}\n`);
          }
          io.stdout.write(
            `${c('bold', `${cmp.changes.length} accounts changed`)}: ${cmp.regressions} worse, ${cmp.improvements} better\n`,
          );
          return cmp.regressions > 0 ? 1 : 0;
        }),
    )
    .command(
      'demo',
      'Evaluate the bundled demo organization (no AWS needed)',
      (y) =>
        y
          .option('out', { type: 'string', default: 'reports', describe: 'Output directory' })
          .option('format', {
            type: 'string',
            describe: `Report formats (default: all: ${REPORT_FORMATS.join(',')})`,
          }),
      (args) =>
        run(async () => {
          const dir = join(packageRoot(), 'examples', 'demo');
          io.stdout.write(`leavegate demo: evaluating ${join(dir, 'snapshot.json')}\n`);
          const config = await loadGateConfig({
            attestationsFile: join(dir, 'attestations.json'),
            commandLine: redactArgv(argv),
            // The bundled snapshot is a fixed example: its age says nothing.
            maxSnapshotAgeMs: Number.POSITIVE_INFINITY,
            cwd: io.cwd,
          });
          const { snapshot, sha256, warnings } = await loadSnapshotFile(join(dir, 'snapshot.json'));
          config.warnings.push(...warnings);
          const report = await evaluateSnapshot(
            snapshot,
            sha256,
            config,
            join(dir, 'snapshot.json'),
          );
          await writeAndSummarize(
            report,
            parseFormats(args.format, [...REPORT_FORMATS]),
            resolve(io.cwd, args.out),
            io,
          );
          io.stdout.write(
            'Open report.html in a browser. The demo exits 0; a real check exits 1 when an account is blocked.\n',
          );
          return 0;
        }),
    )
    .demandCommand(1, 'say which command to run (see --help)')
    .fail((msg, err) => {
      if (err !== undefined && err !== null) throw err;
      throw new UsageError(msg);
    })
    .exitProcess(false)
    .help();
}

/**
 * Runs the CLI and resolves to the exit code: 0 ready, 1 blocked, 3 unknown,
 * 2 usage/input error.
 */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  let pending: Promise<number> | undefined;
  try {
    let helpOutput = '';
    const parser = buildParser(argv, io, (p) => {
      pending = p;
    });
    await parser.parseAsync(argv, {}, (err, _argv, output) => {
      if (err === null || err === undefined) helpOutput = output;
    });
    if (pending === undefined) {
      // --help / --version
      if (helpOutput !== '') io.stdout.write(`${helpOutput}\n`);
      return 0;
    }
    return await pending;
  } catch (err) {
    const c = colours(io.stderr, io.env);
    if (err instanceof LeavegateError) {
      io.stderr.write(`${c('red', 'leavegate: error')} [${err.code}] ${printable(err.message)}\n`);
      if (err instanceof UsageError) io.stderr.write('Run "leavegate --help" for usage.\n');
      return err.exitCode;
    }
    io.stderr.write(
      `${c('red', 'leavegate: internal error')} ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return 2;
  }
}
