/**
 * Attestations of one account at the evaluation time: the valid ones per
 * fact, and why the others are not used (expired, not yet valid, dated
 * unparseably, contradicting each other).
 */
import type { AttestationUsed } from '../report/types.js';
import type { Index } from './snapshot-index.js';
import type { Attestation, IgnoredAttestation } from './types.js';

/** Who attested what, when, on what evidence: enough to tell two attestations apart. */
function describeAttestation(a: Attestation): string {
  return `${String(a.value)} by ${a.attestedBy} at ${a.attestedAt} (evidence: ${a.evidence ?? 'none'})`;
}

/** Same text whatever the order of the file: true before false, then by date, author, evidence. */
function byValueThenDate(a: Attestation, b: Attestation): number {
  const key = (x: Attestation): string =>
    `${x.value ? 0 : 1}\u0000${x.attestedAt}\u0000${x.attestedBy}\u0000${x.evidence ?? ''}`;
  const [ka, kb] = [key(a), key(b)];
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function attestationUsed(a: Attestation): AttestationUsed {
  return {
    fact: a.fact,
    value: a.value,
    attestedBy: a.attestedBy,
    attestedAt: a.attestedAt,
    expiresAt: a.expiresAt,
    ...(a.evidence !== undefined && { evidence: a.evidence }),
  };
}

/**
 * The valid attestations of each fact. Several that agree all stand behind
 * the value; several that disagree cancel out, whatever their order or
 * dates (a newer one does not silently outvote an older one): the fact is
 * then unattested, and the report names every one of them.
 */
export function validAttestations(
  index: Index,
  accountId: string,
  now: number,
): { valid: Map<string, Attestation[]>; ignored: IgnoredAttestation[] } {
  const byFact = new Map<string, Attestation[]>();
  const ignored: IgnoredAttestation[] = [];
  for (const a of index.attestationsByAccount.get(accountId) ?? []) {
    const at = Date.parse(a.attestedAt);
    const exp = Date.parse(a.expiresAt);
    const base = { accountId, fact: a.fact };
    if (Number.isNaN(at) || Number.isNaN(exp)) {
      ignored.push({
        ...base,
        reason: 'unparseable-date',
        message: `attestation ${a.fact} by ${a.attestedBy} has an unparseable date`,
      });
    } else if (exp <= now) {
      ignored.push({
        ...base,
        reason: 'expired',
        message: `attestation ${a.fact} by ${a.attestedBy} expired ${a.expiresAt}`,
      });
    } else if (at > now) {
      ignored.push({
        ...base,
        reason: 'not-yet-valid',
        message: `attestation ${a.fact} by ${a.attestedBy} is dated in the future (${a.attestedAt})`,
      });
    } else {
      const list = byFact.get(a.fact) ?? [];
      list.push(a);
      byFact.set(a.fact, list);
    }
  }
  const valid = new Map<string, Attestation[]>();
  for (const [fact, list] of byFact) {
    const sorted = [...list].sort(byValueThenDate);
    if (sorted.every((a) => a.value === sorted[0]?.value)) valid.set(fact, sorted);
    else {
      ignored.push({
        accountId,
        fact,
        reason: 'contradictory',
        message: `attestations of ${fact} contradict each other, so none is used: ${sorted.map(describeAttestation).join('; ')}`,
      });
    }
  }
  return { valid, ignored };
}
