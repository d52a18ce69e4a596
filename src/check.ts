/**
 * The gate shared by `check` and `leave`: load rules, plugins, attestations and
 * waivers once (GateConfig), then evaluate a snapshot into a Report v1.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { evaluateAccounts } from './engine/evaluate.js';
import { deriveFactsIter, DEFAULT_MEMBER_ROLE } from './facts/derive.js';
import { loadAttestationsFile } from './facts/load-attestations.js';
import type { Attestations, PluginFact } from './facts/types.js';
import { toolVersion } from './paths.js';
import type { Report } from './report/types.js';
import {
  builtinRulesDir,
  checkUniqueIds,
  loadRulePack,
  validateRule,
  vocabulary,
} from './rules/load.js';
import { loadWaiversFile } from './rules/load-waivers.js';
import { loadPlugin, type LoadedPlugin } from './rules/plugins.js';
import type { OperatorFn, RulePack, Waivers } from './rules/types.js';
import { InputError, type Issue } from './errors.js';
import type { Snapshot } from './snapshot/types.js';

export interface CheckInputs {
  attestationsFile?: string | undefined;
  /** Extra rule packs (the built-in pack is always loaded). */
  rulesDirs?: string[] | undefined;
  plugins?: string[] | undefined;
  waiversFile?: string | undefined;
  memberRole?: string | undefined;
  principalArn?: string | undefined;
  /** Evaluation time; default: the snapshot's collectedAt. */
  now?: Date | undefined;
  cwd?: string | undefined;
}

export interface GateConfig {
  packs: RulePack[];
  operators: Record<string, OperatorFn>;
  pluginFacts: Record<string, PluginFact>;
  attestations: Attestations | undefined;
  waivers: Waivers | undefined;
  memberRole: string;
  principalArn: string | undefined;
  now: Date | undefined;
  /** Problems that do not stop the run (shown and written into the report). */
  warnings: string[];
}

/** One name space across plugins: a second plugin providing the same operator or fact is an error. */
function mergePluginEntries<K extends 'operators' | 'facts'>(
  plugins: LoadedPlugin[],
  kind: K,
  issues: Issue[],
): LoadedPlugin[K] {
  const merged: Record<string, unknown> = {};
  for (const p of plugins) {
    for (const [name, fn] of Object.entries(p[kind])) {
      if (name in merged) {
        issues.push({
          file: p.source,
          path: `/${kind}/${name}`,
          message: `${kind === 'facts' ? 'fact' : 'operator'} "${name}" is already provided by another plugin`,
        });
      }
      merged[name] = fn;
    }
  }
  return merged as LoadedPlugin[K];
}

/**
 * Loads and validates everything a gate needs besides the snapshot. Throws
 * InputError (exit 2) naming the file and JSON path of the first bad input.
 */
export async function loadGateConfig(inputs: CheckInputs): Promise<GateConfig> {
  const cwd = inputs.cwd ?? process.cwd();
  const plugins = [];
  for (const spec of inputs.plugins ?? []) plugins.push(await loadPlugin(spec, cwd));
  const issues: Issue[] = [];
  const operators = mergePluginEntries(plugins, 'operators', issues);
  const pluginFacts = mergePluginEntries(plugins, 'facts', issues);
  if (issues.length > 0) throw new InputError('plugin.invalid', issues);
  const vocab = vocabulary(Object.keys(pluginFacts), Object.keys(operators));

  const builtin = await loadRulePack(builtinRulesDir(), vocab);
  // What AWS itself enforces cannot be waived, whatever a rule file says.
  builtin.rules = builtin.rules.map((r) => ({ ...r, waivable: false }));
  const packs: RulePack[] = [builtin];
  for (const dir of inputs.rulesDirs ?? [])
    packs.push(await loadRulePack(resolve(cwd, dir), vocab));
  for (const p of plugins) {
    const rules = p.rules.map((value, i) => {
      const r = validateRule(value, `${p.source}#/rules/${i}`, vocab, p.name);
      if (!r.ok) throw new InputError('rule.invalid', r.issues);
      return r.value;
    });
    if (rules.length > 0) packs.push({ name: p.name, version: p.version, rules });
  }
  checkUniqueIds(packs);

  const warnings: string[] = [];
  let attestations: Attestations | undefined;
  if (inputs.attestationsFile !== undefined) {
    const loaded = await loadAttestationsFile(resolve(cwd, inputs.attestationsFile));
    attestations = loaded.attestations;
    warnings.push(...loaded.warnings);
  }
  const waivers =
    inputs.waiversFile === undefined
      ? undefined
      : await loadWaiversFile(resolve(cwd, inputs.waiversFile));

  return {
    packs,
    operators,
    pluginFacts,
    attestations,
    waivers,
    memberRole: inputs.memberRole ?? DEFAULT_MEMBER_ROLE,
    principalArn: inputs.principalArn,
    now: inputs.now,
    warnings,
  };
}

