/**
 * Runs an ES module script in a child Node.js process under a file-size limit
 * (`ulimit -f`, in KiB under bash). Past the limit the kernel first writes
 * what fits and returns a short count, then refuses with EFBIG: the shape of
 * a disk that fills up in the middle of a write.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** file: URL of a module of the build (dist/src/...), for a child script to import. */
export function builtModule(path: string): string {
  const file = resolve('dist', 'src', path);
  if (!existsSync(file)) throw new Error('dist/ is missing: run `npm run build` first');
  return JSON.stringify(pathToFileURL(file).href);
}

/** The child's stdout, trimmed; stderr is appended when the child printed nothing. */
export function runUnderFileSizeLimit(kib: number, script: string): string {
  // Without a handler SIGXFSZ kills the process; with one, write() fails with EFBIG.
  const source = `process.on('SIGXFSZ', () => {});\n${script}`;
  const run = spawnSync(
    'bash',
    ['-c', `ulimit -f ${kib} && exec "$0" --input-type=module -e "$1"`, process.execPath, source],
    { encoding: 'utf8' },
  );
  const out = run.stdout.trim();
  return out === '' ? `(no output) ${run.stderr}` : out;
}
