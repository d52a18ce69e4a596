/**
 * Loads rule packs (directories of rule files) and validates each rule:
 * schema, id = file name, and that every fact, operator and template
 * placeholder it names exists. A bad rule is a load error (exit 2), never a
 * runtime surprise.
 */
import { readdir } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { InputError, type Issue } from '../errors.js';
import { readJsonFile } from '../io.js';
import { ARRAY_OPERATORS, COMPARISON_OPERATORS, elementConditionIssues } from './operators.js';
import { BUILTIN_FACTS } from '../facts/registry.js';
import { packageRoot } from '../paths.js';
import { validateSchema } from '../schema.js';
import { parsePackMeta, type PackMeta } from './pack-meta.js';
import { TEMPLATE_FILTERS, templateRefs } from './template.js';
import type { Severity } from '../report/types.js';
import type { LoadedRule, RuleFile, RulePack } from './types.js';

/** json-rules-engine 7's built-in operators (one list: ./operators.ts) and operator decorators. */
export const BUILTIN_OPERATORS = COMPARISON_OPERATORS;
export const OPERATOR_DECORATORS = [
  'someFact',
  'someValue',
  'everyFact',
  'everyValue',
  'swap',
  'not',
] as const;

/** What a rule may name: facts and operators from the built-ins and loaded plugins. */
export interface RuleVocabulary {
  facts: ReadonlySet<string>;
  operators: ReadonlySet<string>;
}

/** The vocabulary of a run with the given plugin facts and operators. */
export function vocabulary(
  pluginFacts: Iterable<string> = [],
  pluginOperators: Iterable<string> = [],
): RuleVocabulary {
  return {
    facts: new Set([...Object.keys(BUILTIN_FACTS), ...pluginFacts]),
    operators: new Set([...BUILTIN_OPERATORS, ...ARRAY_OPERATORS, ...pluginOperators]),
  };
}

/** What the gate is asked about: leaving (LeaveOrganization) or a direct transfer (AcceptHandshake). */
export type GateMode = 'leave' | 'transfer';

/** A bundled pack as a mode loads it. */
export interface BuiltinPack {
  dir: string;
  /** Impact rules users may waive; the others are what AWS itself enforces. */
  waivable: boolean;
  /**
   * Severity per rule id in this mode where it differs from the rule file:
   * one rule file, one meaning, and the mode says how much it weighs
   * (DESIGN §7: root-credentials-recoverable blocks a leave, warns a transfer).
   */
  severity?: Readonly<Record<string, Severity>>;
}

/**
 * The bundled packs each mode loads, in order (an explicit registry: a new
 * built-in pack is one directory under rules/ and one entry here). `waivable`
 * packs hold impact rules users may waive; the others are what AWS itself
 * enforces and cannot be waived, whatever a rule file says.
 */
export const BUILTIN_PACKS: Readonly<Record<GateMode, readonly BuiltinPack[]>> = {
  leave: [
    { dir: 'leave-organization', waivable: false },
    { dir: 'leave-impact', waivable: true },
  ],
  // The transfer-organization pack goes first; the impact pack applies to transfers alike
  // (DESIGN §7, §8), with the root user's recovery a warning: the target organization
  // manages root access, the account is never standalone.
  transfer: [
    { dir: 'transfer-organization', waivable: false },
    {
      dir: 'leave-impact',
      waivable: true,
      severity: { 'root-credentials-recoverable': 'warning' },
    },
  ],
};

/**
 * The rules of a bundled pack as `entry` weighs them in its mode. An override
 * naming no rule of the pack is a bug in the registry, not a user error.
 */
export function applyBuiltinPack(pack: RulePack, entry: BuiltinPack): RulePack {
  const overrides = entry.severity ?? {};
  for (const id of Object.keys(overrides)) {
    if (!pack.rules.some((r) => r.id === id))
      throw new Error(
        `internal: BUILTIN_PACKS ${entry.dir} overrides the severity of no rule "${id}"`,
      );
  }
  return {
    ...pack,
    rules: pack.rules.map((r) => ({
      ...r,
      waivable: entry.waivable,
      severity: overrides[r.id] ?? r.severity,
    })),
  };
}

/** The directory of a bundled pack (default: `leave-organization`). */
export function builtinRulesDir(name = 'leave-organization'): string {
  return join(packageRoot(), 'rules', name);
}

