/**
 * The per-account path walk, for a collection of only some accounts: each
 * account's own path (ListParents up to the root) and the OUs on it, each OU
 * described once however many accounts share it.
 */
import {
  DescribeAccountCommand,
  DescribeOrganizationalUnitCommand,
  OrganizationsClient,
  paginateListParents,
} from '@aws-sdk/client-organizations';
import type { AccountRecord, OrganizationalUnit } from '../snapshot/types.js';
import { allPages, outcome, problem, read, SourceError } from './errors.js';
import type { Outcome } from './errors.js';
import { accountRecord, byId } from './walk.js';
import type { WalkInput, WalkResult } from './walk.js';

/** The walk's state: OUs described so far, errors, and the SCP targets of every path. */
interface PathWalk extends WalkInput {
  client: OrganizationsClient;
  ous: Map<string, Promise<OrganizationalUnit | undefined>>;
  errors: SourceError[];
  /** Each target with the first account whose path it is on (errors about it name that account). */
  targets: Map<string, string>;
}

function parentOf(w: PathWalk, childId: string): Promise<string> {
  return w
    .limit(() =>
      allPages(paginateListParents({ client: w.client }, { ChildId: childId }), (p) => p.Parents),
    )
    .then((parents) => {
      const id = parents[0]?.Id;
      if (id === undefined) throw problem('ParentNotFoundException', `${childId} has no parent`);
      return id;
    });
}

/** The OU `id` (described once), or undefined when it could not be read. */
function ou(w: PathWalk, id: string, accountId: string): Promise<OrganizationalUnit | undefined> {
  let p = w.ous.get(id);
  if (p === undefined) {
    p = (async () => {
      const [described, parent] = await Promise.all([
        outcome(
          'organizations:DescribeOrganizationalUnit',
          () =>
            w.limit(() =>
              w.client.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: id })),
            ),
          accountId,
        ),
        outcome('organizations:ListParents', () => parentOf(w, id), accountId),
      ]);
      w.errors.push(...(described.errors ?? []), ...(parent.errors ?? []));
      if (described.value === undefined || parent.value === undefined) return undefined;
      return { id, name: described.value.OrganizationalUnit?.Name ?? id, parentId: parent.value };
    })();
    w.ous.set(id, p);
  }
  return p;
}

/** One account and its path; `complete` false when the path could not be read to the root. */
async function walkAccount(
  w: PathWalk,
  accountId: string,
): Promise<{ record: AccountRecord; complete: boolean }> {
  const described = await outcome(
    'organizations:DescribeAccount',
    () => w.limit(() => w.client.send(new DescribeAccountCommand({ AccountId: accountId }))),
    accountId,
  );
  w.errors.push(...(described.errors ?? []));
  if (described.value?.Account === undefined) return { record: { id: accountId }, complete: false };
  // Walk up: account -> OU ... -> root.
  const path: string[] = [];
  let parentId: string | undefined;
  let complete = true;
  try {
    parentId = await read('organizations:ListParents', () => parentOf(w, accountId), accountId);
    let cursor: string | undefined = parentId;
    while (cursor !== undefined && cursor !== w.org.rootId) {
      path.unshift(cursor);
      cursor = (await ou(w, cursor, accountId))?.parentId;
    }
    if (cursor === undefined) complete = false;
  } catch (err) {
    complete = false;
    w.errors.push(SourceError.of(err, 'organizations:ListParents', accountId));
  }
  for (const t of [w.org.rootId, ...path, accountId])
    if (!w.targets.has(t)) w.targets.set(t, accountId);
  return { record: accountRecord(described.value.Account, parentId), complete };
}

/** Walks the paths of `accountIds` (every one is listed, as `{ id }` at least). */
export async function walkPaths(
  input: WalkInput,
  accountIds: readonly string[],
): Promise<Outcome<WalkResult>> {
  const w: PathWalk = {
    ...input,
    client: input.pool.client(OrganizationsClient),
    ous: new Map(),
    errors: [],
    targets: new Map(),
  };
  const walked = await Promise.all(accountIds.map((id) => walkAccount(w, id)));
  const described = await Promise.all(w.ous.values());
  // An OU that could not be read leaves the list absent: the snapshot would
  // otherwise name an account's parent that the list does not hold.
  const organizationalUnits = described.every((o) => o !== undefined)
    ? described.sort(byId)
    : undefined;
  const value: WalkResult = {
    ...(organizationalUnits === undefined ? {} : { organizationalUnits }),
    accounts: walked.map((a) => a.record),
    accountsComplete: true,
    structure: {
      accounts: [...accountIds],
      ...(walked.every((a) => a.complete) ? { scpTargets: [...w.targets.keys()] } : {}),
      accountOf: (target) => w.targets.get(target),
    },
  };
  return { value, errors: w.errors };
}
