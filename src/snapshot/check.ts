/**
 * Semantic checks of a schema-valid snapshot: what JSON Schema cannot say.
 *
 * Errors are inconsistencies that could make an evaluation wrong — above all
 * fail-open: a policy attached to a mistyped OU id would silently not apply.
 * Warnings are inconsistencies that change no verdict (e.g. the management
 * account missing from the account list) but deserve a look.
 *
 * Partial snapshots (`collector.scope: 'accounts'`) hold only the OUs on the
 * paths of the collected accounts, while a policy's targets (from
 * ListTargetsForPolicy) may name any OU or account of the organization. There,
 * a target that names an unlisted OU or account is accepted: it cannot be on
 * the path of any listed account, because every listed account's parent chain
 * is checked to consist of listed OUs up to the root. In every other scope the
 * snapshot claims to be the whole organization and such a target is an error.
 */
import { parseIamPrincipalArn } from '../arn.js';
import type { Issue } from '../errors.js';
import { dateIssue, jsonPointer } from '../io.js';
import type { Snapshot } from './types.js';

export interface SnapshotCheck {
  issues: Issue[];
  warnings: Issue[];
}

/**
 * Checks what the schema cannot: unique ids, a tree whose parents exist and
 * that has no cycle, policy targets that exist, parseable dates, consistent
 * management account and ARNs. Assumes `snapshot` passed the schema.
 */
export function checkSnapshot(snapshot: Snapshot, file?: string): SnapshotCheck {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const issue = (path: string, message: string): void => {
    issues.push({ file, path, message });
  };
  const warn = (path: string, message: string): void => {
    warnings.push({ file, path, message });
  };
  const partial = snapshot.collector?.scope === 'accounts';
  const { rootId, organization } = snapshot;

  const date = dateIssue(snapshot.collectedAt, '/collectedAt', file);
  if (date !== undefined) issues.push(date);

  const accountIndex = uniqueIds(snapshot.accounts, 'accounts', 'account', issue);
  const ouIndex = uniqueIds(snapshot.organizationalUnits ?? [], 'organizationalUnits', 'OU', issue);
  uniqueIds(snapshot.policies ?? [], 'policies', 'policy', issue);

  // The tree was collected when organizationalUnits is present (the schema then requires rootId).
  const treeKnown = snapshot.organizationalUnits !== undefined;
  const isKnownParent = (id: string): boolean =>
    id.startsWith('r-') ? rootId === undefined || id === rootId : !treeKnown || ouIndex.has(id);
  const parentProblem = (id: string): string =>
    id.startsWith('r-')
      ? `parent ${id} is not the organization's root ${rootId ?? ''}`.trimEnd()
      : `parent ${id} names no OU in the snapshot`;

  snapshot.organizationalUnits?.forEach((ou, i) => {
    if (!isKnownParent(ou.parentId)) {
      issue(`/organizationalUnits/${i}/parentId`, parentProblem(ou.parentId));
    }
  });
  if (snapshot.organizationalUnits !== undefined) {
    for (const cycle of findCycles(snapshot.organizationalUnits)) {
      const path = cycle.map((i) => snapshot.organizationalUnits?.[i]?.id ?? '?');
      const first = cycle[0] ?? 0;
      issue(
        `/organizationalUnits/${first}/parentId`,
        `cycle in the OU tree: ${[...path, path[0]].join(' -> ')} never reaches the root`,
      );
    }
  }

  const orgId = organization?.id;
  const managementId = organization?.managementAccountId;
  snapshot.accounts.forEach((account, i) => {
    const at = `/accounts/${i}`;
    if (account.parentId !== undefined && !isKnownParent(account.parentId)) {
      issue(`${at}/parentId`, parentProblem(account.parentId));
    }
    if (account.joinedTimestamp !== undefined) {
      const bad = dateIssue(account.joinedTimestamp, `${at}/joinedTimestamp`, file);
      if (bad !== undefined) issues.push(bad);
    }
    if (account.arn !== undefined) {
      const [, , , , arnManagement, rest] = account.arn.split(':');
      const [, arnOrg, arnAccount] = (rest ?? '').split('/');
      if (arnAccount !== account.id) {
        issue(`${at}/arn`, `ARN names account ${arnAccount ?? '?'}, not ${account.id}`);
      } else if (orgId !== undefined && arnOrg !== orgId) {
        issue(`${at}/arn`, `ARN names organization ${arnOrg ?? '?'}, not ${orgId}`);
      } else if (managementId !== undefined && arnManagement !== managementId) {
        issue(
          `${at}/arn`,
          `ARN names management account ${arnManagement ?? '?'}, not ${managementId}`,
        );
      }
    }
    const principal = account.principal;
    if (principal !== undefined) {
      const owner = parseIamPrincipalArn(principal.arn)?.accountId;
      if (owner !== undefined && owner !== account.id) {
        // aws:PrincipalAccount and the member-side IAM data would describe another account.
        issue(`${at}/principal/arn`, `principal is in account ${owner}, not ${account.id}`);
      }
      if (principal.identityPolicyNames !== undefined) {
        const names = principal.identityPolicyNames.length;
        const docs = principal.identityPolicies?.length;
        if (docs !== names) {
          issue(
            `${at}/principal/identityPolicyNames`,
            `${names} names for ${docs ?? 'no'} identityPolicies: the lists must be parallel`,
          );
        }
      }
    }
  });

  snapshot.policies?.forEach((policy, i) => {
    policy.targets.forEach((target, j) => {
      const at = `/policies/${i}/targets/${j}`;
      const label = `policy ${policy.id} (${policy.name})`;
      if (target.startsWith('r-')) {
        if (rootId !== undefined && target !== rootId) {
          issue(at, `${label} is attached to ${target}, which is not the root ${rootId}`);
        }
      } else if (partial) {
        // See the module comment: unlisted targets are expected in a partial snapshot.
      } else if (target.startsWith('ou-')) {
        if (treeKnown && !ouIndex.has(target)) {
          issue(at, `${label} is attached to OU ${target}, which is not in the snapshot`);
        }
      } else if (!accountIndex.has(target)) {
        issue(at, `${label} is attached to account ${target}, which is not in the snapshot`);
      }
    });
  });

  if (organization !== undefined) {
    if (organization.arn !== undefined) {
      const [, , , , arnManagement, rest] = organization.arn.split(':');
      const arnOrg = (rest ?? '').split('/')[1];
      if (arnOrg !== organization.id) {
        issue(
          '/organization/arn',
          `ARN names organization ${arnOrg ?? '?'}, not ${organization.id}`,
        );
      } else if (arnManagement !== organization.managementAccountId) {
        issue(
          '/organization/arn',
          `ARN names management account ${arnManagement ?? '?'}, not ${organization.managementAccountId}`,
        );
      }
    }
    if (organization.featureSet === 'CONSOLIDATED_BILLING' && organization.scpEnabled) {
      issue(
        '/organization/scpEnabled',
        'SCPs cannot be enabled in an organization whose featureSet is CONSOLIDATED_BILLING',
      );
    }
    if (!partial && !accountIndex.has(organization.managementAccountId)) {
      warn(
        '/organization/managementAccountId',
        `management account ${organization.managementAccountId} is not among the accounts`,
      );
    }
  }

  snapshot.delegatedAdministrators?.forEach((admin, i) => {
    const at = `/delegatedAdministrators/${i}/accountId`;
    if (admin.accountId === managementId) {
      warn(at, `the management account ${admin.accountId} cannot be a delegated administrator`);
    } else if (!partial && !accountIndex.has(admin.accountId)) {
      warn(at, `delegated administrator ${admin.accountId} is not among the accounts`);
    }
  });

  return { issues, warnings };
}

