/**
 * The snapshot indexed once for all accounts of a derivation run: OUs by id,
 * SCPs by target, delegated administrators and collection errors by account,
 * attestations by account, and each parent's path to the root.
 */
import type { PolicyInput } from '../policy/types.js';
import type { CollectionError, Snapshot } from '../snapshot/types.js';
import type { Attestation, Attestations } from './types.js';

/** The snapshot indexed once for all accounts. */
export interface Index {
  snapshot: Snapshot;
  ouById: Map<string, { id: string; name: string; parentId: string }>;
  policiesByTarget: Map<string, PolicyInput[]>;
  delegated: Map<string, string[]> | undefined;
  errorsByAccount: Map<string, CollectionError[]>;
  orgErrors: CollectionError[];
  pathCache: Map<string, string[] | string>;
  attestationsByAccount: Map<string, Attestation[]>;
}

export function buildIndex(snapshot: Snapshot, attestations: Attestations | undefined): Index {
  const ouById = new Map((snapshot.organizationalUnits ?? []).map((ou) => [ou.id, ou]));
  const policiesByTarget = new Map<string, PolicyInput[]>();
  for (const p of snapshot.policies ?? []) {
    for (const t of p.targets) {
      let list = policiesByTarget.get(t);
      if (list === undefined) policiesByTarget.set(t, (list = []));
      list.push({ id: p.id, name: p.name, document: p.document });
    }
  }
  let delegated: Map<string, string[]> | undefined;
  if (snapshot.delegatedAdministrators !== undefined) {
    delegated = new Map();
    for (const d of snapshot.delegatedAdministrators) {
      const list = delegated.get(d.accountId) ?? [];
      list.push(d.servicePrincipal);
      delegated.set(d.accountId, list);
    }
  }
  const errorsByAccount = new Map<string, CollectionError[]>();
  const orgErrors: CollectionError[] = [];
  for (const e of snapshot.errors) {
    if (e.accountId === undefined) orgErrors.push(e);
    else {
      const list = errorsByAccount.get(e.accountId) ?? [];
      list.push(e);
      errorsByAccount.set(e.accountId, list);
    }
  }
  const attestationsByAccount = new Map<string, Attestation[]>();
  for (const a of attestations?.attestations ?? []) {
    const list = attestationsByAccount.get(a.accountId) ?? [];
    list.push(a);
    attestationsByAccount.set(a.accountId, list);
  }
  return {
    snapshot,
    ouById,
    policiesByTarget,
    delegated,
    errorsByAccount,
    orgErrors,
    pathCache: new Map(),
    attestationsByAccount,
  };
}

/**
 * Ids from the root to `parentId` (root first), or a reason string when the
 * chain cannot be followed to the root.
 */
export function ouPath(index: Index, parentId: string | undefined): string[] | string {
  if (parentId === undefined) return 'the account parent was not collected';
  const cached = index.pathCache.get(parentId);
  if (cached !== undefined) return cached;
  const rootId = index.snapshot.rootId;
  const path: string[] = [];
  let cur: string | undefined = parentId;
  let result: string[] | string | undefined;
  for (let depth = 0; depth < 16 && result === undefined; depth++) {
    if (cur !== undefined && cur === rootId) {
      path.unshift(cur);
      result = path;
    } else {
      const ou: { id: string; parentId: string } | undefined =
        cur === undefined ? undefined : index.ouById.get(cur);
      if (ou === undefined)
        result = `the organizational unit ${cur ?? '?'} on the account's path was not collected`;
      else {
        path.unshift(ou.id);
        cur = ou.parentId;
      }
    }
  }
  result ??= 'the organizational unit tree is deeper than AWS allows (cycle?)';
  index.pathCache.set(parentId, result);
  return result;
}
