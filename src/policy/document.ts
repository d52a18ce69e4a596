/**
 * Validates an untrusted policy document and compiles it for one action and resource.
 * A malformed document is a value (`{ ok: false }`), never an exception:
 * the verdict becomes `error` and the rule reading it `unknown`.
 */
import { compileValue, parseOperator, scalarText, type CompiledCondition } from './conditions.js';
import { wildcardMatch } from './wildcard.js';
import type { JsonValue } from '../json.js';
import type { PolicyInput } from './types.js';

export type PolicyKind = 'scp' | 'identity' | 'boundary';

export interface CompiledStatement {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** Whether Action/NotAction covers the evaluated action. */
  actionMatches: boolean;
  /** Whether Resource/NotResource covers the request's resource (`*`: the action has no resource type). */
  resourceMatches: boolean;
  /** Why the action or resource did not match (for explanations). */
  mismatch?: string;
  conditions: CompiledCondition[];
}

export interface CompiledPolicy {
  id: string;
  name: string;
  statements: CompiledStatement[];
}

export interface PolicyError {
  policyId: string;
  policyName: string;
  statementIndex?: number;
  /** 'empty-values': a condition lists no values (an unfilled template), not a broken document. */
  code: 'malformed' | 'empty-values';
  reason: string;
}

export type CompileResult =
  { ok: true; policy: CompiledPolicy } | { ok: false; error: PolicyError };

const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
  'Principal',
  'NotPrincipal',
]);

class Malformed extends Error {
  constructor(
    message: string,
    readonly statementIndex?: number,
    readonly code: PolicyError['code'] = 'malformed',
  ) {
    super(message);
  }
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: JsonValue | undefined, element: string, index: number): string[] {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'string')) {
    throw new Malformed(`${element} must be a string or a non-empty array of strings`, index);
  }
  return list;
}

/** Validates and compiles a statement's Condition block (undefined: no conditions). */
function compileConditions(
  condition: JsonValue | undefined,
  index: number,
  variables: boolean,
): CompiledCondition[] {
  const conditions: CompiledCondition[] = [];
  if (condition === undefined) return conditions;
  if (!isObject(condition)) throw new Malformed('Condition must be an object', index);
  for (const [operator, block] of Object.entries(condition)) {
    const parsed = parseOperator(operator);
    if (!parsed) throw new Malformed(`unknown condition operator ${operator}`, index);
    if (!isObject(block)) throw new Malformed(`Condition ${operator} must be an object`, index);
    for (const [key, value] of Object.entries(block)) {
      const list = Array.isArray(value) ? value : [value];
      // What AWS makes of an empty list or a Null/Bool value other than true/false is not
      // documented: read it as nothing (or as "false") and a Deny could silently stop applying.
      // Still an error (fail closed), but said as what it most likely is: Control Tower's
      // region-deny template and its kin ship with the list to fill in left empty.
      if (list.length === 0)
        throw new Malformed(
          `condition ${operator} ${key} has an empty value list (a template not filled in?)`,
          index,
          'empty-values',
        );
      for (const v of list) {
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
          throw new Malformed(
            `Condition ${operator} ${key}: values must be strings, numbers or booleans`,
            index,
          );
        if (
          (parsed.base.family === 'null' || parsed.base.family === 'bool') &&
          !/^(true|false)$/i.test(scalarText(v))
        )
          throw new Malformed(
            `Condition ${operator} ${key}: values must be "true" or "false", not ${JSON.stringify(v)}`,
            index,
          );
      }
      conditions.push({
        operator,
        key,
        values: list,
        parsed,
        policyValues: list.map((v) =>
          compileValue(scalarText(v), variables && parsed.base.variables),
        ),
      });
    }
  }
  return conditions;
}

