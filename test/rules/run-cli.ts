/** Runs the CLI in-process (main) with captured output, from `cwd`. */
import { main } from '../../src/cli/main.js';

export async function runCli(
  args: string[],
  cwd: string,
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, {
    stdout: { write: (t) => void (out += t) },
    stderr: { write: (t) => void (err += t) },
    env: {},
    cwd,
  });
  return { code, out, err };
}
