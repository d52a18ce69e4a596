/**
 * Evaluates compiled gates into data: the decision (decide.ts), settled over the keys
 * nobody can know before the call (scenarios.ts), with a trace of every level and
 * statement — what matched and which condition decided. explain.ts writes the words.
 */
import { evaluateCondition, triAnd, triOr, type Tri } from './conditions.js';
import type { ContextLookup, RequestContext } from './context.js';
import { conditionKeys, decide, pushKey, type Gate } from './decide.js';
import { compileCacheEnabled, type CompiledPolicy, type CompiledStatement } from './document.js';
import { exemptionsOf, isPrincipalKey } from './exemptions.js';
import { explain } from './explain.js';
import { settle, unknownKeysOf, type Settled } from './scenarios.js';
import type {
  ConditionTrace,
  EvaluationTrace,
  KeyTrace,
  LevelTrace,
  StatementTrace,
  Verdict,
} from './types.js';

export { LEAVE_ACTION, type Gate, type GateRef } from './decide.js';

function traceConditions(s: CompiledStatement, ctx: ContextLookup): ConditionTrace[] {
  return s.conditions.map((c) => {
    const o = evaluateCondition(c, ctx);
    return {
      operator: c.operator,
      key: c.key,
      values: c.values,
      ...(o.contextValue !== undefined ? { contextValue: o.contextValue } : {}),
      result: o.result,
    };
  });
}

function traceStatement(
  p: CompiledPolicy,
  s: CompiledStatement,
  ctx: ContextLookup,
  principalArn: string,
): StatementTrace {
  const covers = s.actionMatches && s.resourceMatches;
  const head = {
    policyId: p.id,
    policyName: p.name,
    statementIndex: s.index,
    ...(s.sid !== undefined ? { sid: s.sid } : {}),
    effect: s.effect,
    action: s.actionMatches,
    resource: s.resourceMatches,
  };
  // A Deny on other actions (most of a guardrail SCP) is told by `action`/`resource` alone:
  // its conditions and mismatch text would only swell every report. Allow statements keep
  // theirs, for the missing-Allow explanation.
  if (!covers && s.effect === 'Deny') return { ...head, conditions: [], applies: false };
  const conditions = traceConditions(s, ctx);
  let applies: Tri = covers;
  let principal: Tri | undefined;
  for (const c of conditions) {
    applies = triAnd(applies, c.result);
    if (isPrincipalKey(c.key)) principal = triAnd(principal ?? true, c.result);
  }
  const firstFalse = conditions.findIndex((c) => c.result === false);
  const decidedBy =
    firstFalse >= 0 ? firstFalse : conditions.findIndex((c) => c.result === 'unknown');
  const unknownKeys = unknownKeysOf(s, ctx);
  const exemptions = exemptionsOf(s, principalArn);
  return {
    ...head,
    ...(s.mismatch !== undefined ? { mismatch: s.mismatch } : {}),
    ...(principal !== undefined ? { principal } : {}),
    conditions,
    applies,
    ...(unknownKeys.length > 0 ? { unknownKeys } : {}),
    ...(decidedBy >= 0 && covers ? { decidedBy } : {}),
    ...(exemptions.length > 0 ? { exemptions } : {}),
  };
}

/** Freezes a trace that several verdicts share, so no reader can change it under the others. */
function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Traces of statements that read nothing from the request (FullAWSAccess, guardrails
 * on other actions): one per compiled statement, shared by every account. A
 * compiled statement belongs to one compiled policy (document.ts), so `s` is the key.
 */
const staticStatements = new WeakMap<CompiledStatement, StatementTrace>();

/**
 * Whether a statement's trace reads nothing from the request: no conditions, or a Deny
 * that does not cover the action (traceStatement tells it by action and resource alone,
 * like the region guardrails on other actions).
 */
function readsNothing(s: CompiledStatement): boolean {
  return (
    s.conditions.length === 0 || (s.effect === 'Deny' && !(s.actionMatches && s.resourceMatches))
  );
}

function statementTrace(
  p: CompiledPolicy,
  s: CompiledStatement,
  ctx: ContextLookup,
  principalArn: string,
): StatementTrace {
  if (!compileCacheEnabled() || !readsNothing(s)) return traceStatement(p, s, ctx, principalArn);
  const known = staticStatements.get(s);
  if (known !== undefined) return known;
  const trace = traceStatement(p, s, ctx, principalArn);
  // Kept from the second time a statement is traced: a document compiled for one
  // evaluation only (no compile cache) costs no freezing and no memo.
  if (seenStatements.has(s)) staticStatements.set(s, frozen(trace));
  else seenStatements.add(s);
  return trace;
}

const seenStatements = new WeakSet<CompiledStatement>();

/**
 * Traces of root and OU levels whose statements read nothing from the request: the same for every
 * account below them (same level, same compiled policies, same allow), so made once.
 * Keyed by the level's first compiled policy (weakly: the memo goes with the policies),
 * then by the level and every policy's identity.
 */
const staticLevels = new WeakMap<CompiledPolicy, Map<string, LevelTrace>>();
const serials = new WeakMap<CompiledPolicy, number>();
let serial = 0;

