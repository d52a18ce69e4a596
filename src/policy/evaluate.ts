/**
 * The decision: "gates" that each need an applicable Allow (every SCP level;
 * the identity policies and the permissions boundary) and a Deny anywhere that
 * wins. Three-valued, so an outcome that hangs on a key nobody can know before
 * the call comes out `conditional`, never `allowed`.
 */
import {
  evaluateCondition,
  parseDate,
  parseNumber,
  scalarText,
  triAnd,
  triOr,
  type CompiledCondition,
  type Tri,
} from './conditions.js';
import {
  ABSENT,
  type ContextLookup,
  type ContextValue,
  type RequestContext,
  ScenarioContext,
} from './context.js';
import type { CompiledPolicy, CompiledStatement } from './document.js';
import type { ConditionTrace, Decision, StatementRef, Verdict } from './types.js';

export const LEAVE_ACTION = 'organizations:LeaveOrganization';

export interface GateRef {
  kind: 'root' | 'ou' | 'account' | 'identity' | 'boundary';
  id?: string;
  name?: string;
}

export interface Gate {
  ref: GateRef;
  policies: CompiledPolicy[];
}

/** Whether a statement applies to the request: action, resource and every condition. */
export function statementApplies(s: CompiledStatement, ctx: ContextLookup): Tri {
  if (!s.actionMatches || !s.resourceMatches) return false;
  let r: Tri = true;
  for (const c of s.conditions) {
    r = triAnd(r, evaluateCondition(c, ctx).result);
    if (r === false) return false;
  }
  return r;
}

interface Core {
  decision: Exclude<Decision, 'error'>;
  deny: Tri;
  allows: Tri[];
}

function decide(gates: readonly Gate[], ctx: ContextLookup): Core {
  let deny: Tri = false;
  const allows: Tri[] = [];
  for (const gate of gates) {
    let allow: Tri = false;
    for (const p of gate.policies) {
      for (const s of p.statements) {
        if (s.effect === 'Deny') {
          if (deny !== true) deny = triOr(deny, statementApplies(s, ctx));
        } else if (allow !== true) {
          allow = triOr(allow, statementApplies(s, ctx));
        }
      }
    }
    allows.push(allow);
  }
  let decision: Core['decision'];
  if (deny === true) decision = 'explicitDeny';
  else if (allows.includes(false)) decision = 'implicitDeny';
  else if (deny === false && allows.every((a) => a === true)) decision = 'allowed';
  else decision = 'conditional';
  return { decision, deny, allows };
}

// ---------------------------------------------------------------------------
// Unknown keys and scenarios

/** Keys whose only values in a real request are "true"/"false" (or absent): enumerating them is exhaustive. */
const BOOLEAN_KEYS = new Set([
  'aws:multifactorauthpresent',
  'aws:securetransport',
  'aws:viaawsservice',
  'aws:principalisawsservice',
]);

/** The keys a condition reads (its own and its policy variables'), as spelled in the policy. */
function conditionKeys(c: CompiledCondition): string[] {
  const keys = [c.key];
  for (const v of c.policyValues) {
    for (const p of v.parts ?? []) if (typeof p !== 'string') keys.push(p.key.trim());
  }
  return keys;
}

function pushKey(list: string[], key: string): void {
  const k = key.toLowerCase();
  if (!list.some((x) => x.toLowerCase() === k)) list.push(key);
}

function unknownKeysOf(s: CompiledStatement, ctx: ContextLookup): string[] {
  const out: string[] = [];
  for (const c of s.conditions) {
    for (const k of conditionKeys(c)) if (ctx.get(k).kind === 'unknown') pushKey(out, k);
  }
  return out;
}

