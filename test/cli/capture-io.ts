/** Runs the CLI in-process through its real entry point, capturing what it writes. */
import { main, type CliIo } from '../../src/cli/main.js';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** `main(argv)` with `cwd`, exactly `env` (NO_COLOR unless given) and non-TTY streams. */
export async function runMain(
  argv: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; tty?: boolean },
): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t) => void (stdout += t), isTTY: options.tty === true },
    stderr: { write: (t) => void (stderr += t), isTTY: options.tty === true },
    env: options.env ?? { NO_COLOR: '1' },
    cwd: options.cwd,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
