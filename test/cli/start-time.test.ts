/**
 * CLI start (issue 13): what each offline command loads. Offline commands
 * never load the AWS SDK; `--version` loads no argument parser; `rules list`
 * loads neither the engine nor the report producers. (Times are measured by
 * `npm run bench`, bench/start.ts, not asserted here.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { packageRoot } from '../../src/paths.js';

const root = packageRoot();
const demo = join(root, 'examples', 'demo');
const temp = mkdtempSync(join(tmpdir(), 'leavegate-start-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

// A module loader hook that appends every loaded URL to LOADED_LOG.
const hook = join(temp, 'hook.mjs');
writeFileSync(
  hook,
  "import { appendFileSync } from 'node:fs';\n" +
    'export async function load(url, context, next) {\n' +
    "  appendFileSync(process.env.LOADED_LOG, url + '\\n');\n" +
    '  return next(url, context);\n}\n',
);
const register = join(temp, 'register.mjs');
writeFileSync(
  register,
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`,
);

let n = 0;
// The same command loads the same modules: one spawn per distinct command line.
const runs = new Map<string, { code: number | null; urls: string[] }>();
/** The URLs the built CLI loads for `args` (ESM graph and CommonJS entry points). */
function loaded(args: string[]): { code: number | null; urls: string[] } {
  const key = JSON.stringify(args);
  const known = runs.get(key);
  if (known !== undefined) return known;
  const log = join(temp, `loaded-${(n += 1)}.txt`);
  writeFileSync(log, '');
  const r = spawnSync(
    process.execPath,
    ['--import', register, join(root, 'bin', 'leavegate.js'), ...args],
    {
      cwd: temp,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, NO_COLOR: '1', LOADED_LOG: log },
    },
  );
  const run = { code: r.status, urls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  runs.set(key, run);
  return run;
}

const some = (urls: string[], part: string) => urls.some((u) => u.includes(part));

describe('offline commands never load the AWS SDK', () => {
  it.each([
    ['--version', ['--version']],
    ['--help', ['--help']],
    ['rules list', ['rules', 'list']],
    ['rules validate', ['rules', 'validate']],
    [
      'check --snapshot',
      [
        'check',
        '--snapshot',
        join(demo, 'snapshot.json'),
        '--out',
        join(temp, 'r'),
        '--format',
        'json',
      ],
    ],
    ['report', ['report', join(temp, 'r', 'report.json'), '--format', 'md', '--out', '-']],
    ['compare', ['compare', join(temp, 'r', 'report.json'), join(temp, 'r', 'report.json')]],
  ])('%s', (_name, args) => {
    const { code, urls } = loaded(args);
    expect([0, 1, 3]).toContain(code);
    expect(some(urls, 'leavegate.js')).toBe(true); // the hook saw the run
    expect(urls.filter((u) => u.includes('@aws-sdk') || u.includes('@smithy'))).toEqual([]);
  });
});

describe('start loads only what the command needs', () => {
  it('--version: no argument parser, no command modules', () => {
    const { code, urls } = loaded(['--version']);
    expect(code).toBe(0);
    expect(some(urls, '/yargs/')).toBe(false);
    expect(some(urls, '/dist/src/cli/commands/')).toBe(false);
    expect(some(urls, '/dist/src/io.js')).toBe(false);
  });

  it('rules list: no rules engine, gate or report producers', () => {
    const { code, urls } = loaded(['rules', 'list']);
    expect(code).toBe(0);
    expect(some(urls, '/dist/src/rules/load.js')).toBe(true);
    for (const heavy of [
      'json-rules-engine',
      '/dist/src/engine/',
      '/dist/src/gate/',
      '/dist/src/report/html',
      '/dist/src/report/sarif',
      '/dist/src/check.js',
    ])
      expect([heavy, some(urls, heavy)]).toEqual([heavy, false]);
  });

  it('check loads the gate (the lazy path still reaches it)', () => {
    const { urls } = loaded([
      'check',
      '--snapshot',
      join(demo, 'snapshot.json'),
      '--out',
      join(temp, 'r'),
      '--format',
      'json',
    ]);
    expect(some(urls, '/dist/src/check.js')).toBe(true);
    expect(some(urls, 'json-rules-engine')).toBe(true);
  });
});
