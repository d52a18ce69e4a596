/**
 * The decision alone: "gates" that each need an applicable Allow (every SCP level;
 * the identity policies and the permissions boundary) and a Deny anywhere that
 * wins. Three-valued, so an outcome that hangs on a key nobody can know before
 * the call comes out `conditional`, never `allowed`. No explanations here.
 */
import {
  evaluateCondition,
  triAnd,
  triOr,
  type CompiledCondition,
  type Tri,
} from './conditions.js';
import type { ContextLookup } from './context.js';
import type { CompiledPolicy, CompiledStatement } from './document.js';
import type { Decision } from './types.js';

export { LEAVE_ACTION } from './actions.js';

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

export interface Core {
  decision: Exclude<Decision, 'error'>;
  /** Whether some Deny applies, over every gate. */
  deny: Tri;
  /** Per gate: whether some Allow there applies. */
  allows: Tri[];
}

/** Every gate needs an applicable Allow; any applicable Deny wins. */
export function decide(gates: readonly Gate[], ctx: ContextLookup): Core {
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

/** The keys a condition reads (its own and its policy variables'), as spelled in the policy. */
export function conditionKeys(c: CompiledCondition): string[] {
  const keys = [c.key];
  for (const v of c.policyValues) {
    for (const p of v.parts ?? []) if (typeof p !== 'string') keys.push(p.key.trim());
  }
  return keys;
}

/** Adds a key unless the list has it in some spelling (keys are case-insensitive). */
export function pushKey(list: string[], key: string): void {
  const k = key.toLowerCase();
  if (!list.some((x) => x.toLowerCase() === k)) list.push(key);
}