interface Leaf {
  fact: string;
  operator: string;
  value: unknown;
  pointer: string;
}

function leaves(node: unknown, pointer: string, out: Leaf[]): Leaf[] {
  if (node === null || typeof node !== 'object') return out;
  const n = node as Record<string, unknown>;
  if (Array.isArray(n.all)) n.all.forEach((c, i) => leaves(c, `${pointer}/all/${i}`, out));
  else if (Array.isArray(n.any)) n.any.forEach((c, i) => leaves(c, `${pointer}/any/${i}`, out));
  else if (n.not !== undefined) leaves(n.not, `${pointer}/not`, out);
  else if (typeof n.fact === 'string' && typeof n.operator === 'string') {
    out.push({ fact: n.fact, operator: n.operator, value: n.value, pointer });
  }
  return out;
}

/**
 * Semantic checks beyond the schema. Returns issues with JSON pointers into
 * the rule document.
 */
function checkRule(rule: RuleFile, vocab: RuleVocabulary, file: string): Issue[] {
  const issues: Issue[] = [];
  const declaredTop = new Set(rule.facts.map((f) => f.split('.')[0] ?? f));
  rule.facts.forEach((f, i) => {
    const top = f.split('.')[0] ?? f;
    if (!vocab.facts.has(top)) {
      issues.push({
        file,
        path: `/facts/${i}`,
        message: `unknown fact "${top}" (known: ${[...vocab.facts].join(', ')})`,
      });
    }
  });
  for (const leaf of leaves(rule.conditions, '/conditions', [])) {
    if (!vocab.facts.has(leaf.fact)) {
      issues.push({ file, path: `${leaf.pointer}/fact`, message: `unknown fact "${leaf.fact}"` });
    } else if (!declaredTop.has(leaf.fact)) {
      issues.push({
        file,
        path: `${leaf.pointer}/fact`,
        message: `fact "${leaf.fact}" is read by the conditions but not declared in "facts"`,
      });
    }
    const parts = leaf.operator.split(':');
    const op = parts.pop() ?? '';
    for (const deco of parts) {
      if (!(OPERATOR_DECORATORS as readonly string[]).includes(deco)) {
        issues.push({
          file,
          path: `${leaf.pointer}/operator`,
          message: `unknown operator decorator "${deco}"`,
        });
      }
    }
    if (!vocab.operators.has(op)) {
      issues.push({
        file,
        path: `${leaf.pointer}/operator`,
        message: `unknown operator "${op}" (known: ${[...vocab.operators].join(', ')})`,
      });
    } else if ((ARRAY_OPERATORS as readonly string[]).includes(op)) {
      issues.push(...elementConditionIssues(leaf.value, `${leaf.pointer}/value`, file));
    }
  }
  const conditionFacts = new Set(leaves(rule.conditions, '', []).map((l) => l.fact));
  for (const [kind, template] of Object.entries(rule.messages ?? {})) {
    for (const ref of templateRefs(template)) {
      const [head, second] = ref.path.split('.');
      const ok =
        head === 'expected'
          ? second !== undefined && conditionFacts.has(second)
          : head !== undefined && (declaredTop.has(head) || head === 'accountId');
      if (!ok) {
        issues.push({
          file,
          path: `/messages/${kind}`,
          message: `placeholder {{${ref.path}}} names no declared fact${head === 'expected' ? ' compared in the conditions' : ''}`,
        });
      }
      if (
        ref.filter !== undefined &&
        !(TEMPLATE_FILTERS as readonly string[]).includes(ref.filter)
      ) {
        issues.push({
          file,
          path: `/messages/${kind}`,
          message: `unknown filter "|${ref.filter}"`,
        });
      }
    }
  }
  return issues;
}

function expectedValues(rule: RuleFile): Record<string, unknown> {
  const expected: Record<string, unknown> = {};
  for (const leaf of leaves(rule.conditions, '', [])) {
    const v = leaf.value;
    const literal = v === null || typeof v !== 'object' || Array.isArray(v);
    if (literal && !(leaf.fact in expected)) expected[leaf.fact] = v;
  }
  return expected;
}

/**
 * Validates one rule document. `expectedId` (the file name) must equal its id.
 */
