/**
 * `leavegate rules doc`: load the packs (the built-in ones, or the given
 * directories), render each rule's page and the index (src/rules/doc.ts),
 * and write them. `renderRuleDocs` is pure after loading, so a test can
 * compare the committed docs/rules/ with what the rules say now.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LeavegateError } from '../errors.js';
import { writeFileAtomically } from '../write-file.js';
import { conditionsInWords } from './doc-conditions.js';
import { renderIndex, renderRulePage, type DocumentedRule } from './doc.js';
import {
  applyBuiltinPack,
  BUILTIN_PACKS,
  builtinRulesDir,
  loadRulePack,
  vocabulary,
  type BuiltinPack,
  type GateMode,
} from './load.js';
import { loadPlugin } from './plugins.js';
import type { RulePack } from './types.js';

/** How the index names a mode where a built-in pack weighs a rule differently. */
const MODE_WORDS: Readonly<Record<GateMode, string>> = {
  leave: 'a leave check',
  transfer: 'a transfer check (check --transfer-to, transfer)',
};

interface Loaded {
  pack: RulePack;
  /** Per rule id: where a mode weighs it differently from its file, and how. */
  overrides?: Record<string, Record<string, string>>;
}

/** Each rule once (a file shared by packs lists them all), in load order. */
function collect(packs: readonly Loaded[]): DocumentedRule[] {
  const byId = new Map<string, DocumentedRule>();
  for (const { pack, overrides } of packs) {
    for (const rule of pack.rules) {
      const d = byId.get(rule.id) ?? { rule, packs: [] };
      if (!d.packs.includes(pack.name)) d.packs.push(pack.name);
      for (const [where, severity] of Object.entries(overrides?.[rule.id] ?? {}))
        if (severity !== rule.severity)
          d.severityOverrides = { ...d.severityOverrides, [where]: severity };
      byId.set(rule.id, d);
    }
  }
  return [...byId.values()];
}

/** The built-in packs as every mode loads them (waivability from the registry, severities per mode). */
async function builtinRules(): Promise<DocumentedRule[]> {
  const vocab = vocabulary();
  const packs: Loaded[] = [];
  for (const [mode, entries] of Object.entries(BUILTIN_PACKS) as [GateMode, BuiltinPack[]][]) {
    for (const entry of entries) {
      const pack = await loadRulePack(builtinRulesDir(entry.dir), vocab);
      const overrides: Record<string, Record<string, string>> = {};
      for (const [id, severity] of Object.entries(entry.severity ?? {}))
        overrides[id] = { [MODE_WORDS[mode]]: severity };
      // The rule file's own severity on the page; the registry's waivability.
      packs.push({ pack: applyBuiltinPack(pack, { ...entry, severity: {} }), overrides });
    }
  }
  return collect(packs);
}

/** The rules to document: the given directories (with plugins for their vocabulary), else the built-in packs. */
export async function documentedRules(
  dirs: readonly string[],
  plugins: readonly string[] = [],
  cwd: string = process.cwd(),
): Promise<DocumentedRule[]> {
  if (dirs.length === 0) return builtinRules();
  const facts: string[] = [];
  const operators: string[] = [];
  for (const spec of plugins) {
    const p = await loadPlugin(spec, cwd);
    facts.push(...Object.keys(p.facts));
    operators.push(...Object.keys(p.operators));
  }
  const vocab = vocabulary(facts, operators);
  const packs = [];
  for (const dir of dirs) packs.push({ pack: await loadRulePack(resolve(cwd, dir), vocab) });
  return collect(packs);
}

/** File name -> Markdown: `<id>.md` per rule and `README.md`, the index. */
export function renderRuleDocs(rules: readonly DocumentedRule[]): Map<string, string> {
  const sorted = [...rules].sort((a, b) => (a.rule.id < b.rule.id ? -1 : 1));
  const out = new Map<string, string>();
  for (const d of sorted)
    out.set(`${d.rule.id}.md`, renderRulePage(d, conditionsInWords(d.rule.conditions)));
  out.set('README.md', renderIndex(sorted));
  return out;
}

/** Writes the pages into `out` (created if missing); returns the files written. */
export async function writeRuleDocs(options: {
  dirs: readonly string[];
  plugins?: readonly string[];
  out: string;
  cwd?: string;
}): Promise<string[]> {
  const cwd = options.cwd ?? process.cwd();
  const pages = renderRuleDocs(await documentedRules(options.dirs, options.plugins, cwd));
  const out = resolve(cwd, options.out);
  const written: string[] = [];
  try {
    await mkdir(out, { recursive: true });
    for (const [name, text] of pages) {
      await writeFileAtomically(join(out, name), text);
      written.push(join(out, name));
    }
  } catch (err) {
    throw new LeavegateError(
      'io.failed',
      `${options.out}: cannot write rule pages: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  return written;
}
