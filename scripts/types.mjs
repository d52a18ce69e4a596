#!/usr/bin/env node
/**
 * Generates the TypeScript contract types, src/generated/<name>.ts, from
 * schemas/<name>.schema.json (json-schema-to-typescript): the schemas are the
 * one source of truth and the generated files are committed.
 *
 *   node scripts/types.mjs                  write src/generated/*.ts (npm run generate)
 *   node scripts/types.mjs --check          exit 1, naming the files, when they are stale
 *   --schemas DIR / --out DIR               read / write (or compare) other folders
 *
 * Only a copy of each schema is adjusted for the generator (type names, a few
 * TypeScript types JSON Schema cannot say); the published files stay as they are.
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compile } from 'json-schema-to-typescript';
import * as prettier from 'prettier';
import { readSchema, root, schemaNames, writeFiles } from './validators.mjs';

/** TypeScript names of the schema's objects, by JSON pointer ('' = the document). */
const NAMES = {
  attestations: { '': 'Attestations', '/$defs/attestation': 'Attestation' },
  report: {
    '': 'Report',
    '/properties/tool': 'ToolInfo',
    '/properties/snapshot': 'SnapshotInfo',
    '/properties/rulePacks/items': 'RulePackInfo',
    '/properties/summary': 'ReportSummary',
    '/properties/stats': 'ReportStats',
    '/$defs/account': 'AccountReport',
    '/$defs/account/properties/tags/items': 'Tag',
    '/$defs/account/properties/impact': 'AccountImpact',
    '/$defs/account/properties/impact/properties/findings/items': 'ImpactFinding',
    '/$defs/ruleResult': 'RuleResult',
    '/$defs/waiver': 'WaiverApplied',
    '/$defs/attestationUsed': 'AttestationUsed',
    '/$defs/inputFile': 'InputFile',
    '/$defs/ruleDigests/items': 'RuleDigest',
    '/$defs/inputs': 'ReportInputs',
    '/$defs/inputs/properties/rulePacks/items': 'RulePackInput',
    '/$defs/inputs/properties/plugins/items': 'PluginInput',
    '/$defs/inputs/properties/clock': 'ClockInfo',
    '/$defs/ruleInfo': 'RuleInfo',
  },
  // messages stays a type literal: the rule loader reads it with Object.entries.
  rule: { '': 'RuleFile' },
  snapshot: {
    '': 'Snapshot',
    '/$defs/organization': 'OrganizationInfo',
    '/$defs/organizationalUnit': 'OrganizationalUnit',
    '/$defs/policy': 'ScpPolicy',
    '/$defs/delegatedAdministrator': 'DelegatedAdministrator',
    '/$defs/tag': 'Tag',
    '/$defs/principal': 'PrincipalInfo',
    '/$defs/contactInformation': 'ContactInformation',
    '/$defs/account': 'AccountRecord',
    '/$defs/collectionError': 'CollectionError',
    '/$defs/collector': 'Collector',
    '/$defs/stackSet': 'StackSetRecord',
    '/$defs/permissionSet': 'PermissionSetRecord',
    '/$defs/identityCenter': 'IdentityCenterRecord',
    '/$defs/organizationPolicy': 'OrganizationPolicyRecord',
    '/$defs/controlTower': 'ControlTowerRecord',
    '/$defs/ramShare': 'RamShareRecord',
    '/$defs/savingsPlan': 'SavingsPlanRecord',
    '/$defs/rootCredentials': 'RootCredentialsRecord',
    '/$defs/handshake': 'HandshakeRecord',
    '/$defs/paymentInstrument': 'PaymentInstrumentRecord',
  },
  waivers: { '': 'Waivers', '/$defs/waiver': 'Waiver' },
  'rule-test': { '': 'RuleTestFile', '/$defs/case': 'RuleTestCase' },
  config: { '': 'ConfigFile' },
};

/**
 * TypeScript types for what a schema leaves as "any JSON" (json-schema-to-typescript
 * would write an object type) or that the code reads through its own walker.
 */
