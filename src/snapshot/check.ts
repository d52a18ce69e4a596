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
import type { AccountRecord, Snapshot } from './types.js';

export interface SnapshotCheck {
  issues: Issue[];
  warnings: Issue[];
}

/** What every check of one snapshot shares. */
interface Checker {
  snapshot: Snapshot;
  file: string | undefined;
  issues: Issue[];
  issue(path: string, message: string): void;
  warn(path: string, message: string): void;
  /** `collector.scope: 'accounts'`: targets outside the listed paths are expected. */
  partial: boolean;
  accountIndex: Map<string, number>;
  ouIndex: Map<string, number>;
  /** The tree was collected (organizationalUnits present; the schema then requires rootId). */
  treeKnown: boolean;
}

function isKnownParent(c: Checker, id: string): boolean {
  const { rootId } = c.snapshot;
  return id.startsWith('r-')
    ? rootId === undefined || id === rootId
    : !c.treeKnown || c.ouIndex.has(id);
}

function parentProblem(c: Checker, id: string): string {
  return id.startsWith('r-')
    ? `parent ${id} is not the organization's root ${c.snapshot.rootId ?? ''}`.trimEnd()
    : `parent ${id} names no OU in the snapshot`;
}

function checkTree(c: Checker): void {
  const ous = c.snapshot.organizationalUnits;
  if (ous === undefined) return;
  ous.forEach((ou, i) => {
    if (!isKnownParent(c, ou.parentId))
      c.issue(`/organizationalUnits/${i}/parentId`, parentProblem(c, ou.parentId));
  });
  for (const cycle of findCycles(ous)) {
    const path = cycle.map((i) => ous[i]?.id ?? '?');
    c.issue(
      `/organizationalUnits/${cycle[0] ?? 0}/parentId`,
      `cycle in the OU tree: ${[...path, path[0]].join(' -> ')} never reaches the root`,
    );
  }
}

/** An account ARN names its management account, organization and account id. */
function checkAccountArn(c: Checker, account: AccountRecord, at: string): void {
  if (account.arn === undefined) return;
  const orgId = c.snapshot.organization?.id;
  const managementId = c.snapshot.organization?.managementAccountId;
  const [, , , , arnManagement, rest] = account.arn.split(':');
  const [, arnOrg, arnAccount] = (rest ?? '').split('/');
  if (arnAccount !== account.id) {
    c.issue(`${at}/arn`, `ARN names account ${arnAccount ?? '?'}, not ${account.id}`);
  } else if (orgId !== undefined && arnOrg !== orgId) {
    c.issue(`${at}/arn`, `ARN names organization ${arnOrg ?? '?'}, not ${orgId}`);
  } else if (managementId !== undefined && arnManagement !== managementId) {
    c.issue(
      `${at}/arn`,
      `ARN names management account ${arnManagement ?? '?'}, not ${managementId}`,
    );
  }
}

function checkPrincipal(c: Checker, account: AccountRecord, at: string): void {
  const principal = account.principal;
  if (principal === undefined) return;
  const owner = parseIamPrincipalArn(principal.arn)?.accountId;
  if (owner !== undefined && owner !== account.id) {
    // aws:PrincipalAccount and the member-side IAM data would describe another account.
    c.issue(`${at}/principal/arn`, `principal is in account ${owner}, not ${account.id}`);
  }
  if (principal.identityPolicyNames !== undefined) {
    const names = principal.identityPolicyNames.length;
    const docs = principal.identityPolicies?.length;
    if (docs !== names) {
      c.issue(
        `${at}/principal/identityPolicyNames`,
        `${names} names for ${docs ?? 'no'} identityPolicies: the lists must be parallel`,
      );
    }
  }
}

function checkAccounts(c: Checker): void {
  c.snapshot.accounts.forEach((account, i) => {
    const at = `/accounts/${i}`;
    if (account.parentId !== undefined && !isKnownParent(c, account.parentId))
      c.issue(`${at}/parentId`, parentProblem(c, account.parentId));
    if (account.joinedTimestamp !== undefined) {
      const bad = dateIssue(account.joinedTimestamp, `${at}/joinedTimestamp`, c.file);
      if (bad !== undefined) c.issues.push(bad);
    }
    checkAccountArn(c, account, at);
    checkPrincipal(c, account, at);
  });
}

