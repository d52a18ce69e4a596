/**
 * The process exit guard: from the moment bin/leavegate.js installs it, the
 * code the CLI decides is the only one the process can end with. It has no
 * imports, so the entry point installs it before loading anything else.
 */

type ExitFn = (code?: number | string | null) => never;
interface ExitProcess {
  exit: ExitFn;
  reallyExit?: ExitFn;
}

/** Text of whatever was thrown, without trusting it (a getter or Proxy may throw again). */
function errorText(err: unknown): string {
  try {
    if (err instanceof Error) return String(err.message);
    if (typeof err === 'string') return err;
    return `a thrown ${err === null ? 'null' : typeof err}`;
  } catch {
    return 'an error that cannot be read';
  }
}

export interface ExitGuardOptions {
  /** Default: the real process (tests pass a stand-in). */
  process?: ExitProcess & {
    on(event: 'uncaughtException', listener: (err: unknown) => void): unknown;
  };
  stderr?: { write(text: string): unknown };
}

let guardInstalled = false;

/**
 * Makes the returned function the only way to end the process with a code
 * of one's choosing. Afterwards, process.exit or process.reallyExit called
 * by anyone else (a plugin's timer, say) ends the process with 2 and a
 * message, and so does an uncaught exception or unhandled rejection (a crash
 * is never exit 0 or 1). Call it once, before plugins load, from the CLI.
 */
export function installExitGuard(options: ExitGuardOptions = {}): (code: number) => never {
  type GuardedProcess = NonNullable<ExitGuardOptions['process']>;
  const proc: GuardedProcess = options.process ?? process;
  const stderr = options.stderr ?? process.stderr;
  if (options.process === undefined) {
    if (guardInstalled) throw new Error('the exit guard is already installed');
    guardInstalled = true;
  }
  const realExit: ExitFn = proc.exit.bind(proc);
  const realReallyExit: ExitFn | undefined = proc.reallyExit?.bind(proc);
  let decided: number | undefined;
  const refuse = (why: string): number => {
    if (decided === undefined) {
      decided = 2;
      stderr.write(`leavegate: error [plugin.invalid] ${why}; leavegate exits 2\n`);
    }
    return decided;
  };
  proc.exit = (code) =>
    realExit(
      decided ??
        refuse(
          `process.exit(${String(code ?? '')}) was called outside leavegate's exit point (by a plugin?)`,
        ),
    );
  if (realReallyExit !== undefined) {
    // Node's exit() ends in reallyExit(process.exitCode): the decided code wins over a
    // process.exitCode an 'exit' listener set.
    proc.reallyExit = (code) =>
      realReallyExit(
        decided ??
          refuse(
            `process.reallyExit(${String(code ?? '')}) was called outside leavegate's exit point (by a plugin?)`,
          ),
      );
  }
  proc.on('uncaughtException', (err) => {
    realExit(refuse(`internal error: ${errorText(err)}`));
  });
  return (code: number): never => {
    decided ??= code;
    return realExit(decided);
  };
}
