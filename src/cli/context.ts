/**
 * What every command gets: where to write, the environment, the working
 * directory and its own argv (for the report's provenance). A command's
 * handler returns its exit code through `run`; main maps nothing.
 */
import type { Argv } from 'yargs';
import type { Settings } from './config.js';
import type { Writer } from './output.js';

export interface CliIo {
  stdout: Writer;
  stderr: Writer;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where a confirmation prompt reads its answer (default: process.stdin). */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean | undefined };
  /** Terminal width for --help (default: process.stdout.columns, else 100). */
  columns?: number | undefined;
}

export interface CommandContext {
  io: CliIo;
  /** argv after the program name. */
  argv: readonly string[];
  /** The configuration file's and LEAVEGATE_* settings of this command (already given to yargs). */
  settings: Settings;
  /** A diagnostic line on stderr with --verbose/--debug; nothing otherwise. */
  log: (message: string) => void;
  /** Hands the command's exit code to main. */
  run: (fn: () => Promise<number>) => void;
}

/** A command: one file under src/cli/commands/ and one line in its index. */
export type Command = (y: Argv, ctx: CommandContext) => Argv;

export function defaultIo(): CliIo {
  return {
    stdout: { write: (t) => void process.stdout.write(t), isTTY: process.stdout.isTTY },
    stderr: { write: (t) => void process.stderr.write(t), isTTY: process.stderr.isTTY },
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    columns: process.stdout.columns,
  };
}
