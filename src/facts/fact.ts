/**
 * A fact is a unit (DESIGN §4.4): a name, what it means, the parts of the
 * snapshot it reads, and a pure derivation that answers a value or
 * `unknown(reason, fix)`. Built-in facts live one per file under builtin/
 * and are listed in builtin/index.ts; plugin facts are wrapped into the same
 * interface.
 */
import type { AttestationUsed } from '../report/types.js';
import type { SnapshotPart } from './read-through.js';
import type { AccountContext } from './context.js';

/** A derived value, with the attestations that decided it (provenance). */
export interface Known {
  ok: true;
  value: unknown;
  attestations?: AttestationUsed[];
  /**
   * Per dotted path below the value (`attested.paymentMethodPresent`): the
   * attestations that decided it, or the fix when the path has no value.
   */
  paths?: Record<string, { attestations?: AttestationUsed[]; fix?: string }>;
}

/** Not derivable: why, in plain words, and how to fix that (not how to fix a failure). */
export interface Unknown {
  ok: false;
  reason: string;
  fix?: string;
}

export type FactOutcome = Known | Unknown;

export function known(value: unknown, attestations?: AttestationUsed[]): Known {
  return attestations === undefined ? { ok: true, value } : { ok: true, value, attestations };
}

export function unknown(reason: string, fix?: string): Unknown {
  return fix === undefined ? { ok: false, reason } : { ok: false, reason, fix };
}

export interface Fact {
  name: string;
  /** What the value is, for `rules doc` and rule authors. */
  description: string;
  /**
   * `verdict`: a policy evaluator verdict `{ decision, summary, ... }`, shown
   * as the decision in a rule's evidence instead of per condition.
   */
  kind?: 'value' | 'verdict';
  /** The parts of the snapshot it reads: their collection errors explain an unknown. */
  reads: readonly SnapshotPart[];
  derive(ctx: AccountContext): FactOutcome;
}

/**
 * The unknown for a fact whose `part` was not collected: the reason names the
 * errors of exactly the sources that fill that part, and their fix.
 */
export function notCollected(ctx: AccountContext, part: SnapshotPart, what: string): Unknown {
  const gap = ctx.gap(part);
  return unknown(`${what} ${gap.why}`, gap.fix);
}
