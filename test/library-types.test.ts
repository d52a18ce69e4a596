/**
 * The published type declarations type-check in a strict consumer
 * (`skipLibCheck: false`) that has leavegate's runtime dependencies and
 * @types/node — and none of its devDependencies (a .d.ts that imports
 * `sarif`, whose types are a devDependency, fails here).
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import { packageRoot } from '../src/paths.js';

const root = packageRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};
const temp = mkdtempSync(join(tmpdir(), 'leavegate-consumer-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** node_modules of the consumer: every installed package except leavegate's devDependencies (but @types/node). */
function consumerModules(dir: string): void {
  const modules = join(root, 'node_modules');
  const excluded = new Set(Object.keys(pkg.devDependencies).filter((d) => d !== '@types/node'));
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      mkdirSync(join(dir, entry), { recursive: true });
      for (const sub of readdirSync(join(modules, entry)))
        if (!excluded.has(`${entry}/${sub}`))
          symlinkSync(join(modules, entry, sub), join(dir, entry, sub));
    } else if (!excluded.has(entry)) symlinkSync(join(modules, entry), join(dir, entry));
  }
}

it('dist/src/*.d.ts type-check in a strict consumer without devDependencies', () => {
  const consumer = join(temp, 'consumer');
  consumerModules(join(consumer, 'node_modules'));
  // The package as installed: its package.json and the declarations it ships.
  const installed = join(consumer, 'node_modules', 'leavegate');
  mkdirSync(installed);
  cpSync(join(root, 'package.json'), join(installed, 'package.json'));
  cpSync(join(root, 'dist', 'src'), join(installed, 'dist', 'src'), {
    recursive: true,
    filter: (src) => !src.endsWith('.js') && !src.endsWith('.map'),
  });
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', type: 'module', private: true }),
  );
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        types: ['node'],
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
      },
      files: ['use.ts'],
    }),
  );
  writeFileSync(
    join(consumer, 'use.ts'),
    [
      "import { evaluateSnapshot, loadGateConfig, loadSnapshotFile, renderSarif, runLeave, type Report } from 'leavegate';",
      'export async function gate(file: string): Promise<string> {',
      '  const { snapshot, sha256 } = await loadSnapshotFile(file);',
      '  const report: Report = await evaluateSnapshot(snapshot, sha256, await loadGateConfig({}));',
      '  return renderSarif(report);',
      '}',
      'export const leave: typeof runLeave = runLeave;',
      '',
    ].join('\n'),
  );
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', consumer, '--listFiles'],
    { encoding: 'utf8' },
  );
  const errors = tsc.stdout.split('\n').filter((l) => l.includes('error TS'));
  expect(errors).toEqual([]);
  expect(tsc.status).toBe(0);
  // It really read leavegate's declarations (not some other copy).
  expect(tsc.stdout).toContain(join(installed, 'dist', 'src', 'index.d.ts'));
}, 120_000);

it('the main export keeps internals out and exports what the index promises', async () => {
  const api = (await import('../src/index.js')) as Record<string, unknown>;
  for (const internal of [
    'escapeHtml',
    'escapeMarkdown',
    'jsonForScript',
    'toSarif',
    'ruleStats',
    'sortedAccounts',
  ])
    expect(api).not.toHaveProperty(internal);
  for (const promised of [
    'runLeave',
    'runTransfer',
    'collect',
    'evaluateSnapshot',
    'loadGateConfig',
    'renderSarif',
    'writeReports',
  ])
    expect(typeof api[promised]).toBe('function');
});

it('the package ships docs/ and the validators, no source maps, and builds on pack, not on install', () => {
  const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(packed.status).toBe(0);
  const files = (JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0]!.files.map(
    (f) => f.path,
  );
  expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  expect(files).toContain('docs/architecture.md');
  expect(files).toContain('dist/validators/config.cjs');
  expect(files).toContain('schemas/config.schema.json');
  expect(files).toContain('dist/src/index.d.ts');
  const scripts = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  expect(scripts.prepare).toBeUndefined();
  expect(scripts.prepack).toMatch(/npm run build/);
}, 60_000);
