/**
 * The management view: organization, root, OU tree, accounts with their
 * parents, SCPs with documents and targets, delegated administrators and
 * trusted services — with the fewest Organizations calls (DESIGN §6).
 */
import {
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  DescribeOrganizationalUnitCommand,
  DescribePolicyCommand,
  ListRootsCommand,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListAWSServiceAccessForOrganization,
  paginateListDelegatedAdministrators,
  paginateListDelegatedServicesForAccount,
  paginateListOrganizationalUnitsForParent,
  paginateListParents,
  paginateListPolicies,
  paginateListPoliciesForTarget,
  paginateListTagsForResource,
  paginateListTargetsForPolicy,
} from '@aws-sdk/client-organizations';
import type { Account, OrganizationsClient, Root } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { LimitFunction } from 'p-limit';
import { CollectError } from '../errors.js';
import type { JsonValue } from '../json.js';
import type {
  AccountRecord,
  CollectionError,
  DelegatedAdministrator,
  OrganizationInfo,
  OrganizationalUnit,
  ScpPolicy,
  Tag,
} from '../snapshot/types.js';
import type { ClientPool } from './client-pool.js';
import { allPages, attempt, errorCode, errorMessage, toCollectionError } from './errors.js';

// The largest page Organizations accepts for every list call we make.
const PAGE = 20;
const SCP = 'SERVICE_CONTROL_POLICY';

/** Where the collector stands: caller, organization, root. */
export interface OrgContext {
  callerAccountId: string;
  organization: OrganizationInfo;
  rootId: string;
}

/** What the management view collects (the snapshot's organization-level fields). */
export interface ManagementView {
  organizationalUnits?: OrganizationalUnit[];
  policies?: ScpPolicy[];
  delegatedAdministrators?: DelegatedAdministrator[];
  trustedServices?: string[];
  accounts: AccountRecord[];
  /** false when some accounts of the organization may be missing from `accounts`. */
  accountsComplete: boolean;
}

function iso(date: Date | undefined): string | undefined {
  return date === undefined ? undefined : date.toISOString();
}

/** Snapshot record of an Organizations Account (without tags or member facts). */
export function accountRecord(a: Account, parentId: string | undefined): AccountRecord {
  const joined = iso(a.JoinedTimestamp);
  const state = a.State ?? a.Status;
  return {
    id: a.Id!,
    ...(a.Name === undefined ? {} : { name: a.Name }),
    ...(a.Email === undefined ? {} : { email: a.Email }),
    ...(a.Arn === undefined ? {} : { arn: a.Arn }),
    ...(state === undefined ? {} : { state }),
    ...(a.JoinedMethod === 'CREATED' || a.JoinedMethod === 'INVITED'
      ? { joinedMethod: a.JoinedMethod }
      : {}),
    ...(joined === undefined ? {} : { joinedTimestamp: joined }),
    ...(parentId === undefined ? {} : { parentId }),
  };
}

function parseDocument(content: string | undefined): JsonValue {
  if (content === undefined)
    throw Object.assign(new Error('policy has no content'), { name: 'MissingContent' });
  try {
    return JSON.parse(content) as JsonValue;
  } catch {
    // The evaluator validates documents: an unparseable one stays visible as text.
    return content;
  }
}

/**
 * Who is calling and which organization it sees. Throws CollectError (exit 2)
 * with an explanation when the caller can read no organization: not in one, or
 * a member that is neither the management account nor a delegated administrator.
 */