/** Index of first occurrence by id; reports every later duplicate with both pointers. */
function uniqueIds(
  items: readonly { id: string }[],
  collection: string,
  what: string,
  issue: (path: string, message: string) => void,
): Map<string, number> {
  const index = new Map<string, number>();
  items.forEach((item, i) => {
    const first = index.get(item.id);
    if (first === undefined) {
      index.set(item.id, i);
    } else {
      issue(
        jsonPointer([collection, i, 'id']),
        `duplicate ${what} id ${item.id} (also ${jsonPointer([collection, first, 'id'])})`,
      );
    }
  });
  return index;
}

/**
 * Cycles among OU parent links, each once, as OU indexes in parent order.
 * Links to unknown parents end a chain (they are reported separately).
 */
function findCycles(ous: readonly { id: string; parentId: string }[]): number[][] {
  const index = new Map<string, number>();
  ous.forEach((ou, i) => {
    if (!index.has(ou.id)) index.set(ou.id, i);
  });
  // 0 = unvisited, 1 = on the current chain, 2 = finished.
  const state = new Uint8Array(ous.length);
  const cycles: number[][] = [];
  for (let start = 0; start < ous.length; start++) {
    const chain: number[] = [];
    let i: number | undefined = start;
    while (i !== undefined && state[i] === 0) {
      state[i] = 1;
      chain.push(i);
      const parent: string | undefined = ous[i]?.parentId;
      i = parent === undefined ? undefined : index.get(parent);
    }
    if (i !== undefined && state[i] === 1) cycles.push(chain.slice(chain.indexOf(i)));
    for (const j of chain) state[j] = 2;
  }
  return cycles;
}
