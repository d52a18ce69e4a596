/**
 * The gate shared by `check` and `leave`: load rules, plugins, attestations and
 * waivers once (GateConfig), then evaluate a snapshot into a Report v1.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import stringify from 'safe-stable-stringify';
import { evaluateAccounts } from './gate/index.js';
import { deriveFactsIter, DEFAULT_MEMBER_ROLE } from './facts/derive.js';
import { loadAttestationsFile } from './facts/load-attestations.js';
import type { Attestations, PluginFact, TransferTarget } from './facts/types.js';
import { toolVersion } from './paths.js';
import { AFTER_LEAVING, withImpact } from './report/impact.js';
import type { ClockSource, InputFile, Report, ReportInputs, RuleDigest } from './report/types.js';
import { countWarnings, type FailOn } from './gate/verdict.js';
import {
  applyBuiltinPack,
  BUILTIN_PACKS,
  builtinRulesDir,
  type GateMode,
  checkUniqueIds,
  loadRulePack,
  validateRule,
  vocabulary,
} from './rules/load.js';
import { loadWaiversFile } from './gate/waivers.js';
import { declaredAttestableFacts } from './rules/pack-meta.js';
import { loadPlugin, type LoadedPlugin } from './rules/plugins.js';
import type { LoadedRule, OperatorFn, RulePack, Waivers } from './rules/types.js';
import { reportMode, transferTarget } from './check-mode.js';
import { clockWarnings } from './check-clock.js';

export { formatDuration } from './check-clock.js';
import { InputError, type Issue } from './errors.js';
import type { Snapshot } from './snapshot/types.js';

export interface CheckInputs {
  attestationsFile?: string | undefined;
  /** Which built-in packs to load (default `leave`; `transfer` needs `transfer`). */
  mode?: GateMode | undefined;
  /** A direct transfer's target organization and/or handshake (mode `transfer`). */
  transfer?: TransferTarget | undefined;
  /** Extra rule packs (the built-in packs of the mode are always loaded). */
  rulesDirs?: string[] | undefined;
  plugins?: string[] | undefined;
  waiversFile?: string | undefined;
  memberRole?: string | undefined;
  principalArn?: string | undefined;
  /** Evaluation time; default: the snapshot's collectedAt. */
  now?: Date | undefined;
  /** Where `now` came from (default: `--now` when `now` is given). `leave` passes the real clock as `clock`. */
  clockSource?: ClockSource | undefined;
  /** `warning`: warnings decide the verdict as blockers do (`--fail-on warning`). */
  failOn?: FailOn | undefined;
  /** Warn when the snapshot is older than this at evaluation time (default 24 h). */
  maxSnapshotAgeMs?: number | undefined;
  /** argv after the program name, already redacted (report provenance). */
  commandLine?: string[] | undefined;
  /** The configuration file the run read (report provenance). */
  configFile?: InputFile | undefined;
  cwd?: string | undefined;
}

/** Default of `--max-snapshot-age`. */
export const DEFAULT_MAX_SNAPSHOT_AGE_MS = 24 * 3_600_000;

export interface GateConfig {
  mode: GateMode;
  transfer: TransferTarget | undefined;
  packs: RulePack[];
  operators: Record<string, OperatorFn>;
  pluginFacts: Record<string, PluginFact>;
  /** Attestable facts the loaded packs declare (pack.json `attestableFacts`), besides the built-in ones. */
  attestableFacts?: string[];
  attestations: Attestations | undefined;
  waivers: Waivers | undefined;
  memberRole: string;
  principalArn: string | undefined;
  now: Date | undefined;
  clockSource: ClockSource | undefined;
  failOn: FailOn;
  maxSnapshotAgeMs: number;
  /** Provenance of everything but the snapshot and the clock (filled in by loadGateConfig). */
  provenance: Omit<ReportInputs, 'snapshot' | 'clock'>;
  /** Problems that do not stop the run (shown and written into the report). */
  warnings: string[];
  /** Wall clock (snapshot age); injectable for tests. */
  wallClock?: () => Date;
}

/** sha256 (hex) of bytes or text. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 of a rule as evaluated: its canonical JSON, without where it was loaded from. */
export function ruleDigest(rule: LoadedRule): RuleDigest {
  const { source: _source, pack: _pack, expected: _expected, ...definition } = rule;
  return { id: rule.id, sha256: sha256Hex(stringify(definition) ?? '') };
}

