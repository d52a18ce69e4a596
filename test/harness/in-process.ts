/**
 * The CLI in-process, through its real entry point `main(argv, io)`: the same
 * parser, commands, gate and report writer as `bin/leavegate.js`, without
 * the ~1 s a spawned Node.js costs. What only a real process can show (the
 * exit guard, signals, EPIPE/ENOSPC on stdout, which modules load) stays in
 * the spawned tests (test/cli/process-boundary, plugin-hostile, start-time).
 *
 * A run must leave nothing behind for the next test: the environment is
 * exactly `env` while it runs (io.env and process.env, which the AWS SDK and
 * a few limits read) and is put back afterwards, and so are
 * process.exitCode and process.exit. A run that changes the working
 * directory, or leaves a process listener or a timer behind, fails loudly
 * instead of leaking into the next test. Runs are serialized.
 */
import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import { Readable } from 'node:stream';
import { main, type CliIo } from '../../src/cli/main.js';

export interface RunOptions {
  /** Text the run reads on stdin (nothing by default). */
  stdin?: string;
  /** Exactly the environment of the run (default: this process's, with NO_COLOR=1). */
  env?: NodeJS.ProcessEnv;
  /** The working directory the run resolves paths against (default: the repository root). */
  cwd?: string;
  /** Terminal width (--help wraps to it). */
  columns?: number;
  /** Whether stdin, stdout and stderr are terminals (default: not). */
  tty?: boolean;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export const repoRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

/** The process events a run could register a handler for and forget. */
const WATCHED_EVENTS = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'exit',
  'beforeExit',
  'uncaughtException',
  'unhandledRejection',
] as const;

/** process, as the plain emitter it is, for listing the listeners of any event. */
const emitter = process as unknown as NodeJS.EventEmitter;

let queue: Promise<unknown> = Promise.resolve();

/** `leavegate ...args` in-process; resolves to its exit code and what it wrote. */
export function runMain(args: string[], options: RunOptions = {}): Promise<Run> {
  const run = queue.then(() => runIsolated(args, options));
  queue = run.catch(() => undefined);
  return run;
}

const inRun = new AsyncLocalStorage<true>();
/** Timers and immediates started inside a run (its async context, not jest's) and not yet fired or cleared. */
const liveTimers = new Set<number>();
const timerHook = createHook({
  init(id, type) {
    if ((type === 'Timeout' || type === 'Immediate') && inRun.getStore() === true)
      liveTimers.add(id);
  },
  destroy(id) {
    liveTimers.delete(id);
  },
});

async function runIsolated(args: string[], options: RunOptions): Promise<Run> {
  const env: NodeJS.ProcessEnv = options.env ?? { ...process.env, NO_COLOR: '1' };
  // As bin/leavegate.js does before anything loads.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const tty = options.tty === true;
  let stdout = '';
  let stderr = '';
  const stdin = Object.assign(Readable.from(options.stdin === undefined ? [] : [options.stdin]), {
    isTTY: tty,
  });
  const io: CliIo = {
    stdout: { write: (t) => void (stdout += t), isTTY: tty },
    stderr: { write: (t) => void (stderr += t), isTTY: tty },
    env,
    cwd: options.cwd ?? repoRoot,
    stdin,
    columns: options.columns,
  };

  const savedEnv = { ...process.env };
  const savedExitCode = process.exitCode;
  const savedExit = Object.getOwnPropertyDescriptor(process, 'exit');
  const cwd = process.cwd();
  const listeners = new Map(WATCHED_EVENTS.map((e) => [e, emitter.listeners(e)]));
  replaceEnv(env);
  process.exit = (code?: number | string | null) => {
    throw new Error(`process.exit(${String(code)}) was called during an in-process run`);
  };
  liveTimers.clear();
  timerHook.enable();
  let code: number;
  try {
    code = await inRun.run(true, () => main(args, io));
  } finally {
    if (savedExit !== undefined) Object.defineProperty(process, 'exit', savedExit);
    process.exitCode = savedExitCode;
    replaceEnv(savedEnv);
    stdin.destroy();
  }
  const leaks = leftBehind(cwd, listeners);
  // What the run closed or cleared last settles first (destroy hooks run asynchronously).
  await new Promise((resolve) => setImmediate(resolve));
  timerHook.disable();
  if (liveTimers.size > 0) leaks.push(`${liveTimers.size} timer(s) still pending`);
  if (leaks.length > 0)
    throw new Error(`leavegate ${args.join(' ')}: the in-process run left ${leaks.join(', ')}`);
  return { code, stdout, stderr };
}

/** Makes process.env hold exactly `env` (the same object: modules keep their reference). */
function replaceEnv(env: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

/** What the run changed in the process and did not undo; undoes it. */
function leftBehind(cwd: string, before: Map<string, unknown[]>): string[] {
  const leaks: string[] = [];
  if (process.cwd() !== cwd) {
    leaks.push(`the working directory changed to ${process.cwd()}`);
    process.chdir(cwd);
  }
  for (const [event, old] of before) {
    for (const listener of emitter.listeners(event)) {
      if (old.includes(listener)) continue;
      leaks.push(`a '${event}' listener`);
      emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return leaks;
}