export function validateRule(
  value: unknown,
  source: string,
  vocab: RuleVocabulary,
  pack: string,
  expectedId?: string,
): { ok: true; value: LoadedRule } | { ok: false; issues: Issue[] } {
  const schema = validateSchema<RuleFile>('rule', value, source);
  if (!schema.ok) return schema;
  const rule = schema.value;
  const issues = checkRule(rule, vocab, source);
  if (expectedId !== undefined && rule.id !== expectedId) {
    issues.unshift({
      file: source,
      path: '/id',
      message: `id "${rule.id}" must equal the file name "${expectedId}"`,
    });
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    value: {
      ...rule,
      pack,
      source,
      expected: expectedValues(rule),
      waivable: rule.waivable ?? true,
    },
  };
}

/**
 * Loads every `*.json` rule file of a directory but `*.test.json` (`pack.json`
 * holds the pack's name, version and attestable facts, src/rules/pack-meta.ts). Throws InputError listing every problem of every file.
 */
export async function loadRulePack(dir: string, vocab: RuleVocabulary): Promise<RulePack> {
  const abs = resolve(dir);
  let entries: string[];
  try {
    // `<id>.test.json` beside a rule holds its cases (`rules test`), not a rule.
    entries = (await readdir(abs)).filter((f) => f.endsWith('.json') && !isTestFile(f)).sort();
  } catch (err) {
    throw new InputError('rule.invalid', [
      { file: dir, path: '', message: `cannot read rule directory: ${(err as Error).message}` },
    ]);
  }
  const issues: Issue[] = [];
  /** Reads a JSON file of the pack through the one strict reader (duplicate keys, UTF-8, size). */
  const read = async (f: string): Promise<{ ok: true; value: unknown } | { ok: false }> => {
    try {
      return { ok: true, value: (await readJsonFile(join(abs, f), 'rule.invalid')).value };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      // Name the file as the user gave the directory.
      issues.push(...err.issues.map((i) => ({ ...i, file: join(dir, f) })));
      return { ok: false };
    }
  };
  let meta: PackMeta = {};
  if (entries.includes('pack.json')) {
    const got = await read('pack.json');
    if (got.ok) {
      const parsed = parsePackMeta(got.value, join(dir, 'pack.json'));
      issues.push(...parsed.issues);
      meta = parsed.meta;
    }
  }
  const name = typeof meta.name === 'string' ? meta.name : basename(abs);
  const version = typeof meta.version === 'string' ? meta.version : '0.0.0';
  const rules: LoadedRule[] = [];
  // Shared files are named relative to this directory, as pack.json lists them.
  const files = [
    ...(meta.include ?? []).map((f) => relative(abs, resolve(abs, f))),
    ...entries.filter((f) => f !== 'pack.json'),
  ];
  if (files.length === 0)
    issues.push({ file: dir, path: '', message: 'no rule files (*.json) in this directory' });
  for (const f of files) {
    const file = join(dir, f);
    const got = await read(f);
    if (!got.ok) continue;
    const value = got.value;
    const result = validateRule(value, file, vocab, name, basename(f, '.json'));
    if (result.ok) rules.push(result.value);
    else issues.push(...result.issues);
  }
  if (issues.length > 0) throw new InputError('rule.invalid', issues);
  return {
    name,
    version,
    rules,
    ...(meta.description !== undefined && { description: meta.description }),
    ...(meta.attestableFacts !== undefined &&
      meta.attestableFacts.length > 0 && { attestableFacts: meta.attestableFacts }),
  };
}

/** A rule's test cases (`<id>.test.json`), which the pack loader skips. */
export function isTestFile(name: string): boolean {
  return name.endsWith('.test.json');
}

/** Fails when two loaded rules share an id (ids are global across packs). */
export function checkUniqueIds(packs: RulePack[]): void {
  const seen = new Map<string, string>();
  const issues: Issue[] = [];
  for (const rule of packs.flatMap((p) => p.rules)) {
    const other = seen.get(rule.id);
    if (other !== undefined) {
      issues.push({
        file: rule.source,
        path: '/id',
        message: `duplicate rule id "${rule.id}" (also in ${other})`,
      });
    } else seen.set(rule.id, rule.source);
  }
  if (issues.length > 0) throw new InputError('rule.invalid', issues);
}
