/**
 * One ajv (JSON Schema 2020-12) instance for every schema in schemas/,
 * compiled once, reporting every violation as `file: /json/pointer: message`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Issue, Result } from './errors.js';
import { packageRoot } from './paths.js';

export type SchemaName = 'snapshot' | 'attestations' | 'rule' | 'report' | 'waivers';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

let ajv: Ajv2020 | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

function instance(): Ajv2020 {
  if (ajv === undefined) {
    ajv = new Ajv2020({
      allErrors: true,
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
    });
    addFormats(ajv);
  }
  return ajv;
}

/** Absolute path of a bundled schema file. */
export function schemaPath(name: SchemaName): string {
  return join(packageRoot(), 'schemas', `${name}.schema.json`);
}

/** The parsed schema document. */
export function loadSchema(name: SchemaName): Record<string, unknown> {
  return JSON.parse(readFileSync(schemaPath(name), 'utf8')) as Record<string, unknown>;
}

function validator(name: SchemaName): ValidateFunction {
  let fn = compiled.get(name);
  if (fn === undefined) {
    fn = instance().compile(loadSchema(name));
    compiled.set(name, fn);
  }
  return fn;
}

function toIssue(e: ErrorObject, file: string | undefined): Issue {
  let message = e.message ?? 'is invalid';
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    message = `unknown property "${params.additionalProperty}"`;
  } else if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    message = `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  } else if (e.keyword === 'const') {
    message = `must be ${JSON.stringify(params.allowedValue)}`;
  } else if (e.keyword === 'required' && typeof params.missingProperty === 'string') {
    message = `missing required property "${params.missingProperty}"`;
  }
  return { file, path: e.instancePath, message };
}

/**
 * Validates `value` against a bundled schema. Returns every violation (ajv
 * `allErrors`), deduplicated, each with the file and JSON pointer.
 */
export function validateSchema<T>(name: SchemaName, value: unknown, file?: string): Result<T> {
  const fn = validator(name);
  if (fn(value)) return { ok: true, value: value as T };
  const seen = new Set<string>();
  const issues: Issue[] = [];
  for (const e of fn.errors ?? []) {
    // "if/then" and "anyOf" wrappers repeat their branches' errors: keep the specific ones.
    if (e.keyword === 'if' || e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    const issue = toIssue(e, file);
    const key = `${issue.path}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return { ok: false, issues };
}
