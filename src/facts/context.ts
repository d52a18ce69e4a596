/**
 * Everything a fact may read for one account, computed at most once per
 * account and only when a fact asks (most accounts need no fix text, and a
 * run without plugins needs no frozen copies).
 */
import { arnInAccount, parseIamPrincipalArn, roleArn } from '../arn.js';
import type { PrincipalContext } from '../policy/types.js';
import type { AttestationUsed } from '../report/types.js';
import type { AccountRecord, Snapshot } from '../snapshot/types.js';
import { attestationUsed, validAttestations } from './attestations.js';
import { attestationFix, type FixContext } from './fixes.js';
import { collectionGap, type Gap, type SnapshotPart } from './read-through.js';
import { ouPath, type Index } from './snapshot-index.js';
import {
  ATTESTABLE_FACTS,
  type Attestation,
  type DeriveOptions,
  type IgnoredAttestation,
} from './types.js';

export const DEFAULT_MEMBER_ROLE = 'OrganizationAccountAccessRole';

/** Verification statuses that let an attestation decide (the API has no answer). */
const UNDECIDED_VERIFICATION = new Set(['NOT_SUPPORTED']);

/** The account's attestations as the gate uses them. */
export interface AccountAttestations {
  /** Valid and not contradicted (by each other or by the API), per fact (built-in or pack-declared). */
  valid: Map<string, Attestation[]>;
  ignored: IgnoredAttestation[];
  /** The phone verification the API reports (undefined: it gives no answer). */
  phoneFromApi: boolean | undefined;
  value(fact: string): boolean | undefined;
  used(fact: string): AttestationUsed[] | undefined;
  /** Why nobody validly attested `fact` (for the reason of a derived fact). */
  unattested(fact: string): string;
  /** How to attest `fact` (or resolve its contradiction). */
  fix(fact: string): string;
}

export class AccountContext {
  readonly now: number;
  readonly fixContext: FixContext;
  private attestationsMemo: AccountAttestations | undefined;
  private principalMemo: EvaluatedPrincipal | undefined;
  private pathMemo: string[] | string | undefined;

  constructor(
    readonly index: Index,
    readonly account: AccountRecord,
    readonly options: DeriveOptions,
  ) {
    this.now = options.now.getTime();
    this.fixContext = {
      accountId: account.id,
      memberRole: options.memberRole ?? DEFAULT_MEMBER_ROLE,
    };
  }

  get snapshot(): Snapshot {
    return this.index.snapshot;
  }

  /** Why `part` of the snapshot is missing for this account, and how to fix that. */
  gap(part: SnapshotPart): Gap {
    return collectionGap(this.index, this.fixContext, part);
  }

  /** Ids from the root to the account's parent, or why the path cannot be followed. */
  get path(): string[] | string {
    this.pathMemo ??= ouPath(this.index, this.account.parentId);
    return this.pathMemo;
  }

  /** undefined when the organization was not collected. */
  get isManagement(): boolean | undefined {
    const org = this.snapshot.organization;
    return org === undefined ? undefined : org.managementAccountId === this.account.id;
  }

  /** The principal whose SCP and IAM verdicts the gate needs. */
  get principal(): EvaluatedPrincipal {
    this.principalMemo ??= evaluatedPrincipal(this);
    return this.principalMemo;
  }

  get attestations(): AccountAttestations {
    this.attestationsMemo ??= accountAttestations(this);
    return this.attestationsMemo;
  }
}

/** The principal that will make the call: `--principal`, else the collected one, else the member role. */
export interface EvaluatedPrincipal {
  arn: string;
  /** Set when the ARN is not one a verdict can be about (a session ARN hides the role's path). */
  problem: string | undefined;
  /** True when its policies are the ones collected (else its IAM facts are unknown). */
  sameAsCollected: boolean;
  context: PrincipalContext;
}

function evaluatedPrincipal(ctx: AccountContext): EvaluatedPrincipal {
  const { account, options } = ctx;
  const collected = account.principal;
  const arn =
    options.principalArn !== undefined
      ? arnInAccount(options.principalArn, account.id)
      : (collected?.arn ?? roleArn('aws', account.id, options.memberRole ?? DEFAULT_MEMBER_ROLE));
  const sameAsCollected = collected !== undefined && collected.arn === arn;
  const org = ctx.snapshot.organization;
  return {
    arn,
    // No verdict is better than one about a guessed principal.
    problem:
      parseIamPrincipalArn(arn) === undefined
        ? `${arn} is not an IAM role or user ARN with its path`
        : undefined,
    sameAsCollected,
    context: {
      arn,
      accountId: account.id,
      ...(org !== undefined && { orgId: org.id }),
      tags: sameAsCollected ? collected.tags : undefined,
    },
  };
}

/** Valid attestations minus those an API fact contradicts. */
function accountAttestations(ctx: AccountContext): AccountAttestations {
  const { account } = ctx;
  const { valid, ignored } = validAttestations(ctx.index, account.id, ctx.now);
  const contradict = (fact: string, why: string): void => {
    const list = valid.get(fact);
    if (list === undefined) return;
    valid.delete(fact);
    ignored.push({
      accountId: account.id,
      fact,
      reason: 'contradicted-by-api',
      message: `attestation ${fact}=${String(list[0]?.value)} by ${list.map((a) => a.attestedBy).join(', ')} ignored: ${why}`,
    });
  };
  const value = (fact: string): boolean | undefined => valid.get(fact)?.[0]?.value;
  const status = account.contactInformation?.verificationStatus;
  let phoneFromApi: boolean | undefined;
  if (status === 'VERIFIED') phoneFromApi = true;
  else if (status !== undefined && !UNDECIDED_VERIFICATION.has(status)) phoneFromApi = false;
  if (phoneFromApi !== undefined && value('phoneVerified') !== phoneFromApi)
    contradict('phoneVerified', `the API reports VerificationStatus ${status ?? '?'}`);
  if (account.paidSupportPlan === true && value('supportPlanChosen') === false)
    contradict('supportPlanChosen', 'a paid support plan is visible through the Support API');
  return {
    valid,
    ignored,
    phoneFromApi,
    value,
    used: (fact) => valid.get(fact)?.map(attestationUsed),
    unattested: (fact) => {
      const why = ignored.filter((a) => a.fact === fact).map((a) => a.message);
      return why.length > 0 ? why.join('; ') : `nobody validly attested ${fact}`;
    },
    fix: (fact) => {
      const why = ignored.filter((a) => a.fact === fact);
      const gap = why.some((a) => a.reason === 'contradictory')
        ? 'contradictory'
        : why.length > 0
          ? 'invalid'
          : 'none';
      return attestationFix(fact, gap, account.id);
    },
  };
}

export { ATTESTABLE_FACTS };