const TS_TYPES = {
  rule: {
    // json-rules-engine conditions: the schema's if/then/else tree is for error messages;
    // the engine and the rule loader walk it as plain JSON.
    '/properties/conditions': 'Record<string, unknown>',
  },
  snapshot: {
    '/$defs/policy/properties/document': 'JsonValue',
    '/$defs/principal/properties/identityPolicies': 'JsonValue[]',
    '/$defs/principal/properties/permissionsBoundary': 'JsonValue',
  },
};

const CONDITIONAL = ['if', 'then', 'else'];

/** The node at a JSON pointer (`/$defs/account`), or throws: a stale table must not pass silently. */
function at(doc, pointer, schema) {
  let node = doc;
  for (const part of pointer.split('/').slice(1)) {
    node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  if (node === null || typeof node !== 'object') {
    throw new Error(`scripts/types.mjs: schemas/${schema}.schema.json has nothing at ${pointer}`);
  }
  return node;
}

/**
 * What the generator should see of a schema: conditional requirements
 * (if/then/else, and allOf of only those) are dropped — TypeScript types them
 * no better than optional — and an object without properties is a free-form map.
 */
function forTypes(node) {
  if (Array.isArray(node)) return node.map(forTypes);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (CONDITIONAL.includes(key)) continue;
    if (key === 'allOf' && value.every((s) => Object.keys(s).every((k) => CONDITIONAL.includes(k))))
      continue;
    out[key] = forTypes(value);
  }
  const freeForm =
    out.type === 'object' &&
    out.properties === undefined &&
    out.patternProperties === undefined &&
    out.additionalProperties === undefined;
  if (freeForm) out.additionalProperties = true;
  return out;
}

function banner(name) {
  return [
    '/**',
    ` * Generated by scripts/types.mjs from schemas/${name}.schema.json: do not edit.`,
    ' * Change the schema, then run `npm run generate`; test/schema.test.ts fails',
    ' * while this file is stale.',
    ' */',
  ].join('\n');
}

/** The generated TypeScript of every schema in `schemasDir`, by file name (`snapshot.ts`). */
export async function generateTypes(schemasDir) {
  const out = new Map();
  for (const name of schemaNames(schemasDir)) {
    const schema = forTypes(readSchema(schemasDir, name));
    for (const [pointer, title] of Object.entries(NAMES[name] ?? {})) {
      at(schema, pointer, name).title = title;
    }
    for (const [pointer, tsType] of Object.entries(TS_TYPES[name] ?? {})) {
      at(schema, pointer, name).tsType = tsType;
    }
    let code = await compile(schema, NAMES[name]?.[''] ?? name, {
      additionalProperties: false, // open objects stay closed types: a typo in a literal is an error
      bannerComment: banner(name),
      format: false,
      ignoreMinAndMaxItems: true,
      unknownAny: true,
    });
    if (/\bJsonValue\b/.test(code)) {
      code = code.replace(/\*\/\n/, "*/\nimport type { JsonValue } from '../json.js';\n");
    }
    // Formatted as if in src/generated/ whatever the output folder: the same bytes everywhere.
    const file = join(root, 'src', 'generated', `${name}.ts`);
    const options = (await prettier.resolveConfig(file)) ?? {};
    out.set(`${name}.ts`, await prettier.format(code, { ...options, filepath: file }));
  }
  return out;
}

/** Names of the files in `files` whose text differs from `dir`'s (or that `dir` lacks). */
export function staleFiles(dir, files) {
  const stale = [];
  for (const [name, text] of files) {
    let current;
    try {
      current = readFileSync(join(dir, name), 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== text) stale.push(name);
  }
  return stale;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean' },
      schemas: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const schemasDir = resolve(values.schemas ?? join(root, 'schemas'));
  const outDir = resolve(values.out ?? join(root, 'src', 'generated'));
  const files = await generateTypes(schemasDir);
  const where = relative(process.cwd(), outDir) || '.';
  if (values.check) {
    const stale = staleFiles(outDir, files);
    if (stale.length > 0) {
      console.error(
        `types: stale in ${where}: ${stale.join(', ')} (run npm run generate and commit them)`,
      );
      process.exit(1);
    }
    console.log(`types: ${files.size} files in ${where} match schemas/`);
  } else {
    writeFiles(outDir, files);
    console.log(`types: ${files.size} written to ${where}`);
  }
}