function candidatesFor(displayKey: string, gates: readonly Gate[]): ContextValue[] {
  const key = displayKey.toLowerCase();
  const texts = new Set<string>();
  if (BOOLEAN_KEYS.has(key)) {
    texts.add('true');
    texts.add('false');
  } else {
    for (const g of gates)
      for (const p of g.policies)
        for (const s of p.statements)
          for (const c of s.conditions) {
            if (c.key.toLowerCase() !== key) continue;
            for (const v of c.values) {
              const t = scalarText(v);
              const fam = c.parsed.base.family;
              if (fam === 'numeric') {
                const n = parseNumber(t);
                if (n !== undefined) for (const d of [-1, 0, 1]) texts.add(String(n + d));
              } else if (fam === 'date') {
                const ms = parseDate(t);
                if (ms !== undefined)
                  for (const d of [-1000, 0, 1000]) texts.add(new Date(ms + d).toISOString());
              } else if (fam === 'ip') {
                texts.add(t.split('/')[0] ?? t);
              } else if (fam === 'bool') {
                texts.add('true');
                texts.add('false');
              } else if (!t.includes('${')) {
                texts.add(t.replaceAll('*', 'x').replaceAll('?', 'x'));
              }
            }
          }
    texts.add(key === 'aws:sourceip' ? '192.0.2.1' : 'leavegate-other-value');
  }
  return [
    ABSENT,
    ...[...texts].slice(0, 8).map((t): ContextValue => ({ kind: 'present', values: [t] })),
  ];
}

interface ScenarioResult {
  when: Record<string, string | null>;
  decision: Core['decision'];
}