function compileStatement(
  raw: JsonValue | undefined,
  index: number,
  kind: PolicyKind,
  request: { action: string; resource: string },
  variables: boolean,
): CompiledStatement {
  const { action, resource } = request;
  if (!isObject(raw)) throw new Malformed('statement is not an object', index);
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_KEYS.has(key)) throw new Malformed(`unknown element ${key}`, index);
  }
  if ('Principal' in raw || 'NotPrincipal' in raw) {
    const element = 'Principal' in raw ? 'Principal' : 'NotPrincipal';
    throw new Malformed(
      `${element} element is not allowed in ${kind === 'scp' ? 'an SCP' : 'an identity-based policy'}`,
      index,
    );
  }
  const sid = raw.Sid;
  if (sid !== undefined && typeof sid !== 'string')
    throw new Malformed('Sid must be a string', index);
  const effect = raw.Effect;
  if (effect === undefined) throw new Malformed('no Effect', index);
  if (effect !== 'Allow' && effect !== 'Deny')
    throw new Malformed(`Effect must be "Allow" or "Deny", not ${JSON.stringify(effect)}`, index);

  const hasAction = 'Action' in raw;
  const hasNotAction = 'NotAction' in raw;
  if (hasAction === hasNotAction)
    throw new Malformed(hasAction ? 'both Action and NotAction' : 'no Action or NotAction', index);
  const actionElement = hasAction ? 'Action' : 'NotAction';
  const actions = stringList(raw[actionElement], actionElement, index);
  for (const a of actions) {
    if (a !== '*' && !/^[A-Za-z0-9*?-]+:[A-Za-z0-9*?]*$/.test(a))
      throw new Malformed(
        `${actionElement} ${JSON.stringify(a)} is not "*" or "service:action"`,
        index,
      );
  }
  const anyAction = actions.some((a) => wildcardMatch(a, action, true));
  const actionMatches = hasAction ? anyAction : !anyAction;

  const hasResource = 'Resource' in raw;
  const hasNotResource = 'NotResource' in raw;
  if (hasResource && hasNotResource) throw new Malformed('both Resource and NotResource', index);
  if (!hasResource && !hasNotResource) throw new Malformed('no Resource or NotResource', index);
  const element = hasResource ? 'Resource' : 'NotResource';
  const resources = stringList(raw[element], element, index);
  // An action with no resource type (LeaveOrganization) has the request's resource `*` itself.
  // A policy variable in a pattern is resolved per request, which compiling cannot: such a
  // pattern is read so that a Deny applies and an Allow does not (fail closed).
  const failClosed = hasResource === (effect === 'Deny');
  let unresolved = false;
  const anyResource = resources.some((r) => {
    if (resource === '*' || !variables || !r.includes('${')) return wildcardMatch(r, resource);
    unresolved = true;
    return failClosed;
  });
  const resourceMatches = hasResource ? anyResource : !anyResource;
  const resourceText = (): string =>
    `${element} ${JSON.stringify(resources.length === 1 ? resources[0] : resources)}`;

  const conditions = compileConditions(raw.Condition, index, variables);

  const out: CompiledStatement = { index, effect, actionMatches, resourceMatches, conditions };
  if (sid !== undefined) out.sid = sid;
  if (!actionMatches) {
    out.mismatch = `${actionElement} ${JSON.stringify(actions.length === 1 ? actions[0] : actions)} does not cover ${action}`;
  } else if (!resourceMatches) {
    const what = resource === '*' ? `"*" (${action} has no resource type)` : resource;
    const why = unresolved ? ' (a policy variable in it is not resolved before the call)' : '';
    out.mismatch = `${resourceText()} does not cover ${what}${why}`;
  }
  return out;
}

// Compiled documents keyed by the document object: an org-wide run evaluates the same
// few SCP objects for thousands of accounts. Documents are treated as immutable.
const compiledCache = new WeakMap<object, Map<string, CompileResult>>();
let cacheEnabled = true;

/** Turns the compiled-document cache off or on (benchmarks measure the uncached path). */
export function setCompileCache(enabled: boolean): void {
  cacheEnabled = enabled;
}

/** Whether compiled documents are reused (what evaluate.ts's trace memo relies on). */
export function compileCacheEnabled(): boolean {
  return cacheEnabled;
}

/**
 * Validates and compiles a policy for the given action and resource (default `*`), cached
 * per document object and (kind, action, resource): one document compiled for two actions
 * is two entries, never one.
 */
export function compilePolicy(
  input: PolicyInput,
  kind: PolicyKind,
  action: string,
  resource = '*',
): CompileResult {
  const doc = input.document;
  const request = { action, resource };
  if (!cacheEnabled || typeof doc !== 'object' || doc === null)
    return compileUncached(input, kind, request);
  let byKey = compiledCache.get(doc);
  if (byKey === undefined) {
    byKey = new Map();
    compiledCache.set(doc, byKey);
  }
  const key = `${kind}\u0000${action}\u0000${resource}\u0000${input.id}\u0000${input.name}`;
  let result = byKey.get(key);
  if (result === undefined) {
    result = compileUncached(input, kind, request);
    byKey.set(key, result);
  }
  return result;
}

function compileUncached(
  input: PolicyInput,
  kind: PolicyKind,
  request: { action: string; resource: string },
): CompileResult {
  const fail = (
    reason: string,
    statementIndex?: number,
    code: PolicyError['code'] = 'malformed',
  ): CompileResult => ({
    ok: false,
    error: {
      policyId: input.id,
      policyName: input.name,
      ...(statementIndex !== undefined ? { statementIndex } : {}),
      code,
      reason,
    },
  });
  const doc = input.document;
  if (!isObject(doc)) return fail('the policy document is not a JSON object');
  for (const key of Object.keys(doc)) {
    if (key !== 'Version' && key !== 'Id' && key !== 'Statement')
      return fail(`unknown element ${key}`);
  }
  const version = doc.Version;
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') {
    return fail(`Version must be "2012-10-17" or "2008-10-17", not ${JSON.stringify(version)}`);
  }
  // Policy variables exist only in version 2012-10-17; older documents treat `${...}` literally.
  const variables = version === '2012-10-17';
  const rawStatements = doc.Statement;
  if (rawStatements === undefined) return fail('no Statement');
  const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
  try {
    const statements = list.map((s, i) => compileStatement(s, i, kind, request, variables));
    return { ok: true, policy: { id: input.id, name: input.name, statements } };
  } catch (e) {
    if (e instanceof Malformed) return fail(e.message, e.statementIndex, e.code);
    throw e;
  }
}
