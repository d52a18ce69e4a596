/**
 * The org-wide walk: the OU tree and every account under its parent, read
 * once (ListOrganizationalUnitsForParent + ListAccountsForParent per node).
 * Part of a tree would read as the whole, so an incomplete walk leaves
 * `organizationalUnits` absent and lists the accounts through ListAccounts.
 */
import {
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import type { AccountRecord, OrganizationalUnit } from '../snapshot/types.js';
import { allPages, outcome, read } from './errors.js';
import type { Outcome, SourceError } from './errors.js';
import { accountRecord, byId, PAGE } from './walk.js';
import type { WalkInput, WalkResult } from './walk.js';

/** Walks the whole organization from the root. */
export async function walkTree({ pool, org, limit }: WalkInput): Promise<Outcome<WalkResult>> {
  const client = pool.client(OrganizationsClient);
  const ous: OrganizationalUnit[] = [];
  const accounts = new Map<string, AccountRecord>();
  const errors: SourceError[] = [];

  const walk = async (parentId: string): Promise<void> => {
    const [children] = await Promise.all([
      read('organizations:ListOrganizationalUnitsForParent', () =>
        limit(() =>
          allPages(
            paginateListOrganizationalUnitsForParent(
              { client, pageSize: PAGE },
              { ParentId: parentId },
            ),
            (p) => p.OrganizationalUnits,
          ),
        ),
      ).catch((err: SourceError) => {
        errors.push(err);
        return [];
      }),
      read('organizations:ListAccountsForParent', () =>
        limit(() =>
          allPages(
            paginateListAccountsForParent({ client, pageSize: PAGE }, { ParentId: parentId }),
            (p) => p.Accounts,
          ),
        ),
      ).then(
        (list) => {
          for (const a of list)
            if (a.Id !== undefined) accounts.set(a.Id, accountRecord(a, parentId));
        },
        (err: SourceError) => void errors.push(err),
      ),
    ]);
    const known = children.filter((ou) => ou.Id !== undefined);
    for (const ou of known) ous.push({ id: ou.Id!, name: ou.Name ?? ou.Id!, parentId });
    await Promise.all(known.map((ou) => walk(ou.Id!)));
  };
  await walk(org.rootId);

  const treeComplete = errors.length === 0;
  let accountsComplete = true;
  if (!treeComplete) {
    // Part of the tree is missing: list every account anyway so none silently
    // drops out; those not seen in the walk have no parentId (SCP rules unknown).
    const all = await outcome('organizations:ListAccounts', () =>
      limit(() =>
        allPages(paginateListAccounts({ client, pageSize: PAGE }, {}), (p) => p.Accounts),
      ),
    );
    errors.push(...(all.errors ?? []));
    if (all.value === undefined) accountsComplete = false;
    for (const a of all.value ?? [])
      if (a.Id !== undefined && !accounts.has(a.Id))
        accounts.set(a.Id, accountRecord(a, undefined));
  }

  const value: WalkResult = {
    ...(treeComplete ? { organizationalUnits: ous.sort(byId) } : {}),
    accounts: [...accounts.values()].sort(byId),
    accountsComplete,
    structure: {
      accounts: [...accounts.keys()].sort(),
      ...(treeComplete
        ? { scpTargets: [org.rootId, ...ous.map((o) => o.id), ...accounts.keys()] }
        : {}),
    },
  };
  return { value, errors };
}
