/**
 * The schemas in schemas/ are the one source of truth: the TypeScript types
 * (src/generated/, committed) and the precompiled validators
 * (dist/validators/, written by `npm run build`) are generated from them and
 * must be current; the published documents keep their contract shape.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { ATTESTABLE_FACTS } from '../src/facts/types.js';
import { packageRoot } from '../src/paths.js';
import { loadSchema, validateSchema, type SchemaName } from '../src/schema.js';

const root = packageRoot();
const names: SchemaName[] = [
  'attestations',
  'config',
  'report',
  'rule-test',
  'rule',
  'snapshot',
  'waivers',
];
const temp = mkdtempSync(join(tmpdir(), 'leavegate-schema-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function script(args: string[]) {
  return spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
}

describe('generated from schemas/', () => {
  test('schemas/ holds exactly the schemas the code names', () => {
    const files = readdirSync(join(root, 'schemas')).filter((f) => f.endsWith('.schema.json'));
    expect(files.sort()).toEqual(names.map((n) => `${n}.schema.json`));
  });

  test('src/generated/*.ts are current', () => {
    const run = script(['scripts/types.mjs', '--check']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  test('a schema change without regenerating is caught, naming the stale file', () => {
    const schemas = join(temp, 'schemas');
    cpSync(join(root, 'schemas'), schemas, { recursive: true });
    const file = join(schemas, 'waivers.schema.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      $defs: { waiver: { properties: Record<string, unknown> } };
    };
    doc.$defs.waiver.properties.ticket = { type: 'string' };
    writeFileSync(file, JSON.stringify(doc));
    const run = script(['scripts/types.mjs', '--check', '--schemas', schemas]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('stale in src/generated: waivers.ts');
  });

  test('dist/validators/*.cjs are those the schemas compile to', () => {
    const out = join(temp, 'validators');
    execFileSync(process.execPath, ['scripts/validators.mjs', '--out', out], { cwd: root });
    const built = join(root, 'dist', 'validators');
    expect(readdirSync(built).sort()).toEqual(names.map((n) => `${n}.cjs`));
    for (const name of names) {
      const fresh = readFileSync(join(out, `${name}.cjs`), 'utf8');
      // Stale: run npm run build (npm test does).
      expect({ name, current: readFileSync(join(built, `${name}.cjs`), 'utf8') === fresh }).toEqual(
        { name, current: true },
      );
    }
  });

  test('validating loads no schema compiler: the validators are precompiled', () => {
    const code = `
      const { validateSchema } = await import('./dist/src/schema.js');
      const { createRequire } = await import('node:module');
      for (const name of ${JSON.stringify(names)}) validateSchema(name, {});
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(loaded.filter((f) => /ajv[\\\\/]dist[\\\\/](core|2020|compile)/.test(f))));
    `;
    const run = script(['--input-type=module', '-e', code]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([]);
  });

  test('formats are enforced by the precompiled code (ajv-formats, full mode)', () => {
    const attestations = validateSchema('attestations', {
      schemaVersion: 1,
      attestations: [
        {
          accountId: '222222222222',
          fact: 'phoneVerified',
          value: true,
          attestedBy: 'jane@example.com',
          attestedAt: '2026-11-31T00:00:00Z',
          expiresAt: '2026-12-20T00:00:00Z',
        },
      ],
    });
    expect(attestations).toEqual({
      ok: false,
      issues: [
        {
          file: undefined,
          path: '/attestations/0/attestedAt',
          message: 'must match format "date-time"',
        },
      ],
    });
    const report = validateSchema('rule', { references: ['https://exa mple.com/'] }, 'x.json');
    expect(report.ok ? [] : report.issues).toContainEqual({
      file: 'x.json',
      path: '/references/0',
      message: 'must match format "uri"',
    });
  });
});

// [schema, $defs name (undefined = the document), open for extension]
const shapes: [SchemaName, string | undefined, boolean][] = [
  ['snapshot', undefined, false],
  ['snapshot', 'organization', false],
  ['snapshot', 'organizationalUnit', false],
  ['snapshot', 'policy', false],
  ['snapshot', 'delegatedAdministrator', false],
  ['snapshot', 'tag', false],
  ['snapshot', 'principal', false],
  ['snapshot', 'contactInformation', true],
  ['snapshot', 'account', true],
  ['snapshot', 'collectionError', false],
  ['snapshot', 'collector', true],
  ['snapshot', 'stackSet', false],
  ['snapshot', 'permissionSet', false],
  ['snapshot', 'identityCenter', false],
  ['snapshot', 'organizationPolicy', false],
  ['snapshot', 'controlTower', false],
  ['snapshot', 'ramShare', false],
  ['snapshot', 'savingsPlan', false],
  ['snapshot', 'rootCredentials', false],
  ['snapshot', 'handshake', false],
  ['snapshot', 'paymentInstrument', false],
  ['attestations', undefined, false],
  ['attestations', 'attestation', false],
  ['waivers', undefined, false],
  ['waivers', 'waiver', false],
];

interface SchemaObject {
  properties?: Record<string, unknown>;
  additionalProperties?: unknown;
}

function def(schema: SchemaName, name: string | undefined): SchemaObject {
  const doc = loadSchema(schema) as unknown as SchemaObject & {
    $defs: Record<string, SchemaObject>;
  };
  if (name === undefined) return doc;
  const found = doc.$defs[name];
  if (found === undefined) throw new Error(`${schema}: no $defs/${name}`);
  return found;
}

describe('the published schemas', () => {
  test.each(shapes)('%s $defs/%s: closed unless open for extension', (schema, name, open) => {
    expect(def(schema, name).additionalProperties).toBe(open ? undefined : false);
  });

  test.each(names)('%s: 2020-12 with an $id', (name) => {
    const doc = loadSchema(name);
    expect(doc.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(doc.$id).toBe(`https://leavegate.dev/schemas/${name}.schema.json`);
  });

  test('the attestable facts of the schema are those of the code', () => {
    const fact = (def('attestations', 'attestation').properties?.fact ?? {}) as { enum: string[] };
    expect(fact.enum).toEqual([...ATTESTABLE_FACTS]);
  });
});
