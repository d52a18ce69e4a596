/**
 * Per-account facts (DESIGN §4.4). A fact is either known (a value, possibly
 * null for "collected, none") or unknown with a reason. Unknown facts are
 * never given to a rule: the rule is reported `unknown` instead.
 */
import type { Attestation } from '../generated/attestations.js';
import type { AttestationUsed } from '../report/types.js';
export type { AttestationUsed };
import type { AccountRecord, Snapshot, Tag } from '../snapshot/types.js';

export type { Attestation, Attestations } from '../generated/attestations.js';

/** Facts that can be attested by a human (contract §4.3, and §7's rootPasswordRecovered): the schema's enum, as a value. */
export type AttestableFact = Attestation['fact'];
export const ATTESTABLE_FACTS = [
  'paymentMethodPresent',
  'supportPlanChosen',
  'billingAccessEnabled',
  'phoneVerified',
  /** A direct transfer's target organization is at least 7 days old (no API shows it to the member). */
  'targetOrganizationAgeOk',
  /** The root user's password was recovered (impact pack, DESIGN §7): the account can run standalone. */
  'rootPasswordRecovered',
] as const satisfies readonly AttestableFact[];

/** An attestation that was not used, and why (listed in the report). */
export interface IgnoredAttestation {
  accountId: string;
  fact: string;
  reason:
    | 'expired'
    | 'not-yet-valid'
    | 'unparseable-date'
    | 'unknown-account'
    | 'contradicted-by-api'
    /** Valid attestations of one fact with different values: none is used. */
    | 'contradictory';
  message: string;
}

/** The `account` fact. */
export interface AccountFact {
  id: string;
  name?: string;
  email?: string;
  state?: string;
  joinedMethod?: string;
  joinedTimestamp?: string;
  parentId?: string;
  /** Ids from the root to the parent (root first). */
  ouPath: string[];
}

export interface AccountFacts {
  accountId: string;
  /** Known facts by name. */
  known: Record<string, unknown>;
  /** Unknown facts by name, with the reason in plain words. */
  unknown: Record<string, string>;
  /** Attestations ignored for this account. */
  ignoredAttestations: IgnoredAttestation[];
  /**
   * The valid attestations that decided a fact, keyed by the fact name a rule
   * declares (`attested.paymentMethodPresent`, `attested`, `phoneVerified`,
   * `supportPlanChosen`): the report names them (provenance).
   */
  attestationsUsed?: Record<string, AttestationUsed[]>;
  /**
   * How to make an unknown fact known, keyed like `unknown` (plus
   * `attested.<fact>` for every attestable fact nobody validly attested):
   * the permission, the trusted access, the API or the attestation to add.
   */
  fixes?: Record<string, string>;
  tags: Tag[] | undefined;
}

/**
 * A plugin fact: pure function of the account, the snapshot and the
 * account's valid attestations (unexpired, already valid, contradicted
 * neither by each other nor by the API; built-in and pack-declared facts).
 */
export type PluginFact = (
  account: AccountRecord,
  snapshot: Snapshot,
  attestations: readonly Attestation[],
) => unknown;

export interface DeriveOptions {
  /** Evaluation time (`--now`, else the snapshot's collectedAt). */
  now: Date;
  /** Principal to evaluate for P3/P4 (`--principal`); default: the collected principal or the member role. */
  principalArn?: string;
  /** Member role name used to build the default principal ARN (default OrganizationAccountAccessRole). */
  memberRole?: string;
  /** Facts provided by plugins. */
  pluginFacts?: Record<string, PluginFact>;
  /** Attestable facts declared by the loaded rule packs (pack.json `attestableFacts`), besides the built-in ones. */
  attestableFacts?: readonly string[];
  /**
   * A direct transfer (DESIGN §8): the target organization (`check --transfer-to`) and/or
   * the handshake that will be accepted (`transfer --handshake`). Without it the
   * transfer facts are unknown.
   */
  transfer?: TransferTarget;
}

/** What a transfer readiness check is about: at least one of the two is set. */
export interface TransferTarget {
  targetOrganizationId?: string;
  handshakeId?: string;
}
