/**
 * A bounded, seeded fuzz of the CLI entry point, in process: a few hundred
 * mutations of the demo inputs through `main`, asserting the exit-code
 * invariants — only 0-3; 2 names a file; never a stack trace; never "ready"
 * for an account whose required fact the mutation removed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { main } from '../../src/cli/main.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DEMO = join(ROOT, 'examples', 'demo');
const SNAPSHOT = readFileSync(join(DEMO, 'snapshot.json'), 'utf8');
const ATTESTATIONS = readFileSync(join(DEMO, 'attestations.json'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'leavegate-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value in a document (objects' keys and arrays' indices). */
function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function setAt(doc: Json, path: (string | number)[], replace: (old: Json) => Json | undefined) {
  if (path.length === 0) return;
  let parent = doc as Record<string | number, Json>;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, Json>;
  const last = path.at(-1)!;
  const next = replace(parent[last]!);
  if (next === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = next;
}

const REPLACEMENTS: Json[] = [
  null,
  '',
  ' ',
  '\u001b[2J',
  'ACTIVE',
  0,
  -1,
  1e308,
  true,
  [],
  {},
  'x'.repeat(3000),
];

/** A text-level mutation of a JSON document. */
const textMutation = fc.oneof(
  fc.record({
    kind: fc.constant('truncate' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.record({ kind: fc.constant('duplicate-key' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('value' as const),
    at: fc.nat(),
    with: fc.oneof(fc.constant(undefined), fc.constantFrom(...REPLACEMENTS)),
  }),
);

function mutate(
  text: string,
  m: fc.Arbitrary<unknown> extends never ? never : Record<string, unknown>,
): string {
  if (m.kind === 'truncate') return text.slice(0, Math.floor(text.length * (m.at as number)));
  const doc = JSON.parse(text) as Json;
  const all = paths(doc).filter((p) => p.length > 0);
  const path = all[(m.at as number) % all.length]!;
  if (m.kind === 'duplicate-key') {
    const key = path.at(-1);
    if (typeof key !== 'string') return text;
    // The same key twice in one object: which value was meant is unclear.
    return text.replace(`"${key}":`, `"${key}": "dup", "${key}":`);
  }
  setAt(doc, path, () => m.with as Json | undefined);
  return JSON.stringify(doc);
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, {
    stdout: { write: (t) => void (out += t) },
    stderr: { write: (t) => void (err += t) },
    env: { NO_COLOR: '1' },
    cwd: work,
  });
  return { code, out, err };
}

/** `check` of one snapshot and attestations file, JSON only, the snapshot's age ignored. */
const check = (snap: string, att: string, out: string) =>
  run([
    'check',
    '--snapshot',
    snap,
    '--attestations',
    att,
    '--format',
    'json',
    '--out',
    out,
    '--max-snapshot-age',
    '9999d',
  ]);

function expectInvariants(r: { code: number; err: string }) {
  expect([0, 1, 2, 3]).toContain(r.code);
  expect(r.err).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(r.err).not.toMatch(/internal error/);
  if (r.code === 2) expect(r.err).toMatch(/\.json|--[a-z]/);
}

describe('fuzzing the CLI entry point (seeded, bounded)', () => {
  let n = 0;
  it('mutated snapshots and attestations: exit codes 0-3, 2 names a file, no stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), textMutation, async (onSnapshot, m) => {
        const dir = join(work, `m${n++}`);
        const snap = join(work, `s${n}.json`);
        const att = join(work, `a${n}.json`);
        writeFileSync(snap, onSnapshot ? mutate(SNAPSHOT, m) : SNAPSHOT);
        writeFileSync(att, onSnapshot ? ATTESTATIONS : mutate(ATTESTATIONS, m));
        const r = await check(snap, att, dir);
        expectInvariants(r);
      }),
      { numRuns: 250, seed: 20261201 },
    );
  }, 120_000);

  const REQUIRED = ['tags', 'contactInformation', 'principal', 'state', 'parentId'];
  it('removing a fact a blocking rule needs never leaves the account ready', async () => {
    const demo = JSON.parse(SNAPSHOT) as { accounts: Record<string, unknown>[] };
    await fc.assert(
      fc.asyncProperty(
        fc.nat(demo.accounts.length - 1),
        fc.constantFrom(...REQUIRED),
        async (i, field) => {
          const doc = JSON.parse(SNAPSHOT) as { accounts: Record<string, unknown>[] };
          const id = doc.accounts[i]!.id as string;
          delete doc.accounts[i]![field];
          const snap = join(work, `r${n++}.json`);
          writeFileSync(snap, JSON.stringify(doc));
          const dir = join(work, `rd${n}`);
          const r = await check(snap, join(DEMO, 'attestations.json'), dir);
          expectInvariants(r);
          if (r.code === 2) return; // refused as input (e.g. a snapshot the schema rejects): nothing ready either
          const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
            accounts: { accountId: string; verdict: string }[];
          };
          expect(report.accounts.find((a) => a.accountId === id)?.verdict).not.toBe('ready');
          expect(r.code).not.toBe(0);
        },
      ),
      { numRuns: 60, seed: 20261202 },
    );
  }, 120_000);
});
