#!/usr/bin/env node
/**
 * `npm run build`, but only when dist/ is missing or older than what it is
 * built from: `npm test` runs this first, so a fresh clone (npm ci writes no
 * dist/) builds once and the next runs start at once.
 *
 *   node scripts/build-if-stale.mjs          build if stale, else say it is fresh
 *   node scripts/build-if-stale.mjs --check  exit 1 if stale, 0 if fresh (no build)
 *
 * Fresh means: dist/.build-stamp exists and no file under the inputs below
 * is newer than it. The stamp carries the time the last successful build
 * started, so a file saved during a build makes the next run build again.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');

/** What `npm run build` reads (tsconfig.build.json's include, the validators' schemas, the scripts). */
const INPUTS = [
  'src',
  'bench',
  'test/harness',
  'bin',
  'schemas',
  'scripts',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
];

/**
 * The newest modification time (ms) under `path`, and the file that has it.
 * A directory counts too: removing or renaming a file changes only its
 * directory's time.
 */
function newest(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (info === undefined) return { mtime: 0, file: path };
  let best = { mtime: info.mtimeMs, file: path };
  if (!info.isDirectory()) return best;
  for (const entry of readdirSync(path)) {
    const found = newest(join(path, entry));
    if (found.mtime > best.mtime) best = found;
  }
  return best;
}

/** Why dist/ must be rebuilt, or undefined when it is fresh. */
export function staleReason() {
  if (!existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) return 'dist/ is missing';
  const built = statSync(stamp, { throwIfNoEntry: false });
  if (built === undefined) return 'dist/ has no build stamp';
  for (const input of INPUTS) {
    const { mtime, file } = newest(join(root, input));
    if (mtime > built.mtimeMs) return `${file.slice(root.length + 1)} changed since the last build`;
  }
  return undefined;
}

const reason = staleReason();
if (process.argv.includes('--check')) {
  if (reason !== undefined) console.log(`build: stale: ${reason}`);
  process.exit(reason === undefined ? 0 : 1);
}
if (reason === undefined) {
  console.log('build: dist/ is up to date (scripts/build-if-stale.mjs)');
} else {
  console.log(`build: ${reason}: npm run build`);
  const started = new Date();
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, `built from the sources as of ${started.toISOString()}\n`);
  utimesSync(stamp, started, started);
}
