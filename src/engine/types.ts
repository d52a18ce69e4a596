/**
 * What the engine answers: per account, one outcome per loaded rule. Waivers
 * and verdicts are the gate's (src/gate/); the report renders the gate's result.
 */
import type { AttestationUsed } from '../facts/types.js';
import type { Tag } from '../snapshot/types.js';

export type OutcomeStatus = 'pass' | 'fail' | 'unknown';

export interface RuleOutcome {
  id: string;
  title: string;
  severity: 'blocker' | 'warning';
  status: OutcomeStatus;
  /** One line in plain words. */
  message: string;
  evidence: Record<string, unknown>;
  /** What to do; on every outcome that is not `pass`. */
  remediation?: string;
  pack?: string;
  references?: string[];
  /** The attestations the outcome was decided on. */
  attestations?: AttestationUsed[];
}

export interface AccountOutcome {
  accountId: string;
  outcomes: RuleOutcome[];
  tags?: Tag[];
  ouPath?: string[];
  /** Attestations that were not applied, and why. */
  notes: string[];
}
