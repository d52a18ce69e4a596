/** Runs the CLI in-process through its real entry point, capturing what it writes (test/harness/in-process.ts). */
import { runMain as run, type Run } from '../harness/in-process.js';

export type Captured = Run;

/** `main(argv)` with `cwd`, exactly `env` (only NO_COLOR unless given) and non-TTY streams unless `tty`. */
export function runMain(
  argv: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; tty?: boolean },
): Promise<Captured> {
  return run(argv, {
    cwd: options.cwd,
    env: options.env ?? { NO_COLOR: '1' },
    ...(options.tty !== undefined && { tty: options.tty }),
  });
}
