/**
 * "Has the organization changed since the evaluation?" (org-formation's
 * recompute-before-irreversible-change). Pure: the part of a snapshot the
 * rules can read for one account, hashed part by part in a canonical form so
 * two collections of an unchanged organization hash the same whatever order
 * AWS listed things in, and a difference can be named.
 */
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { Snapshot } from '../snapshot/types.js';

/** The parts compared; a drift refusal names the ones that differ. */
export const FACT_PARTS = [
  'organization',
  'account',
  'ouPath',
  'policies',
  'delegatedAdministrators',
  'errors',
] as const;
export type FactPart = (typeof FACT_PARTS)[number];

export interface FactsFingerprint {
  /** sha256 over all parts. */
  sha256: string;
  parts: Record<FactPart, string>;
}

// Throws on values JSON cannot represent instead of hashing a placeholder.
const canonical = stringify.configure({
  deterministic: true,
  circularValue: TypeError,
  bigint: false,
  strict: true,
});

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function canonicalJson(value: unknown): string {
  return canonical(value ?? null);
}

/** Sorts an array by the canonical form of its items (order from AWS is not meaningful). */
function sortedCanonically<T>(items: readonly T[]): T[] {
  return items
    .map((item) => ({ item, key: canonicalJson(item) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((x) => x.item);
}

/** Ids from the root to the account's parent, or undefined when the path cannot be resolved. */
function ouChain(snapshot: Snapshot, parentId: string | undefined): unknown {
  if (parentId === undefined) return undefined;
  const ous = new Map((snapshot.organizationalUnits ?? []).map((ou) => [ou.id, ou]));
  const chain: unknown[] = [];
  let current: string | undefined = parentId;
  const seen = new Set<string>();
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    const ou = ous.get(current);
    if (ou === undefined) {
      chain.unshift({ id: current });
      break;
    }
    chain.unshift({ id: ou.id, name: ou.name, parentId: ou.parentId });
    current = ou.parentId;
  }
  return { rootId: snapshot.rootId ?? null, chain };
}

/**
 * The inputs the rules can read for `accountId`: the organization (with its
 * trusted services, which plugin facts may read), the account record (tags,
 * principal, contact information included), its OU path, the SCPs attached on
 * that path (documents and path attachments only), its delegated-administrator
 * registrations, and the collection errors about it or about the organization
 * (either kind leaves facts unknown). Absent parts stay distinguishable from
 * empty ones.
 */
function factsSlice(snapshot: Snapshot, accountId: string): Record<FactPart, unknown> {
  const account = snapshot.accounts.find((a) => a.id === accountId);
  const path = ouChain(snapshot, account?.parentId) as
    { rootId: string | null; chain: { id: string }[] } | undefined;
  const levels = new Set<string>([accountId, ...(path?.chain.map((c) => c.id) ?? [])]);
  if (snapshot.rootId !== undefined) levels.add(snapshot.rootId);
  const policies =
    snapshot.policies === undefined
      ? undefined
      : sortedCanonically(
          snapshot.policies
            .filter((p) => p.targets.some((t) => levels.has(t)))
            .map((p) => ({
              id: p.id,
              name: p.name,
              awsManaged: p.awsManaged,
              document: p.document,
              targets: p.targets.filter((t) => levels.has(t)).sort(),
            })),
        );
  const delegated =
    snapshot.delegatedAdministrators === undefined
      ? undefined
      : sortedCanonically(
          snapshot.delegatedAdministrators.filter((d) => d.accountId === accountId),
        );
  const normalizedAccount =
    account === undefined
      ? undefined
      : {
          ...account,
          tags: account.tags === undefined ? undefined : sortedCanonically(account.tags),
        };
  // Messages can carry request ids that differ between identical collections.
  const errors = sortedCanonically(
    snapshot.errors
      .filter((e) => e.accountId === undefined || e.accountId === accountId)
      .map((e) => ({ source: e.source, code: e.code })),
  );
  return {
    organization:
      snapshot.organization === undefined
        ? undefined
        : { ...snapshot.organization, trustedServices: snapshot.trustedServices ?? null },
    account: normalizedAccount,
    ouPath: path,
    policies,
    delegatedAdministrators: delegated,
    errors,
  };
}

/** Hashes the facts slice of one account (see factsSlice). */
export function factsFingerprint(snapshot: Snapshot, accountId: string): FactsFingerprint {
  const slice = factsSlice(snapshot, accountId);
  const parts = {} as Record<FactPart, string>;
  for (const part of FACT_PARTS)
    parts[part] = sha256(canonicalJson(slice[part] ?? { absent: true }));
  return { sha256: sha256(canonicalJson(parts)), parts };
}

/** The parts that differ between two fingerprints (empty when nothing changed). */
export function changedParts(before: FactsFingerprint, after: FactsFingerprint): FactPart[] {
  return FACT_PARTS.filter((p) => before.parts[p] !== after.parts[p]);
}
