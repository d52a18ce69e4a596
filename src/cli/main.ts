/**
 * The command line (DESIGN §4.1). `main` returns the exit code; bin/leavegate.js
 * is the only place that hands it to the process. Each command is a module
 * under ./commands/ (one file, one line in its index).
 */
import type { Argv } from 'yargs';
import { LeavegateError, UsageError } from '../errors.js';
import { toolVersion } from '../paths.js';
import { printable, printableLines } from '../text.js';
import { defaultIo, type CliIo, type CommandContext } from './context.js';
import { colours } from './output.js';

export type { CliIo } from './context.js';

/** Options that may be given more than once; any other one given twice is ambiguous. */
const REPEATABLE = new Set(['account', 'rules', 'plugin', 'format', 'dirs', '_', '$0']);

/**
 * `--snapshot a --snapshot b` (or `--out a --out b`): which one was meant is
 * unclear, so it is a usage error rather than a guess; and an empty `--out`
 * or file name names no place at all.
 */
function checkSingleValues(argv: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(argv)) {
    if (REPEATABLE.has(key) || (key.includes('-') === false && /[A-Z]/.test(key))) continue;
    if (Array.isArray(value))
      throw new UsageError(`--${key} was given ${value.length} times: give it once`);
    if (
      value === '' &&
      [
        'out',
        'snapshot',
        'attestations',
        'waivers',
        'principal',
        'audit-log',
        'member-role',
      ].includes(key)
    )
      throw new UsageError(`--${key} is empty`);
  }
}

async function buildParser(
  argv: string[],
  io: CliIo,
  done: (code: Promise<number>) => void,
): Promise<Argv> {
  // yargs and the command definitions load here, not at import: `--version` needs neither.
  const [{ default: yargs }, { COMMANDS }, { loadSettings }] = await Promise.all([
    import('yargs'),
    import('./commands/index.js'),
    import('./config.js'),
  ]);
  const log = diagnostics(argv, io);
  const settings = await loadSettings(commandName(argv), argv, io);
  if (settings.file !== undefined)
    io.stderr.write(
      `leavegate: configuration ${printable(settings.file.path)} (sha256 ${settings.file.sha256.slice(0, 12)}…)\n`,
    );
  for (const [option, source] of Object.entries(settings.sources))
    log(
      `--${option} from ${printable(source)}: ${printable(JSON.stringify(settings.values[option as keyof typeof settings.values]))}`,
    );
  const ctx: CommandContext = { io, argv, settings, log, run: (fn) => done(fn()) };
  let parser: Argv = yargs(joinDashValues(argv))
    .scriptName('leavegate')
    .usage(
      '$0 <command> [options]\n\nGate an AWS member account before it leaves its organization.',
    )
    .version(toolVersion())
    .option('debug', {
      type: 'boolean',
      default: false,
      global: true,
      describe: 'Diagnostics: --verbose, and the stack trace of an unexpected error',
    })
    .option('verbose', {
      type: 'boolean',
      default: false,
      global: true,
      describe: 'Say on stderr what was loaded and how long each step took',
    })
    .option('config', {
      type: 'string',
      global: true,
      describe: `Configuration file (default: ./leavegate.config.json if present; LEAVEGATE_CONFIG)`,
    })
    // The file's and LEAVEGATE_* values for this command only; a flag on the command line wins.
    .config(settings.values)
    .strict()
    .recommendCommands()
    .wrap(Math.min(110, io.columns ?? process.stdout.columns ?? 100));
  for (const command of COMMANDS) parser = command(parser, ctx);
  return parser
    .middleware(checkSingleValues, true)
    .demandCommand(1, 'say which command to run (see --help)')
    .fail((msg, err) => {
      if (err !== undefined && err !== null) throw err;
      throw new UsageError(msg);
    })
    .exitProcess(false)
    .help();
}

/**
 * yargs reads a lone `-` as a positional (stdin, by convention), not as the
 * value of the flag before it: `--out -` becomes `--out=-` first.
 */
function joinDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return [...out, ...argv.slice(i)];
    if (arg === '--out' && argv[i + 1] === '-') {
      out.push('--out=-');
      i += 1;
    } else out.push(arg);
  }
  return out;
}

/** The command named on the command line (the first word that is not an option or --config's value). */
function commandName(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return undefined;
    if (arg === '--config') i += 1;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/** `--verbose` (or `--debug`) diagnostics on stderr, each line with the time since start. */
function diagnostics(argv: readonly string[], io: CliIo): (message: string) => void {
  const words = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length);
  if (!words.some((a) => a === '--verbose' || a === '--debug')) return () => undefined;
  const started = performance.now();
  return (message) =>
    io.stderr.write(`leavegate: [${Math.round(performance.now() - started)} ms] ${message}\n`);
}

/**
 * The one error renderer: a leavegate error says its code and message; an
 * unexpected one says what failed in one line (the stack only with --debug).
 * Returns the exit code (never 1, which means "blocked").
 */
export function renderError(err: unknown, io: CliIo, debug: boolean): number {
  const c = colours(io.stderr, io.env);
  if (err instanceof LeavegateError) {
    io.stderr.write(
      `${c('red', 'leavegate: error')} [${err.code}] ${printableLines(err.message)}\n`,
    );
    if (err instanceof UsageError) io.stderr.write('Run "leavegate --help" for usage.\n');
    return err.exitCode === 1 ? 2 : err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`${c('red', 'leavegate: internal error')} ${printable(message)}\n`);
  if (debug && err instanceof Error && err.stack !== undefined)
    io.stderr.write(`${printableLines(err.stack)}\n`);
  else io.stderr.write('Run again with --debug for details.\n');
  return 2;
}

/**
 * yargs renders a command's whole help after running it (cacheHelpMessage),
 * in case the handler then asks for it: ~35 ms of string-width per run, for
 * a text no leavegate command shows after it ran (--help is answered before
 * any handler; a usage error says "Run leavegate --help"). An internal of
 * yargs 18: if it moves, this only stops saving the time.
 */
function skipHelpCache(parser: Argv): void {
  const internals = (
    parser as unknown as {
      getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } };
    }
  ).getInternalMethods?.();
  const usage = internals?.getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

/**
 * Runs the CLI and resolves to the exit code: 0 ready, 1 blocked, 3 unknown,
 * 2 usage/input error.
 */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  let pending: Promise<number> | undefined;
  try {
    // The one answer that needs no parser (yargs alone costs more than the rest of the start).
    if (argv.length === 1 && argv[0] === '--version') {
      io.stdout.write(`${toolVersion()}\n`);
      return 0;
    }
    let helpOutput = '';
    const parser = await buildParser(argv, io, (p) => {
      pending = p;
    });
    skipHelpCache(parser);
    await parser.parseAsync(joinDashValues(argv), {}, (err, _argv, output) => {
      if (err === null || err === undefined) helpOutput = output;
    });
    if (pending === undefined) {
      // --help / --version
      if (helpOutput !== '') io.stdout.write(`${helpOutput}\n`);
      return 0;
    }
    return await pending;
  } catch (err) {
    return renderError(err, io, argv.includes('--debug'));
  }
}