export async function identifyCaller(pool: ClientPool): Promise<OrgContext> {
  let callerAccountId: string;
  try {
    const me = await pool.sts.send(new GetCallerIdentityCommand({}));
    callerAccountId = me.Account ?? 'unknown';
  } catch (err) {
    throw new CollectError(
      `sts:GetCallerIdentity: ${errorCode(err)}: ${errorMessage(err)} (check the credentials, --profile and --region)`,
      { cause: err },
    );
  }
  let organization: OrganizationInfo;
  try {
    const out = await pool.organizations.send(new DescribeOrganizationCommand({}));
    const o = out.Organization;
    if (o?.Id === undefined || o.MasterAccountId === undefined)
      throw new Error('DescribeOrganization returned no organization');
    organization = {
      id: o.Id,
      ...(o.Arn === undefined ? {} : { arn: o.Arn }),
      featureSet: o.FeatureSet === 'CONSOLIDATED_BILLING' ? 'CONSOLIDATED_BILLING' : 'ALL',
      managementAccountId: o.MasterAccountId,
      ...(o.MasterAccountEmail === undefined
        ? {}
        : { managementAccountEmail: o.MasterAccountEmail }),
      scpEnabled: false,
    };
  } catch (err) {
    if (errorCode(err) === 'AWSOrganizationsNotInUseException') {
      throw new CollectError(
        `account ${callerAccountId} is not a member of an organization: nothing to collect`,
        {
          cause: err,
        },
      );
    }
    throw new CollectError(
      `organizations:DescribeOrganization: ${errorCode(err)}: ${errorMessage(err)}`,
      {
        cause: err,
      },
    );
  }
  let roots: Root[];
  try {
    roots = (await pool.organizations.send(new ListRootsCommand({}))).Roots ?? [];
  } catch (err) {
    const code = errorCode(err);
    if (code === 'AccessDeniedException' && callerAccountId !== organization.managementAccountId) {
      throw new CollectError(
        `account ${callerAccountId} is a member of ${organization.id} but neither its management account ` +
          `(${organization.managementAccountId}) nor a delegated administrator for AWS Organizations: ` +
          `run leavegate with credentials of ${organization.managementAccountId} (or of a delegated administrator)`,
        { cause: err },
      );
    }
    throw new CollectError(`organizations:ListRoots: ${code}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  const root = roots[0];
  if (root?.Id === undefined)
    throw new CollectError(`organizations:ListRoots: ${organization.id} has no root`);
  // PENDING_ENABLE / PENDING_DISABLE count as enabled: while the type changes
  // state SCPs may apply, and evaluating them can only make the verdict stricter.
  // For the same reason a root that does not say (no PolicyTypes) counts as
  // enabled where SCPs can exist at all (feature set ALL).
  organization.scpEnabled =
    root.PolicyTypes === undefined
      ? organization.featureSet === 'ALL'
      : root.PolicyTypes.some((t) => t.Type === SCP);
  return { callerAccountId, organization, rootId: root.Id };
}

interface Shared {
  pool: ClientPool;
  limit: LimitFunction;
  errors: CollectionError[];
}

/**
 * Runs `read` for every item under the shared limit, recording each failure
 * as `source` (about the account `accountOf` names). False when any item
 * failed: the caller then leaves its field absent rather than build it from
 * part of the data.
 */
async function readEvery<T>(
  s: Shared,
  items: readonly T[],
  source: string,
  accountOf: (item: T) => string | undefined,
  read: (item: T) => Promise<void>,
): Promise<boolean> {
  let complete = true;
  await Promise.all(
    items.map((item) =>
      s.limit(async () => {
        try {
          await read(item);
        } catch (err) {
          complete = false;
          s.errors.push(toCollectionError(err, source, accountOf(item)));
        }
      }),
    ),
  );
  return complete;
}

async function delegatedAdministrators(s: Shared): Promise<DelegatedAdministrator[] | undefined> {
  const admins = await attempt(
    s.errors,
    'organizations:ListDelegatedAdministrators',
    undefined,
    () =>
      s.limit(() =>
        allPages(
          paginateListDelegatedAdministrators({ client: s.pool.organizations, pageSize: PAGE }, {}),
          (p) => p.DelegatedAdministrators,
        ),
      ),
  );
  if (admins === undefined) return undefined;
  // The service principals each admin is registered for: one call per admin (usually a handful).
  const out: DelegatedAdministrator[] = [];
  const complete = await readEvery(
    s,
    admins,
    'organizations:ListDelegatedServicesForAccount',
    (a) => a.Id,
    async ({ Id: accountId }) => {
      // Dropping a listed administrator would let not-delegated-admin pass for it.
      if (accountId === undefined) {
        throw Object.assign(new Error('a delegated administrator was listed without its id'), {
          name: 'IncompleteResult',
        });
      }
      const services = await allPages(
        paginateListDelegatedServicesForAccount(
          { client: s.pool.organizations, pageSize: PAGE },
          { AccountId: accountId },
        ),
        (p) => p.DelegatedServices,
      );
      const principals = services
        .map((d) => d.ServicePrincipal)
        .filter((p): p is string => p !== undefined);
      if (principals.length === 0) {
        throw Object.assign(
          new Error(`${accountId} is a delegated administrator, but no service was listed for it`),
          { name: 'IncompleteResult' },
        );
      }
      for (const servicePrincipal of principals) out.push({ accountId, servicePrincipal });
    },
  );
  return complete
    ? out.sort(
        (x, y) =>
          x.accountId.localeCompare(y.accountId) ||
          x.servicePrincipal.localeCompare(y.servicePrincipal),
      )
    : undefined;
}

async function trustedServices(s: Shared): Promise<string[] | undefined> {
  const list = await attempt(
    s.errors,
    'organizations:ListAWSServiceAccessForOrganization',
    undefined,
    () =>
      s.limit(() =>
        allPages(
          paginateListAWSServiceAccessForOrganization(
            { client: s.pool.organizations, pageSize: PAGE },
            {},
          ),
          (p) => p.EnabledServicePrincipals,
        ),
      ),
  );
  return list
    ?.map((e) => e.ServicePrincipal ?? '')
    .filter((p) => p !== '')
    .sort();
}

/** Tags of one account; undefined (and an error) when they cannot be read. */
export async function accountTags(
  pool: ClientPool,
  accountId: string,
  errors: CollectionError[],
): Promise<Tag[] | undefined> {
  const tags = await attempt(errors, 'organizations:ListTagsForResource', accountId, () =>
    allPages(
      paginateListTagsForResource({ client: pool.organizations }, { ResourceId: accountId }),
      (p) => p.Tags,
    ),
  );
  return tags?.map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
}

async function describePolicies(
  s: Shared,
  ids: string[],
): Promise<Map<string, Omit<ScpPolicy, 'targets'>> | undefined> {
  const out = new Map<string, Omit<ScpPolicy, 'targets'>>();
  const complete = await readEvery(
    s,
    ids,
    'organizations:DescribePolicy',
    () => undefined,
    async (id) => {
      const p = (await s.pool.organizations.send(new DescribePolicyCommand({ PolicyId: id })))
        .Policy;
      out.set(id, {
        id,
        name: p?.PolicySummary?.Name ?? id,
        awsManaged: p?.PolicySummary?.AwsManaged ?? false,
        document: parseDocument(p?.Content),
      });
    },
  );
  return complete ? out : undefined;
}

/**
 * Org-wide management view: walks the tree once, reads SCP attachments per
 * policy or per target (whichever needs fewer calls), each policy once.
 * A failed call leaves the affected field absent and is recorded in `errors`;
 * an incomplete tree drops `organizationalUnits`, incomplete SCP data drops
 * `policies` entirely, so nothing is computed from half of either.
 */
export async function collectOrganization(
  pool: ClientPool,
  ctx: OrgContext,
  limit: LimitFunction,
  errors: CollectionError[],
): Promise<ManagementView> {
  const s: Shared = { pool, limit, errors };
  const ous: OrganizationalUnit[] = [];
  const accounts = new Map<string, AccountRecord>();
  let treeComplete = true;

  const walk = async (parentId: string): Promise<void> => {
    const [children] = await Promise.all([
      limit(() =>
        allPages(
          paginateListOrganizationalUnitsForParent(
            { client: pool.organizations, pageSize: PAGE },
            { ParentId: parentId },
          ),
          (p) => p.OrganizationalUnits,
        ),
      ).catch((err: unknown) => {
        treeComplete = false;
        errors.push(toCollectionError(err, 'organizations:ListOrganizationalUnitsForParent'));
        return [];
      }),
      limit(() =>
        allPages(
          paginateListAccountsForParent(
            { client: pool.organizations, pageSize: PAGE },
            { ParentId: parentId },
          ),
          (p) => p.Accounts,
        ),
      ).then(
        (list) => {
          for (const a of list)
            if (a.Id !== undefined) accounts.set(a.Id, accountRecord(a, parentId));
        },
        (err: unknown) => {
          treeComplete = false;
          errors.push(toCollectionError(err, 'organizations:ListAccountsForParent'));
        },
      ),
    ]);
    for (const ou of children) {
      if (ou.Id !== undefined) ous.push({ id: ou.Id, name: ou.Name ?? ou.Id, parentId });
    }
    await Promise.all(children.filter((ou) => ou.Id !== undefined).map((ou) => walk(ou.Id!)));
  };

  const policySummaries = attempt(errors, 'organizations:ListPolicies', undefined, () =>
    limit(() =>
      allPages(
        paginateListPolicies({ client: pool.organizations, pageSize: PAGE }, { Filter: SCP }),
        (p) => p.Policies,
      ),
    ),
  );
  const [, summaries, admins, trusted] = await Promise.all([
    walk(ctx.rootId),
    policySummaries,
    delegatedAdministrators(s),
    trustedServices(s),
  ]);

  let accountsComplete = true;
  if (!treeComplete) {
    // Part of the tree is missing: list every account anyway so none silently
    // drops out; those not seen in the walk have no parentId (SCP rules unknown).
    const all = await attempt(errors, 'organizations:ListAccounts', undefined, () =>
      limit(() =>
        allPages(
          paginateListAccounts({ client: pool.organizations, pageSize: PAGE }, {}),
          (p) => p.Accounts,
        ),
      ),
    );
    if (all === undefined) accountsComplete = false;
    for (const a of all ?? [])
      if (a.Id !== undefined && !accounts.has(a.Id))
        accounts.set(a.Id, accountRecord(a, undefined));
  }

  let policies: ScpPolicy[] | undefined;
  if (summaries !== undefined) {
    const ids = summaries.map((p) => p.Id).filter((id): id is string => id !== undefined);
    const targetsCount = 1 + ous.length + accounts.size;
    const [docs, targets] = await Promise.all([
      describePolicies(s, ids),
      // Per target costs one call per root/OU/account; per policy at least one per policy.
      targetsCount < ids.length
        ? targetsPerTarget(s, [ctx.rootId, ...ous.map((o) => o.id), ...accounts.keys()])
        : targetsPerPolicy(s, ids),
    ]);
    if (docs !== undefined && targets !== undefined && treeComplete) {
      policies = ids.map((id) => ({
        ...docs.get(id)!,
        targets: [...(targets.get(id) ?? [])].sort(),
      }));
      policies.sort((a, b) => a.id.localeCompare(b.id));
    }
  }

  return {
    // Part of a tree would read as the whole: a missing OU drops out silently.
    ...(treeComplete ? { organizationalUnits: ous.sort((a, b) => a.id.localeCompare(b.id)) } : {}),
    ...(policies === undefined ? {} : { policies }),
    ...(admins === undefined ? {} : { delegatedAdministrators: admins }),
    ...(trusted === undefined ? {} : { trustedServices: trusted }),
    accounts: [...accounts.values()].sort((a, b) => a.id.localeCompare(b.id)),
    accountsComplete,
  };
}

async function targetsPerPolicy(
  s: Shared,
  ids: string[],
): Promise<Map<string, Set<string>> | undefined> {
  const out = new Map<string, Set<string>>();
  const complete = await readEvery(
    s,
    ids,
    'organizations:ListTargetsForPolicy',
    () => undefined,
    async (id) => {
      const targets = await allPages(
        paginateListTargetsForPolicy(
          { client: s.pool.organizations, pageSize: PAGE },
          { PolicyId: id },
        ),
        (p) => p.Targets,
      );
      out.set(
        id,
        new Set(targets.map((t) => t.TargetId).filter((t): t is string => t !== undefined)),
      );
    },
  );
  return complete ? out : undefined;
}

async function targetsPerTarget(
  s: Shared,
  targetIds: string[],
): Promise<Map<string, Set<string>> | undefined> {
  const out = new Map<string, Set<string>>();
  const complete = await readEvery(
    s,
    targetIds,
    'organizations:ListPoliciesForTarget',
    (target) => (/^\d{12}$/.test(target) ? target : undefined),
    async (target) => {
      for (const id of await policiesForTarget(s.pool.organizations, target)) {
        let set = out.get(id);
        if (set === undefined) out.set(id, (set = new Set()));
        set.add(target);
      }
    },
  );
  return complete ? out : undefined;
}

async function policiesForTarget(client: OrganizationsClient, target: string): Promise<string[]> {
  const list = await allPages(
    paginateListPoliciesForTarget({ client, pageSize: PAGE }, { TargetId: target, Filter: SCP }),
    (p) => p.Policies,
  );
  return list.map((p) => p.Id).filter((id): id is string => id !== undefined);
}

/**
 * Management view of only some accounts: each account's own path (ListParents
 * up to the root), the OUs on it, the SCPs attached along it, delegated
 * administrators and trusted services once.
 */
export async function collectAccountsPath(
  pool: ClientPool,
  ctx: OrgContext,
  accountIds: string[],
  limit: LimitFunction,
  errors: CollectionError[],
): Promise<ManagementView> {
  const s: Shared = { pool, limit, errors };
  const ous = new Map<string, Promise<OrganizationalUnit | undefined>>();
  const parentOf = (childId: string): Promise<string> =>
    limit(() =>
      allPages(
        paginateListParents({ client: pool.organizations }, { ChildId: childId }),
        (p) => p.Parents,
      ),
    ).then((parents) => {
      const id = parents[0]?.Id;
      if (id === undefined) {
        throw Object.assign(new Error(`${childId} has no parent`), {
          name: 'ParentNotFoundException',
        });
      }
      return id;
    });
  // OUs shared between accounts are described once.
  const ou = (id: string, accountId: string): Promise<OrganizationalUnit | undefined> => {
    let p = ous.get(id);
    if (p === undefined) {
      p = (async () => {
        const [described, parentId] = await Promise.all([
          attempt(errors, 'organizations:DescribeOrganizationalUnit', accountId, () =>
            limit(() =>
              pool.organizations.send(
                new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: id }),
              ),
            ),
          ),
          attempt(errors, 'organizations:ListParents', accountId, () => parentOf(id)),
        ]);
        if (described === undefined || parentId === undefined) return undefined;
        return { id, name: described.OrganizationalUnit?.Name ?? id, parentId };
      })();
      ous.set(id, p);
    }
    return p;
  };

  const targetPolicies = new Map<string, Promise<string[] | undefined>>();
  const policiesAt = (target: string, accountId: string): Promise<string[] | undefined> => {
    let p = targetPolicies.get(target);
    if (p === undefined) {
      p = limit(() => policiesForTarget(pool.organizations, target)).catch((err: unknown) => {
        errors.push(toCollectionError(err, 'organizations:ListPoliciesForTarget', accountId));
        return undefined;
      });
      targetPolicies.set(target, p);
    }
    return p;
  };

  let scpComplete = true;
  const pathAccounts = await Promise.all(
    accountIds.map(async (accountId): Promise<AccountRecord> => {
      const described = await attempt(errors, 'organizations:DescribeAccount', accountId, () =>
        limit(() => pool.organizations.send(new DescribeAccountCommand({ AccountId: accountId }))),
      );
      if (described?.Account === undefined) {
        scpComplete = false;
        return { id: accountId };
      }
      // Walk up: account -> OU ... -> root.
      const path: string[] = [];
      let parentId: string | undefined;
      try {
        parentId = await parentOf(accountId);
        let cursor: string | undefined = parentId;
        while (cursor !== undefined && cursor !== ctx.rootId) {
          path.unshift(cursor);
          const node = await ou(cursor, accountId);
          cursor = node?.parentId;
        }
        if (cursor === undefined) scpComplete = false;
      } catch (err) {
        scpComplete = false;
        errors.push(toCollectionError(err, 'organizations:ListParents', accountId));
      }
      const lists = await Promise.all(
        [ctx.rootId, ...path, accountId].map((t) => policiesAt(t, accountId)),
      );
      if (lists.some((l) => l === undefined)) scpComplete = false;
      return accountRecord(described.Account, parentId);
    }),
  );

  const [admins, trusted] = await Promise.all([delegatedAdministrators(s), trustedServices(s)]);

  const targetsByPolicy = new Map<string, Set<string>>();
  for (const [target, p] of targetPolicies) {
    for (const id of (await p) ?? []) {
      let set = targetsByPolicy.get(id);
      if (set === undefined) targetsByPolicy.set(id, (set = new Set()));
      set.add(target);
    }
  }
  const docs = await describePolicies(s, [...targetsByPolicy.keys()]);
  const described = await Promise.all(ous.values());
  // An OU that could not be read leaves the list absent: the snapshot would
  // otherwise name an account's parent that the list does not hold.
  const organizationalUnits = described.every((o) => o !== undefined)
    ? described.sort((a, b) => a.id.localeCompare(b.id))
    : undefined;
  const policies =
    docs === undefined || !scpComplete
      ? undefined
      : [...targetsByPolicy.entries()]
          .map(([id, targets]) => ({ ...docs.get(id)!, targets: [...targets].sort() }))
          .sort((a, b) => a.id.localeCompare(b.id));
  return {
    ...(organizationalUnits === undefined ? {} : { organizationalUnits }),
    ...(policies === undefined ? {} : { policies }),
    ...(admins === undefined ? {} : { delegatedAdministrators: admins }),
    ...(trusted === undefined ? {} : { trustedServices: trusted }),
    // Every requested account is listed, as `{ id }` at least when it could not be read.
    accounts: pathAccounts,
    accountsComplete: true,
  };
}