/** sha256 of a snapshot as leavegate serializes it (for live runs). */
export function snapshotSha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Evaluates a snapshot into a Report v1 (pure except for the wall clock in generatedAt/duration). */
export async function evaluateSnapshot(
  snapshot: Snapshot,
  sha256: string,
  config: GateConfig,
): Promise<Report> {
  const started = performance.now();
  const now = config.now ?? new Date(snapshot.collectedAt);
  const warnings = [...config.warnings];
  const accountIds = new Set(snapshot.accounts.map((a) => a.id));
  for (const a of config.attestations?.attestations ?? []) {
    if (!accountIds.has(a.accountId))
      warnings.push(
        `attestation ${a.fact} for account ${a.accountId}, which is not in the snapshot; ignored`,
      );
  }
  if (snapshot.accounts.length === 0)
    warnings.push('the snapshot has no accounts: nothing was evaluated');
  const incomplete =
    snapshot.collector?.accountsComplete === false
      ? [
          "the organization's account list could not be read in full: accounts may be missing from this report (see the collection errors)",
        ]
      : undefined;
  for (const e of snapshot.errors) {
    if (e.accountId === undefined)
      warnings.push(`collection: ${e.code} from ${e.source}: ${e.message}`);
  }
  const facts = deriveFactsIter(snapshot, config.attestations, {
    now,
    memberRole: config.memberRole,
    pluginFacts: config.pluginFacts,
    ...(config.principalArn !== undefined && { principalArn: config.principalArn }),
  });
  const names = new Map<string, string>();
  for (const a of snapshot.accounts) if (a.name !== undefined) names.set(a.id, a.name);
  const rules = config.packs.flatMap((p) => p.rules);
  const evaluation = await evaluateAccounts(rules, facts, {
    operators: config.operators,
    now,
    names,
    ...(config.waivers !== undefined && { waivers: config.waivers.waivers }),
  });
  warnings.push(...evaluation.warnings);
  const summary = { accounts: evaluation.accounts.length, ready: 0, blocked: 0, unknown: 0 };
  for (const a of evaluation.accounts) summary[a.verdict] += 1;
  return {
    schemaVersion: 1,
    tool: { name: 'leavegate', version: toolVersion() },
    generatedAt: new Date().toISOString(),
    evaluatedAt: now.toISOString(),
    snapshot: {
      collectedAt: snapshot.collectedAt,
      organizationId: snapshot.organization?.id ?? null,
      sha256,
    },
    rulePacks: config.packs.map((p) => ({
      name: p.name,
      version: p.version,
      rules: p.rules.length,
    })),
    rules: rules.map((r) => ({
      id: r.id,
      title: r.title,
      severity: r.severity,
      description: r.description,
      remediation: r.remediation,
      references: r.references,
      pack: r.pack,
      waivable: r.waivable,
    })),
    summary,
    accounts: evaluation.accounts,
    ...(incomplete !== undefined && { incomplete }),
    ...(warnings.length > 0 && { warnings }),
    stats: {
      durationMs: Math.round(performance.now() - started),
      apiCalls: snapshot.collector?.apiCalls ?? {},
    },
  };
}

export { exitCodeFor } from './gate/verdict.js';