function checkPolicyTargets(c: Checker): void {
  const { rootId } = c.snapshot;
  c.snapshot.policies?.forEach((policy, i) => {
    policy.targets.forEach((target, j) => {
      const at = `/policies/${i}/targets/${j}`;
      const label = `policy ${policy.id} (${policy.name})`;
      if (target.startsWith('r-')) {
        if (rootId !== undefined && target !== rootId)
          c.issue(at, `${label} is attached to ${target}, which is not the root ${rootId}`);
      } else if (c.partial) {
        // See the module comment: unlisted targets are expected in a partial snapshot.
      } else if (target.startsWith('ou-')) {
        if (c.treeKnown && !c.ouIndex.has(target))
          c.issue(at, `${label} is attached to OU ${target}, which is not in the snapshot`);
      } else if (!c.accountIndex.has(target)) {
        c.issue(at, `${label} is attached to account ${target}, which is not in the snapshot`);
      }
    });
  });
}

function checkOrganization(c: Checker): void {
  const organization = c.snapshot.organization;
  if (organization === undefined) return;
  if (organization.arn !== undefined) {
    const [, , , , arnManagement, rest] = organization.arn.split(':');
    const arnOrg = (rest ?? '').split('/')[1];
    if (arnOrg !== organization.id) {
      c.issue(
        '/organization/arn',
        `ARN names organization ${arnOrg ?? '?'}, not ${organization.id}`,
      );
    } else if (arnManagement !== organization.managementAccountId) {
      c.issue(
        '/organization/arn',
        `ARN names management account ${arnManagement ?? '?'}, not ${organization.managementAccountId}`,
      );
    }
  }
  if (organization.featureSet === 'CONSOLIDATED_BILLING' && organization.scpEnabled) {
    c.issue(
      '/organization/scpEnabled',
      'SCPs cannot be enabled in an organization whose featureSet is CONSOLIDATED_BILLING',
    );
  }
  if (!c.partial && !c.accountIndex.has(organization.managementAccountId)) {
    c.warn(
      '/organization/managementAccountId',
      `management account ${organization.managementAccountId} is not among the accounts`,
    );
  }
}

function checkDelegatedAdmins(c: Checker): void {
  const managementId = c.snapshot.organization?.managementAccountId;
  c.snapshot.delegatedAdministrators?.forEach((admin, i) => {
    const at = `/delegatedAdministrators/${i}/accountId`;
    if (admin.accountId === managementId) {
      c.warn(at, `the management account ${admin.accountId} cannot be a delegated administrator`);
    } else if (!c.partial && !c.accountIndex.has(admin.accountId)) {
      c.warn(at, `delegated administrator ${admin.accountId} is not among the accounts`);
    }
  });
}

/**
 * Checks what the schema cannot: unique ids, a tree whose parents exist and
 * that has no cycle, policy targets that exist, parseable dates, consistent
 * management account and ARNs. Assumes `snapshot` passed the schema.
 */
export function checkSnapshot(snapshot: Snapshot, file?: string): SnapshotCheck {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const issue = (path: string, message: string): void => void issues.push({ file, path, message });
  const date = dateIssue(snapshot.collectedAt, '/collectedAt', file);
  if (date !== undefined) issues.push(date);
  const c: Checker = {
    snapshot,
    file,
    issues,
    issue,
    warn: (path, message) => void warnings.push({ file, path, message }),
    partial: snapshot.collector?.scope === 'accounts',
    accountIndex: uniqueIds(snapshot.accounts, 'accounts', 'account', issue),
    ouIndex: uniqueIds(snapshot.organizationalUnits ?? [], 'organizationalUnits', 'OU', issue),
    treeKnown: snapshot.organizationalUnits !== undefined,
  };
  uniqueIds(snapshot.policies ?? [], 'policies', 'policy', issue);
  checkTree(c);
  checkAccounts(c);
  checkPolicyTargets(c);
  checkOrganization(c);
  checkDelegatedAdmins(c);
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
