/**
 * What the executor commands (`leave`, `transfer`) share: their flags on top
 * of the gate's, the refusal of `--now`, and how parsed flags become the
 * executor's options and terminal io — so a second command is its own call
 * and flags only, never a copy of the first.
 */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import type { LeaveIo, LeaveOptions } from '../execute/options.js';
import type { InputFile } from '../report/types.js';
import { accountIds } from './args.js';
import type { CliIo } from './context.js';
import { checkInputs, gateOptions, type GateArgs } from './options.js';

/** The executor's flags: the gate's, the accounts, and how the run confirms and records. */
export function executorOptions<T>(y: Argv<T>, accountHelp: string) {
  return gateOptions(y)
    .option('account', { type: 'string', array: true, demandOption: true, describe: accountHelp })
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
    });
}

export type ExecutorArgs = GateArgs & {
  account: unknown;
  'dry-run': boolean;
  yes: boolean;
  'keep-going': boolean;
  out: string;
  'audit-log'?: string;
};

/**
 * The executor's options from its flags; `gate` adds what the command's gate
 * needs beyond check's inputs (a transfer's mode and handshake). Refuses
 * `--now` before anything else: the clock of an irreversible call is the real clock.
 */
export function executorInputs(
  command: 'leave' | 'transfer',
  a: ExecutorArgs,
  io: CliIo,
  argv: readonly string[],
  gate: Partial<NonNullable<LeaveOptions['gate']>> = {},
  configFile?: InputFile,
): LeaveOptions {
  if (a.now !== undefined)
    throw new UsageError(
      `--now: ${command} evaluates on the real clock (an irreversible call cannot be decided on a what-if time); use "check --now" for what-if analysis`,
    );
  if (a.out === '-')
    throw new UsageError(
      `--out -: ${command} writes its report, snapshot and tags export into a directory; give --out DIR`,
    );
  const {
    now: _now,
    cwd: _cwd,
    memberRole: _role,
    ...inputs
  } = checkInputs(a, io, argv, configFile);
  return {
    accounts: accountIds(a.account),
    dryRun: a['dry-run'],
    yes: a.yes,
    keepGoing: a['keep-going'],
    outDir: resolve(io.cwd, a.out),
    ...(a['audit-log'] !== undefined && { auditLog: resolve(io.cwd, a['audit-log']) }),
    gate: { ...inputs, ...gate },
    memberRole: a['member-role'],
    ...(a['external-id'] !== undefined && { externalId: a['external-id'] }),
    ...(a.profile !== undefined && { profile: a.profile }),
    ...(a.region !== undefined && { region: a.region }),
    cwd: io.cwd,
  };
}

/** The terminal the executor confirms on. */
export function executorIo(io: CliIo): LeaveIo {
  return {
    stdout: io.stdout,
    stderr: io.stderr,
    isTTY: (io.stdin ?? process.stdin).isTTY === true && io.stdout.isTTY === true,
    prompt: async (question) => {
      const rl = createInterface({ input: io.stdin ?? process.stdin, output: process.stdout });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}
