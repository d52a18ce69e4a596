/**
 * Validation against the schemas in schemas/, through the ajv validators that
 * `npm run build` precompiled into dist/validators/ (scripts/validators.mjs):
 * nothing is compiled at run time. Every violation is reported as
 * `file: /json/pointer: message`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Issue, Result } from './errors.js';
import { packageRoot } from './paths.js';

export type SchemaName =
  'snapshot' | 'attestations' | 'rule' | 'rule-test' | 'report' | 'waivers' | 'config';

const requireValidator = createRequire(import.meta.url);
const loaded = new Map<SchemaName, ValidateFunction>();

/** Absolute path of a bundled schema file. */
export function schemaPath(name: SchemaName): string {
  return join(packageRoot(), 'schemas', `${name}.schema.json`);
}

/** The parsed schema document. */
export function loadSchema(name: SchemaName): Record<string, unknown> {
  return JSON.parse(readFileSync(schemaPath(name), 'utf8')) as Record<string, unknown>;
}

/** Absolute path of the precompiled validator of a bundled schema. */
function validatorPath(name: SchemaName): string {
  return join(packageRoot(), 'dist', 'validators', `${name}.cjs`);
}

function validator(name: SchemaName): ValidateFunction {
  let fn = loaded.get(name);
  if (fn === undefined) {
    const file = validatorPath(name);
    try {
      fn = requireValidator(file) as ValidateFunction;
    } catch (e) {
      // Only a checkout that was never built gets here: the package ships them.
      throw new Error(`leavegate: cannot load ${file} (run npm run build): ${String(e)}`);
    }
    loaded.set(name, fn);
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
