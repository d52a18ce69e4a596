/**
 * Code plugins (DESIGN §4.5): an ES module whose default export is
 * `{ name, version, rules?, operators?, facts? }`. Plugin code is trusted as
 * code the user chose to run; its shape is still checked so a mistake is a
 * clear load error.
 */
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError, type Issue } from '../errors.js';
import { BUILTIN_FACTS } from '../facts/registry.js';
import type { PluginFact } from '../facts/types.js';
import { BUILTIN_OPERATORS } from './load.js';
import type { OperatorFn, Plugin, RuleFile } from './types.js';

export interface LoadedPlugin {
  name: string;
  version: string;
  source: string;
  rules: RuleFile[];
  operators: Record<string, OperatorFn>;
  facts: Record<string, PluginFact>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function functions<T>(
  value: unknown,
  source: string,
  pointer: string,
  issues: Issue[],
): Record<string, T> {
  const out: Record<string, T> = {};
  if (value === undefined) return out;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    issues.push({ file: source, path: pointer, message: 'must be an object of functions' });
    return out;
  }
  for (const [key, fn] of Object.entries(value)) {
    if (!NAME.test(key))
      issues.push({ file: source, path: `${pointer}/${key}`, message: 'must be an identifier' });
    else if (typeof fn !== 'function')
      issues.push({ file: source, path: `${pointer}/${key}`, message: 'must be a function' });
    else out[key] = fn as T;
  }
  return out;
}

/** Checks a plugin's default export; throws InputError (plugin.invalid) on any problem. */
export function validatePlugin(value: unknown, source: string): LoadedPlugin {
  const issues: Issue[] = [];
  if (value === null || typeof value !== 'object') {
    throw new InputError('plugin.invalid', [
      {
        file: source,
        path: '',
        message: 'default export must be an object { name, version, rules, operators, facts }',
      },
    ]);
  }
  const p = value as Partial<Plugin> & Record<string, unknown>;
  if (typeof p.name !== 'string' || p.name === '')
    issues.push({ file: source, path: '/name', message: 'must be a non-empty string' });
  if (typeof p.version !== 'string' || p.version === '')
    issues.push({ file: source, path: '/version', message: 'must be a non-empty string' });
  if (p.rules !== undefined && !Array.isArray(p.rules))
    issues.push({ file: source, path: '/rules', message: 'must be an array of rule objects' });
  const operators = functions<OperatorFn>(p.operators, source, '/operators', issues);
  const facts = functions<PluginFact>(p.facts, source, '/facts', issues);
  for (const op of Object.keys(operators)) {
    if ((BUILTIN_OPERATORS as readonly string[]).includes(op)) {
      issues.push({
        file: source,
        path: `/operators/${op}`,
        message: `cannot replace the built-in operator "${op}"`,
      });
    }
  }
  for (const fact of Object.keys(facts)) {
    if (fact in BUILTIN_FACTS)
      issues.push({
        file: source,
        path: `/facts/${fact}`,
        message: `cannot replace the built-in fact "${fact}"`,
      });
  }
  if (issues.length > 0) throw new InputError('plugin.invalid', issues);
  return {
    name: p.name as string,
    version: p.version as string,
    source,
    rules: p.rules ?? [],
    operators,
    facts,
  };
}

/**
 * Imports a plugin by path (`./acme.mjs`, relative to cwd) or package name.
 */
export async function loadPlugin(spec: string, cwd: string = process.cwd()): Promise<LoadedPlugin> {
  const isPath = spec.startsWith('.') || isAbsolute(spec);
  let target = isPath ? pathToFileURL(resolve(cwd, spec)).href : spec;
  if (!isPath) {
    // A package name resolves from the user's project (cwd), not from leavegate's own install.
    try {
      target = pathToFileURL(createRequire(join(cwd, 'package.json')).resolve(spec)).href;
    } catch {
      // ESM-only packages without a "require" export: let import() resolve it.
    }
  }
  let mod: { default?: unknown };
  try {
    mod = (await import(target)) as { default?: unknown };
  } catch (err) {
    throw new InputError('plugin.invalid', [
      { file: spec, path: '', message: `cannot load plugin: ${(err as Error).message}` },
    ]);
  }
  return validatePlugin(mod.default, spec);
}