/** sha256 of a plugin module file; a package name resolved by import() has no file to hash. */
async function pluginFileSha256(spec: string, cwd: string): Promise<string> {
  const path = spec.startsWith('file:') ? fileURLToPath(spec) : resolve(cwd, spec);
  try {
    return sha256Hex(await readFile(path));
  } catch {
    return sha256Hex(spec);
  }
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
 * An optional input file, loaded with `load`, with its path and sha256 for
 * the report's provenance.
 */
async function inputFile<T extends { sha256: string }>(
  cwd: string,
  file: string | undefined,
  load: (path: string) => Promise<T>,
): Promise<{ loaded: T; input: InputFile } | undefined> {
  if (file === undefined) return undefined;
  const path = resolve(cwd, file);
  const loaded = await load(path);
  return { loaded, input: { path, sha256: loaded.sha256 } };
}

/** The mode's built-in packs, the user's packs, then each plugin's rules (validated, unique ids). */
async function loadPacks(
  mode: GateMode,
  inputs: CheckInputs,
  plugins: LoadedPlugin[],
  vocab: ReturnType<typeof vocabulary>,
  cwd: string,
): Promise<{ packs: RulePack[]; packSources: string[]; pluginInputs: ReportInputs['plugins'] }> {
  const packs: RulePack[] = [];
  const packSources: string[] = [];
  for (const entry of BUILTIN_PACKS[mode]) {
    const source = builtinRulesDir(entry.dir);
    packs.push(applyBuiltinPack(await loadRulePack(source, vocab), entry));
    packSources.push(source);
  }
  for (const dir of inputs.rulesDirs ?? []) {
    packs.push(await loadRulePack(resolve(cwd, dir), vocab));
    packSources.push(resolve(cwd, dir));
  }
  const pluginInputs: ReportInputs['plugins'] = [];
  for (const p of plugins) {
    const rules = p.rules.map((value, i) => {
      const r = validateRule(value, `${p.source}#/rules/${i}`, vocab, p.name);
      if (!r.ok) throw new InputError('rule.invalid', r.issues);
      return r.value;
    });
    if (rules.length > 0) packs.push({ name: p.name, version: p.version, rules });
    pluginInputs.push({
      name: p.name,
      version: p.version,
      source: p.source,
      sha256: await pluginFileSha256(p.source, cwd),
      rules: rules.map(ruleDigest),
      operators: Object.keys(p.operators).sort(),
      facts: Object.keys(p.facts).sort(),
    });
  }
  checkUniqueIds(packs);
  return { packs, packSources, pluginInputs };
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

  const mode = inputs.mode ?? 'leave';
  const transfer = transferTarget(mode, inputs.transfer);
  const { packs, packSources, pluginInputs } = await loadPacks(mode, inputs, plugins, vocab, cwd);
  const warnings: string[] = [];
  const attestableFacts = declaredAttestableFacts(packs);
  const attestationsFile = await inputFile(cwd, inputs.attestationsFile, (path) =>
    loadAttestationsFile(path, undefined, attestableFacts),
  );
  if (attestationsFile !== undefined) warnings.push(...attestationsFile.loaded.warnings);
  const waiversFile = await inputFile(cwd, inputs.waiversFile, loadWaiversFile);
  const attestations = attestationsFile?.loaded.attestations;
  const waivers = waiversFile?.loaded.waivers;
  const provenance: GateConfig['provenance'] = {
    ...(attestationsFile !== undefined && { attestations: attestationsFile.input }),
    ...(waiversFile !== undefined && { waivers: waiversFile.input }),
    ...(inputs.configFile !== undefined && { config: inputs.configFile }),
    // Plugin rules are listed under their plugin, not as a pack of their own.
    rulePacks: packs.slice(0, packSources.length).map((p, i) => ({
      name: p.name,
      version: p.version,
      source: packSources[i]!,
      rules: p.rules.map(ruleDigest),
    })),
    plugins: pluginInputs,
    commandLine: inputs.commandLine ?? [],
  };

  return {
    mode,
    transfer,
    packs,
    operators,
    pluginFacts,
    attestableFacts,
    attestations,
    waivers,
    memberRole: inputs.memberRole ?? DEFAULT_MEMBER_ROLE,
    principalArn: inputs.principalArn,
    now: inputs.now,
    clockSource: inputs.now === undefined ? undefined : (inputs.clockSource ?? '--now'),
    failOn: inputs.failOn ?? 'blocker',
    maxSnapshotAgeMs: inputs.maxSnapshotAgeMs ?? DEFAULT_MAX_SNAPSHOT_AGE_MS,
    provenance,
    warnings,
  };
}

/** sha256 of a snapshot as leavegate serializes it (for live runs). */
export function snapshotSha256(text: string | Uint8Array): string {
  return sha256Hex(text);
}

/** What the run says besides the verdicts: clock, attestations for absent accounts, collection errors. */
function runWarnings(snapshot: Snapshot, config: GateConfig, now: Date, clockSource: ClockSource) {
  const warnings = [
    ...config.warnings,
    ...clockWarnings(snapshot, { ...config, clockSource }, now),
  ];
  const accountIds = new Set(snapshot.accounts.map((a) => a.id));
  for (const a of config.attestations?.attestations ?? []) {
    if (!accountIds.has(a.accountId))
      warnings.push(
        `attestation ${a.fact} for account ${a.accountId}, which is not in the snapshot; ignored`,
      );
  }
  if (snapshot.accounts.length === 0)
    warnings.push('the snapshot has no accounts: nothing was evaluated');
  for (const e of snapshot.errors) {
    if (e.accountId === undefined)
      warnings.push(`collection: ${e.code} from ${e.source}: ${e.message}`);
  }
  return warnings;
}

/** Facts, rules, gate: the per-account results with impact sections. */
async function evaluateAll(snapshot: Snapshot, config: GateConfig, now: Date, rules: LoadedRule[]) {
  const facts = deriveFactsIter(snapshot, config.attestations, {
    now,
    memberRole: config.memberRole,
    pluginFacts: config.pluginFacts,
    attestableFacts: config.attestableFacts ?? [],
    ...(config.principalArn !== undefined && { principalArn: config.principalArn }),
    ...(config.transfer !== undefined && { transfer: config.transfer }),
  });
  const names = new Map<string, string>();
  for (const a of snapshot.accounts) if (a.name !== undefined) names.set(a.id, a.name);
  const evaluation = await evaluateAccounts(rules, facts, {
    operators: config.operators,
    now,
    names,
    ...(config.waivers !== undefined && { waivers: config.waivers.waivers }),
    failOn: config.failOn,
  });
  return { accounts: evaluation.accounts.map(withImpact), warnings: evaluation.warnings };
}

/** Each loaded rule's metadata, once per report. */
function ruleCatalog(rules: LoadedRule[]): NonNullable<Report['rules']> {
  return rules.map((r) => ({
    id: r.id,
    title: r.title,
    severity: r.severity,
    description: r.description,
    remediation: r.remediation,
    references: r.references,
    pack: r.pack,
    waivable: r.waivable,
  }));
}

/** Evaluates a snapshot into a Report v1 (pure except for the wall clock in generatedAt/duration). */
export async function evaluateSnapshot(
  snapshot: Snapshot,
  sha256: string,
  config: GateConfig,
  snapshotPath?: string,
): Promise<Report> {
  const started = performance.now();
  const now = config.now ?? new Date(snapshot.collectedAt);
  const clockSource: ClockSource =
    config.now === undefined ? 'snapshot' : (config.clockSource ?? '--now');
  const warnings = runWarnings(snapshot, config, now, clockSource);
  const incomplete =
    snapshot.collector?.accountsComplete === false
      ? [
          "the organization's account list could not be read in full: accounts may be missing from this report (see the collection errors)",
        ]
      : undefined;
  const rules = config.packs.flatMap((p) => p.rules);
  const evaluation = await evaluateAll(snapshot, config, now, rules);
  warnings.push(...evaluation.warnings);
  const { accounts } = evaluation;
  const summary = {
    accounts: accounts.length,
    ready: 0,
    blocked: 0,
    unknown: 0,
    warnings: countWarnings(accounts),
  };
  for (const a of accounts) summary[a.verdict] += 1;
  const mode = reportMode(config.mode, config.transfer);
  return {
    schemaVersion: 1,
    tool: { name: 'leavegate', version: toolVersion() },
    ...(mode !== undefined && { mode }),
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
    rules: ruleCatalog(rules),
    // OU names for the human formats (ouPath carries ids only).
    ...(snapshot.organizationalUnits !== undefined && {
      organizationalUnits: snapshot.organizationalUnits.map((ou) => ({ id: ou.id, name: ou.name })),
    }),
    summary,
    ...(config.failOn === 'warning' && { failOn: 'warning' as const }),
    inputs: {
      snapshot: { path: snapshotPath ?? '(collected by this run)', sha256 },
      ...config.provenance,
      clock: { now: now.toISOString(), source: clockSource },
    },
    ...(accounts.some((a) => a.impact !== undefined) && { afterLeaving: [...AFTER_LEAVING] }),
    accounts,
    ...(incomplete !== undefined && { incomplete }),
    ...(warnings.length > 0 && { warnings }),
    stats: {
      durationMs: Math.round(performance.now() - started),
      apiCalls: snapshot.collector?.apiCalls ?? {},
    },
  };
}

export { exitCodeFor } from './gate/verdict.js';