/** Tries concrete values of the unknown keys; undefined when there are too many combinations. */
function enumerate(
  keys: readonly string[],
  gates: readonly Gate[],
  ctx: RequestContext,
): ScenarioResult[] | undefined {
  const cands = keys.map((k) => candidatesFor(k, gates));
  const total = cands.reduce((n, c) => n * c.length, 1);
  if (total > 512) return undefined;
  const out: ScenarioResult[] = [];
  const idx = keys.map(() => 0);
  for (let n = 0; n < total; n++) {
    const fixed = new Map<string, ContextValue>();
    const when: Record<string, string | null> = {};
    keys.forEach((k, i) => {
      const v = cands[i]![idx[i]!]!;
      fixed.set(k.toLowerCase(), v);
      when[k] = v.kind === 'present' ? (v.values[0] ?? '') : null;
    });
    out.push({ when, decision: decide(gates, new ScenarioContext(ctx, fixed)).decision });
    for (let i = 0; i < idx.length; i++) {
      idx[i]! += 1;
      if (idx[i]! < cands[i]!.length) break;
      idx[i] = 0;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Explanations

function describeGate(ref: GateRef): string {
  const named = (s: string): string => (ref.name ? `${s} (${ref.name})` : s);
  switch (ref.kind) {
    case 'root':
      return named(`root ${ref.id ?? ''}`.trim());
    case 'ou':
      return named(`OU ${ref.id ?? ''}`.trim());
    case 'account':
      return named(`account ${ref.id ?? ''}`.trim());
    case 'identity':
      return 'the identity policies';
    case 'boundary':
      return named('the permissions boundary');
  }
}

function describeStatement(p: CompiledPolicy, s: CompiledStatement): string {
  const policy = p.name && p.name !== p.id ? `${p.id} (${p.name})` : p.id;
  return `${policy}, statement ${s.index}${s.sid ? ` ${JSON.stringify(s.sid)}` : ''}`;
}

function fmtValues(values: readonly unknown[]): string {
  return values.length === 1 ? JSON.stringify(values[0]) : JSON.stringify(values);
}

function trace(s: CompiledStatement, ctx: ContextLookup): ConditionTrace[] {
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

export function describeTrace(t: ConditionTrace): string {
  const ctxText =
    t.contextValue === undefined
      ? 'absent'
      : t.contextValue === 'unknown'
        ? 'not known before the call'
        : fmtValues(t.contextValue);
  return `${t.operator} ${t.key} ${fmtValues(t.values)} (request: ${ctxText}) is ${String(t.result)}`;
}

function ref(
  gate: Gate,
  p: CompiledPolicy,
  s: CompiledStatement,
  ctx: ContextLookup,
  reason: string,
): StatementRef {
  const level =
    gate.ref.kind === 'root' || gate.ref.kind === 'ou' || gate.ref.kind === 'account'
      ? {
          level: {
            kind: gate.ref.kind,
            id: gate.ref.id ?? '',
            ...(gate.ref.name !== undefined ? { name: gate.ref.name } : {}),
          },
        }
      : {};
  const conditions = trace(s, ctx);
  return {
    ...level,
    policyId: p.id,
    policyName: p.name,
    statementIndex: s.index,
    ...(s.sid !== undefined ? { sid: s.sid } : {}),
    effect: s.effect,
    reason,
    ...(conditions.length > 0 ? { conditions } : {}),
  };
}

/** Why a statement does not apply, in words. */
function whyNot(s: CompiledStatement, ctx: ContextLookup): string {
  if (s.mismatch !== undefined) return s.mismatch;
  const failed = trace(s, ctx).filter((t) => t.result === false);
  return failed.length > 0
    ? `condition not met: ${failed.map(describeTrace).join('; ')}`
    : 'does not apply';
}

const PRINCIPAL_KEYS: ReadonlyMap<string, string> = new Map([
  ['aws:principalarn', 'principals matching'],
  ['aws:principalaccount', 'principals of account'],
  ['aws:principalorgid', 'principals of organization'],
  ['aws:principaltype', 'principals of type'],
  ['aws:userid', 'principals whose aws:userid matches'],
  ['aws:username', 'IAM users named'],
]);

/** Who a Deny leaves out, read from its negated conditions on the principal (e.g. ArnNotLike aws:PrincipalArn). */
function exemptionsOf(s: CompiledStatement): string[] {
  const out: string[] = [];
  for (const c of s.conditions) {
    const key = c.key.toLowerCase();
    const values = c.values.map(scalarText).join(' or ');
    const { base } = c.parsed;
    if (base.family === 'null') {
      if (
        key.startsWith('aws:principaltag/') &&
        c.values.every((v) => scalarText(v).toLowerCase() === 'true')
      )
        out.push(
          `principals that have the tag ${c.key.slice('aws:principaltag/'.length)} are exempt`,
        );
      continue;
    }
    if (!base.negated || (base.family !== 'string' && base.family !== 'arn')) continue;
    if (key.startsWith('aws:principaltag/')) {
      out.push(`principals tagged ${c.key.slice('aws:principaltag/'.length)}=${values} are exempt`);
    } else {
      const lead = PRINCIPAL_KEYS.get(key);
      if (lead !== undefined) out.push(`${lead} ${values} are exempt`);
    }
  }
  return out;
}

interface Located {
  gate: Gate;
  policy: CompiledPolicy;
  stmt: CompiledStatement;
  applies: Tri;
}

function locate(gates: readonly Gate[], ctx: ContextLookup): Located[] {
  const out: Located[] = [];
  for (const gate of gates)
    for (const policy of gate.policies)
      for (const stmt of policy.statements)
        out.push({ gate, policy, stmt, applies: statementApplies(stmt, ctx) });
  return out;
}

function describeValue(v: ContextValue): string {
  return v.kind === 'present' ? fmtValues(v.values) : v.kind;
}

function assumptionsFor(
  gates: readonly Gate[],
  ctx: RequestContext,
  dependsOn: readonly string[],
): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const principalReason = ctx.reason('aws:principalarn');
  const depends = new Set(dependsOn.map((k) => k.toLowerCase()));
  for (const g of gates)
    for (const p of g.policies)
      for (const s of p.statements) {
        if (!s.actionMatches || !s.resourceMatches) continue;
        for (const c of s.conditions)
          for (const k of conditionKeys(c)) {
            const lk = k.toLowerCase();
            if (seen.has(lk)) continue;
            seen.add(lk);
            const v = ctx.get(k);
            const reason = ctx.reason(k);
            if (v.kind === 'unknown') {
              if (!depends.has(lk))
                out.push(`${k} unknown (${reason ?? ''}); the outcome does not depend on it`);
            } else if (reason !== undefined && lk !== 'aws:principalarn') {
              out.push(`${k} ${describeValue(v)}: ${reason}`);
            }
          }
      }
  if (principalReason !== undefined) out.push(`aws:PrincipalArn ${principalReason}`);
  return out;
}

export interface VerdictOptions {
  /** 'scp' explains levels; 'identity' explains the principal's policies and boundary. */
  subject: 'scp' | 'identity';
  principalArn: string;
}

/** Evaluates compiled gates and explains the answer. */
export function evaluateGates(
  gates: readonly Gate[],
  ctx: RequestContext,
  opts: VerdictOptions,
): Verdict {
  let core = decide(gates, ctx);
  const located = locate(gates, ctx);
  let scenarios: ScenarioResult[] | undefined;
  const extraAssumptions: string[] = [];

  let dependsOn: string[] = [];
  let undetermined: Located[] = [];
  if (core.decision === 'conditional') {
    undetermined = located.filter(
      (l) =>
        l.applies === 'unknown' &&
        (l.stmt.effect === 'Deny'
          ? core.deny === 'unknown'
          : core.allows[gates.indexOf(l.gate)] === 'unknown'),
    );
    for (const l of undetermined) for (const k of unknownKeysOf(l.stmt, ctx)) pushKey(dependsOn, k);
    scenarios = enumerate(dependsOn, gates, ctx);
    const outcomes = new Set(scenarios?.map((s) => s.decision));
    // Only boolean keys have a finite domain we can try in full; for the rest the
    // scenarios are examples, and the verdict stays conditional.
    const allDenied = [...outcomes].every((d) => d === 'explicitDeny' || d === 'implicitDeny');
    if (
      scenarios &&
      (outcomes.size === 1 || allDenied) &&
      dependsOn.every((k) => BOOLEAN_KEYS.has(k.toLowerCase()))
    ) {
      // Denied either way but for different reasons (a Deny for some values, no Allow for
      // others): report the weaker claim, implicitDeny, and list what each value gives.
      const only = outcomes.size === 1 ? scenarios[0]!.decision : 'implicitDeny';
      core = { ...core, decision: only };
      extraAssumptions.push(
        outcomes.size === 1
          ? `the outcome is the same whatever the value of ${dependsOn.join(', ')}: every combination was tried`
          : `denied whatever the value of ${dependsOn.join(', ')}: ${scenarios
              .map(
                (sc) =>
                  `${Object.entries(sc.when)
                    .map(([k, v]) => `${k} ${v === null ? 'absent' : `= ${JSON.stringify(v)}`}`)
                    .join(', ')} gives ${sc.decision}`,
              )
              .join('; ')}`,
      );
      dependsOn = [];
      undetermined = [];
      scenarios = undefined;
    }
  }

  const assumptions = [...assumptionsFor(gates, ctx, dependsOn), ...extraAssumptions];
  const common = {
    ...(assumptions.length > 0 ? { assumptions } : {}),
  };

  if (core.decision === 'explicitDeny') return explicitDeny(located, ctx, common);
  if (core.decision === 'implicitDeny') {
    const gi = core.allows.indexOf(false);
    if (gi >= 0) return implicitDeny(gates[gi]!, located, ctx, common, opts);
    // Reached only when every enumerated scenario denies, though no single level lacks an Allow outright.
    return {
      decision: 'implicitDeny',
      summary: `no request can be allowed: ${extraAssumptions.join('; ')}`,
      ...common,
    };
  }
  if (core.decision === 'allowed') {
    return {
      decision: 'allowed',
      summary:
        opts.subject === 'scp'
          ? `allowed: every level (${gates.map((g) => describeGate(g.ref)).join(', ')}) has an Allow for ${LEAVE_ACTION} and no Deny applies`
          : `allowed: ${allowedBy(gates, located)} and no Deny applies`,
      ...common,
    };
  }
  // conditional
  const undeterminedRefs = undetermined.map((l) =>
    ref(
      l.gate,
      l.policy,
      l.stmt,
      ctx,
      `applies only if its conditions on ${unknownKeysOf(l.stmt, ctx).join(', ')} hold`,
    ),
  );
  const first = undetermined[0];
  let detail = '';
  if (first) {
    const unknownConds = trace(first.stmt, ctx)
      .filter((t) => t.result === 'unknown')
      .map((t) => `${t.operator} ${t.key} ${fmtValues(t.values)}`)
      .join(' and ');
    detail =
      first.stmt.effect === 'Deny'
        ? `Deny in ${describeStatement(first.policy, first.stmt)}, attached to ${describeGate(first.gate.ref)}, applies when ${unknownConds}`
        : `the only Allow at ${describeGate(first.gate.ref)} (${describeStatement(first.policy, first.stmt)}) requires ${unknownConds}`;
  }
  const denying = scenarios?.find(
    (s) => s.decision === 'explicitDeny' || s.decision === 'implicitDeny',
  );
  const allowing = scenarios?.find((s) => s.decision === 'allowed');
  const example = (s: ScenarioResult): string =>
    Object.entries(s.when)
      .map(([k, v]) => `${k} ${v === null ? 'absent' : `= ${JSON.stringify(v)}`}`)
      .join(', ');
  const hints: string[] = [];
  if (denying) hints.push(`denied e.g. when ${example(denying)}`);
  if (allowing) hints.push(`allowed e.g. when ${example(allowing)}`);
  const exemptions = undetermined
    .filter((l) => l.stmt.effect === 'Deny')
    .flatMap((l) => exemptionsOf(l.stmt));
  return {
    decision: 'conditional',
    summary: `conditional on ${dependsOn.join(', ')}: ${detail}${hints.length > 0 ? `; ${hints.join('; ')}` : ''}`,
    dependsOn,
    undetermined: undeterminedRefs,
    ...(exemptions.length > 0 ? { exemptions } : {}),
    ...(scenarios ? { scenarios } : {}),
    ...common,
  };
}

function allowedBy(gates: readonly Gate[], located: Located[]): string {
  return gates
    .map((g) => {
      const l = located.find(
        (x) => x.gate === g && x.stmt.effect === 'Allow' && x.applies === true,
      );
      return l
        ? `${describeGate(g.ref)} allow it (${describeStatement(l.policy, l.stmt)})`
        : describeGate(g.ref);
    })
    .join('; ');
}

function explicitDeny(located: Located[], ctx: ContextLookup, common: Partial<Verdict>): Verdict {
  let denies = located.filter((l) => l.stmt.effect === 'Deny' && l.applies === true);
  // After exhaustive enumeration every scenario denies, but no single statement does in all of them.
  if (denies.length === 0)
    denies = located.filter((l) => l.stmt.effect === 'Deny' && l.applies !== false);
  const first = denies[0]!;
  const exemptions = [...new Set(denies.flatMap((l) => exemptionsOf(l.stmt)))];
  return {
    decision: 'explicitDeny',
    summary:
      `explicit Deny in ${describeStatement(first.policy, first.stmt)}, attached to ${describeGate(first.gate.ref)}` +
      (exemptions.length > 0 ? `; ${exemptions.join('; ')}` : ''),
    deniedBy: denies.map((l) =>
      ref(
        l.gate,
        l.policy,
        l.stmt,
        ctx,
        l.stmt.conditions.length > 0
          ? 'action, resource and every condition match'
          : 'action and resource match',
      ),
    ),
    ...(exemptions.length > 0 ? { exemptions } : {}),
    ...common,
  };
}

function implicitDeny(
  gate: Gate,
  located: Located[],
  ctx: ContextLookup,
  common: Partial<Verdict>,
  opts: VerdictOptions,
): Verdict {
  const allows = located.filter((l) => l.gate === gate && l.stmt.effect === 'Allow');
  const unmatchedAllows = allows.map((l) =>
    ref(l.gate, l.policy, l.stmt, ctx, whyNot(l.stmt, ctx)),
  );
  let why: string;
  if (gate.policies.length === 0) {
    why =
      gate.ref.kind === 'identity'
        ? `${opts.principalArn} has no identity policies`
        : gate.ref.kind === 'boundary'
          ? 'the boundary is empty'
          : 'no SCP is attached there';
  } else {
    const parts: string[] = [];
    if (
      opts.subject === 'scp' &&
      !gate.policies.some((p) => p.name === 'FullAWSAccess' || p.id === 'p-FullAWSAccess')
    )
      parts.push('FullAWSAccess is not attached there');
    if (allows.length === 0)
      parts.push(
        `${gate.policies.map((p) => p.name || p.id).join(', ')} ${gate.policies.length === 1 ? 'contains' : 'contain'} no Allow statement`,
      );
    else {
      const shown = allows
        .slice(0, 2)
        .map((l) => `${describeStatement(l.policy, l.stmt)}: ${whyNot(l.stmt, ctx)}`);
      if (allows.length > 2)
        shown.push(`${allows.length - 2} more Allow statements do not apply either`);
      parts.push(...shown);
    }
    why = parts.join('; ');
  }
  const where =
    gate.ref.kind === 'identity'
      ? `in the identity policies of ${opts.principalArn}`
      : gate.ref.kind === 'boundary'
        ? `in the permissions boundary${gate.ref.name ? ` ${gate.ref.name}` : ''}`
        : `at ${describeGate(gate.ref)}`;
  return {
    decision: 'implicitDeny',
    summary: `no Allow for ${LEAVE_ACTION} ${where}: ${why}`,
    missingAllowAt: {
      kind: gate.ref.kind,
      ...(gate.ref.id !== undefined ? { id: gate.ref.id } : {}),
      ...(gate.ref.name !== undefined ? { name: gate.ref.name } : {}),
    },
    unmatchedAllows,
    ...common,
  };
}
