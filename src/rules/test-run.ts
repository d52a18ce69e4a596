/**
 * `leavegate rules test DIR…`: every case of every `<id>.test.json` in the
 * directories goes through the pipeline `check --snapshot` runs — the case's
 * snapshot, attestations and waivers validated as those files are, facts
 * derived from the snapshot, the rule evaluated by the engine, waivers and
 * the verdict applied by the gate — and its status is compared with the
 * expected one. Nothing here computes facts or statuses of its own.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { evaluateSnapshot, sha256Hex, type GateConfig } from '../check.js';
import { InputError, type Issue } from '../errors.js';
import { DEFAULT_MEMBER_ROLE } from '../facts/derive.js';
import type { PluginFact } from '../facts/types.js';
import { BUILTIN_PACKS, builtinRulesDir, isTestFile, loadRulePack, vocabulary } from './load.js';
import { declaredAttestableFacts } from './pack-meta.js';
import { loadPlugin } from './plugins.js';
import { loadCaseFile, type PreparedCase } from './test-cases.js';
import type { OperatorFn, RulePack } from './types.js';

export interface CaseResult {
  case: PreparedCase;
  /** The status the pipeline gave the rule. */
  found: string;
  /** The rule's message for the account. */
  message: string;
  agrees: boolean;
  /** Why it disagrees, in words. */
  why?: string;
}

export interface RuleTestRun {
  results: CaseResult[];
  /** Rules of the directories that no case tests (`dir: id`). */
  untested: string[];
}

interface Tested {
  dir: string;
  pack: RulePack;
  /** Case files: where they are read, and how they are named (as the user named the directory). */
  files: { path: string; shown: string }[];
}

/** The waivability the gate gives a bundled pack's rules, when `dir` is one. */
function asBuiltin(pack: RulePack, dir: string): RulePack {
  const entry = Object.values(BUILTIN_PACKS)
    .flat()
    .find((e) => resolve(builtinRulesDir(e.dir)) === resolve(dir));
  if (entry === undefined) return pack;
  return { ...pack, rules: pack.rules.map((r) => ({ ...r, waivable: entry.waivable })) };
}

async function loadPlugins(specs: readonly string[], cwd: string) {
  const operators: Record<string, OperatorFn> = {};
  const facts: Record<string, PluginFact> = {};
  for (const spec of specs) {
    const p = await loadPlugin(spec, cwd);
    Object.assign(operators, p.operators);
    Object.assign(facts, p.facts);
  }
  return { operators, facts };
}

async function caseFiles(abs: string, dir: string, pack: RulePack, issues: Issue[]) {
  const ids = new Set(pack.rules.map((r) => r.id));
  const files = (await readdir(abs)).filter(isTestFile).sort();
  for (const f of files) {
    const id = f.slice(0, -'.test.json'.length);
    if (!ids.has(id))
      issues.push({
        file: join(dir, f),
        path: '',
        message: `no rule "${id}" in ${dir}: a case file sits beside the rule it tests (<id>.json)`,
      });
  }
  return files.map((f) => ({ path: join(abs, f), shown: join(dir, f) }));
}

function gateConfig(
  pack: RulePack,
  c: PreparedCase,
  plugins: { operators: Record<string, OperatorFn>; facts: Record<string, PluginFact> },
  attestableFacts: string[],
): GateConfig {
  const rule = pack.rules.find((r) => r.id === c.rule);
  if (rule === undefined)
    throw new Error(`internal: ${c.file}${c.pointer}: rule ${c.rule} vanished`);
  return {
    mode: c.transfer === undefined ? 'leave' : 'transfer',
    transfer: c.transfer,
    packs: [{ name: pack.name, version: pack.version, rules: [rule] }],
    operators: plugins.operators,
    pluginFacts: plugins.facts,
    attestableFacts,
    attestations: c.attestations,
    waivers: c.waivers,
    memberRole: DEFAULT_MEMBER_ROLE,
    principalArn: c.principal,
    now: undefined,
    clockSource: undefined,
    failOn: 'blocker',
    maxSnapshotAgeMs: Number.POSITIVE_INFINITY,
    provenance: { rulePacks: [], plugins: [], commandLine: [] },
    warnings: [],
    wallClock: () => new Date(c.snapshot.collectedAt),
  };
}

async function runCase(config: GateConfig, c: PreparedCase): Promise<CaseResult> {
  const report = await evaluateSnapshot(c.snapshot, sha256Hex(JSON.stringify(c.snapshot)), config);
  const result = report.accounts[0]?.rules.find((r) => r.id === c.rule);
  if (result === undefined) throw new Error(`internal: ${c.file}${c.pointer}: no result`);
  let why: string | undefined;
  if (result.status !== c.expected) why = `found ${result.status}, expected ${c.expected}`;
  else if (c.messageIncludes !== undefined && !result.message.includes(c.messageIncludes))
    why = `the message does not contain ${JSON.stringify(c.messageIncludes)}`;
  return {
    case: c,
    found: result.status,
    message: result.message,
    agrees: why === undefined,
    ...(why !== undefined && { why }),
  };
}

/**
 * Loads the packs of `dirs` (and `plugins`) and runs every case beside their
 * rules. Throws InputError (exit 2) naming the file and JSON pointer of every
 * bad case file, or of a case naming a rule not in its directory, before any
 * case runs.
 */
export async function runRuleTests(
  dirs: readonly string[],
  options: { plugins?: readonly string[]; cwd?: string } = {},
): Promise<RuleTestRun> {
  const cwd = options.cwd ?? process.cwd();
  const plugins = await loadPlugins(options.plugins ?? [], cwd);
  const vocab = vocabulary(Object.keys(plugins.facts), Object.keys(plugins.operators));
  const issues: Issue[] = [];
  const tested: Tested[] = [];
  for (const dir of dirs) {
    const abs = resolve(cwd, dir);
    const pack = asBuiltin(await loadRulePack(abs, vocab), abs);
    tested.push({ dir, pack, files: await caseFiles(abs, dir, pack, issues) });
  }
  const attestableFacts = declaredAttestableFacts(tested.map((t) => t.pack));
  const prepared: { t: Tested; cases: PreparedCase[] }[] = [];
  for (const t of tested) {
    const context = { rules: new Set(t.pack.rules.map((r) => r.id)), attestableFacts };
    for (const file of t.files) {
      const got = await loadCaseFile(file.path, context, file.shown);
      if (got.ok) prepared.push({ t, cases: got.cases });
      else issues.push(...got.issues);
    }
  }
  if (issues.length > 0) throw new InputError('rule.invalid', issues);
  const results: CaseResult[] = [];
  for (const { t, cases } of prepared)
    for (const c of cases)
      results.push(await runCase(gateConfig(t.pack, c, plugins, attestableFacts), c));
  const covered = new Set(results.map((r) => r.case.rule));
  const untested = tested.flatMap((t) =>
    t.pack.rules.filter((r) => !covered.has(r.id)).map((r) => `${t.dir}: ${r.id}`),
  );
  return { results, untested };
}
