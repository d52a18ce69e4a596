/**
 * `pack.json` of a rule pack: name, version, description, `include` (rule
 * files shared with another pack) and `attestableFacts` (facts a human may
 * attest for this pack's rules, e.g. `financeSignOff`). Validated here with
 * JSON pointers; a bad pack.json is a load error (exit 2).
 */
import { isAbsolute } from 'node:path';
import type { Issue } from '../errors.js';
import { ATTESTABLE_FACTS } from '../facts/types.js';

/** A fact a pack lets humans attest (`attested.<name>` in its rules). */
export interface DeclaredAttestableFact {
  name: string;
  description: string;
  /** The attested value's type: attestations v1 carry booleans. */
  type: 'boolean';
}

export interface PackMeta {
  name?: string;
  version?: string;
  description?: string;
  /**
   * Rule files this pack shares with another pack (paths relative to the pack
   * directory): loaded, validated and hashed as its own, so two packs that
   * mean the same rule do not hold two copies of it.
   */
  include?: string[];
  attestableFacts?: DeclaredAttestableFact[];
}

const FACT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The value types an attestation can carry (attestations v1: `value` is a boolean). */
const VALUE_TYPES = ['boolean'] as const;

/** Checks `include` of pack.json: a list of relative `*.json` paths. */
function includeIssues(value: unknown, file: string): Issue[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    return [{ file, path: '/include', message: 'must be an array of rule file paths' }];
  return value.flatMap((v, i) =>
    typeof v === 'string' && v.endsWith('.json') && !v.endsWith('.test.json') && !isAbsolute(v)
      ? []
      : [{ file, path: `/include/${i}`, message: 'must be a relative path to a *.json rule file' }],
  );
}

function attestableIssues(value: unknown, file: string): Issue[] {
  if (value === undefined) return [];
  const at = (path: string, message: string): Issue => ({ file, path, message });
  if (!Array.isArray(value))
    return [at('/attestableFacts', 'must be an array of { "name", "description", "type" }')];
  const seen = new Map<string, number>();
  return value.flatMap((v: unknown, i): Issue[] => {
    const p = `/attestableFacts/${i}`;
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      return [at(p, 'must be an object { "name", "description", "type" }')];
    const f = v as Record<string, unknown>;
    const out: Issue[] = Object.keys(f)
      .filter((k) => !['name', 'description', 'type'].includes(k))
      .map((k) => at(`${p}/${k}`, `unknown property "${k}"`));
    if (typeof f.name !== 'string' || !FACT_NAME.test(f.name))
      out.push(at(`${p}/name`, 'must be an identifier such as financeSignOff'));
    else if ((ATTESTABLE_FACTS as readonly string[]).includes(f.name))
      out.push(at(`${p}/name`, `"${f.name}" is a built-in attestable fact already`));
    else if (seen.has(f.name))
      out.push(
        at(
          `${p}/name`,
          `"${f.name}" is declared twice (also /attestableFacts/${seen.get(f.name)})`,
        ),
      );
    else seen.set(f.name, i);
    if (typeof f.description !== 'string' || f.description.trim() === '')
      out.push(at(`${p}/description`, 'must be a non-empty string'));
    if (!(VALUE_TYPES as readonly unknown[]).includes(f.type))
      out.push(at(`${p}/type`, `must be one of ${VALUE_TYPES.map((t) => `"${t}"`).join(', ')}`));
    return out;
  });
}

/**
 * Validates a parsed pack.json. Returns the metadata and its issues; fields
 * with issues are left out of the metadata (the pack fails to load anyway).
 */
export function parsePackMeta(value: unknown, file: string): { meta: PackMeta; issues: Issue[] } {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return {
      meta: {},
      issues: [{ file, path: '', message: 'must be an object { "name": ..., "version": ... }' }],
    };
  const m = value as Record<string, unknown>;
  const issues: Issue[] = [];
  for (const key of ['name', 'version', 'description'] as const) {
    const v = m[key];
    if (v !== undefined && (typeof v !== 'string' || v === ''))
      issues.push({ file, path: `/${key}`, message: 'must be a non-empty string' });
  }
  const included = includeIssues(m.include, file);
  const attestable = attestableIssues(m.attestableFacts, file);
  issues.push(...included, ...attestable);
  const meta: PackMeta = {
    ...(typeof m.name === 'string' && { name: m.name }),
    ...(typeof m.version === 'string' && { version: m.version }),
    ...(typeof m.description === 'string' && { description: m.description }),
    include: included.length === 0 ? ((m.include as string[] | undefined) ?? []) : [],
    attestableFacts:
      attestable.length === 0
        ? ((m.attestableFacts as DeclaredAttestableFact[] | undefined) ?? [])
        : [],
  };
  return { meta, issues };
}

/** The attestable facts a set of loaded packs declares, each name once. */
export function declaredAttestableFacts(
  packs: readonly { attestableFacts?: DeclaredAttestableFact[] }[],
): string[] {
  return [...new Set(packs.flatMap((p) => (p.attestableFacts ?? []).map((f) => f.name)))];
}