function serialOf(p: CompiledPolicy): number {
  let n = serials.get(p);
  if (n === undefined) serials.set(p, (n = serial += 1));
  return n;
}

function traceLevel(gate: Gate, allow: Tri, ctx: ContextLookup, principalArn: string): LevelTrace {
  const first = gate.policies[0];
  const shared =
    first !== undefined &&
    compileCacheEnabled() &&
    (gate.ref.kind === 'root' || gate.ref.kind === 'ou') &&
    gate.policies.every((p) => p.statements.every(readsNothing));
  if (!shared) return levelTrace(gate, allow, ctx, principalArn);
  const byKey = staticLevels.get(first);
  // The first level seen with this policy is traced as it is (as for statements).
  if (byKey === undefined) {
    staticLevels.set(first, new Map<string, LevelTrace>());
    return levelTrace(gate, allow, ctx, principalArn);
  }
  const { kind, id, name } = gate.ref;
  const key = JSON.stringify([kind, id ?? null, name ?? null, allow, gate.policies.map(serialOf)]);
  let trace = byKey.get(key);
  if (trace === undefined) {
    trace = frozen(levelTrace(gate, allow, ctx, principalArn));
    byKey.set(key, trace);
  }
  return trace;
}

function levelTrace(gate: Gate, allow: Tri, ctx: ContextLookup, principalArn: string): LevelTrace {
  const statements = gate.policies.flatMap((p) =>
    p.statements.map((s) => statementTrace(p, s, ctx, principalArn)),
  );
  let deny: Tri = false;
  for (const st of statements) if (st.effect === 'Deny') deny = triOr(deny, st.applies);
  return {
    ...gate.ref,
    policies: gate.policies.map((p) => ({ id: p.id, name: p.name })),
    allow,
    deny,
    statements,
  };
}

/** The keys that statements covering the action read, with their values and why. */
function traceContext(
  gates: readonly Gate[],
  ctx: RequestContext,
  dependsOn: readonly string[],
): KeyTrace[] {
  const seen = new Set<string>();
  const decisive = new Set(dependsOn.map((k) => k.toLowerCase()));
  const out: KeyTrace[] = [];
  const add = (key: string): void => {
    const lk = key.toLowerCase();
    if (seen.has(lk)) return;
    seen.add(lk);
    const v = ctx.get(key);
    const reason = ctx.reason(key);
    out.push({
      key,
      value: v.kind === 'present' ? v.values : v.kind,
      ...(reason !== undefined ? { reason } : {}),
      decisive: decisive.has(lk),
    });
  };
  for (const g of gates)
    for (const p of g.policies)
      for (const s of p.statements) {
        if (!s.actionMatches || !s.resourceMatches) continue;
        for (const c of s.conditions) for (const k of conditionKeys(c)) add(k);
      }
  // How the principal ARN was derived matters even when no condition reads it.
  if (ctx.reason('aws:PrincipalArn') !== undefined) add('aws:PrincipalArn');
  return out;
}

export interface VerdictOptions {
  /** 'scp' explains levels; 'identity' explains the principal's policies and boundary. */
  subject: 'scp' | 'identity';
  /** The action the gates were compiled for, and the request's resource. */
  action: string;
  resource: string;
  principalArn: string;
  /** Evaluation time (ms): request times before it are no realizable example. */
  now?: number | undefined;
}

/** Evaluates compiled gates into a trace: the decision and everything it rests on. */
export function traceGates(
  gates: readonly Gate[],
  ctx: RequestContext,
  opts: VerdictOptions,
): EvaluationTrace {
  const core = decide(gates, ctx);
  const levels = gates.map((g, i) =>
    traceLevel(g, core.allows[i] ?? false, ctx, opts.principalArn),
  );
  let settled: Settled = { decision: core.decision, dependsOn: [] };
  if (core.decision === 'conditional') {
    const keys: string[] = [];
    levels.forEach((l) => {
      for (const st of l.statements) {
        if (st.applies !== 'unknown') continue;
        const open = st.effect === 'Deny' ? core.deny === 'unknown' : l.allow === 'unknown';
        if (open) for (const k of st.unknownKeys ?? []) pushKey(keys, k);
      }
    });
    settled = settle(keys, gates, ctx, opts.now);
  }
  return {
    subject: opts.subject,
    action: opts.action,
    resource: opts.resource,
    principalArn: opts.principalArn,
    decision: settled.decision,
    deny: core.deny,
    levels,
    dependsOn: settled.dependsOn,
    context: traceContext(gates, ctx, settled.dependsOn),
    ...(settled.scenarios !== undefined ? { scenarios: settled.scenarios } : {}),
    ...(settled.settledBy !== undefined ? { settledBy: settled.settledBy } : {}),
  };
}

/** Evaluates compiled gates and explains the answer. */
export function evaluateGates(
  gates: readonly Gate[],
  ctx: RequestContext,
  opts: VerdictOptions,
): Verdict {
  return explain(traceGates(gates, ctx, opts));
}
