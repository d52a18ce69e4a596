/**
 * The principal's fast path: iam:GetAccountAuthorizationDetails, filtered to
 * roles (or users and groups) and customer managed policies, paginated, read
 * only until the principal and the documents it needs are all seen. One call
 * for most accounts instead of GetRole, ListRolePolicies, GetRolePolicy per
 * inline policy, ListAttachedRolePolicies, GetPolicy and GetPolicyVersion.
 *
 * It answers exactly what the per-policy path (principal.ts) answers for the
 * same account: the same ARN, tags, policies in the same order under the same
 * names, the same boundary. AWS managed policies are not in the answer: their
 * documents come from GetPolicy/GetPolicyVersion, once per run, as before.
 */
import { paginateGetAccountAuthorizationDetails } from '@aws-sdk/client-iam';
import type {
  AttachedPolicy,
  EntityType,
  GetAccountAuthorizationDetailsCommandOutput as Page,
  GroupDetail,
  IAMClient,
  PolicyDetail,
  Tag as IamTag,
} from '@aws-sdk/client-iam';
import type { JsonValue } from '../../json.js';
import type { PrincipalInfo } from '../../snapshot/types.js';
import { eachPage, read, SourceError } from '../errors.js';
import type { Outcome } from '../errors.js';
import { managedPolicyDocument, parsePolicyDocument } from './iam-policies.js';
import type { Named } from './iam-policies.js';
import type { AccountContext } from './types.js';

/** The principal as its ARN names it. */
export type Principal = { type: 'role' | 'user'; name: string; arn: string };
/** The role or user itself, and the ARN of its boundary (absent: none). */
export type Head = { principal: PrincipalInfo; boundaryArn: string | undefined };
export type Settled<T> = { ok: true; value: T } | { ok: false; err: unknown };

export const settle = <T>(p: Promise<T>): Promise<Settled<T>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, err }),
  );

export function tagMap(tags: IamTag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/**
 * The snapshot's principal from its head, its policies and its boundary: the
 * one assembly both paths share. A failed part stays absent with its error.
 */
export async function assemble(
  head: Head,
  policies: Settled<Named[]>,
  boundary: (arn: string) => Promise<JsonValue>,
): Promise<Outcome<PrincipalInfo>> {
  const { principal, boundaryArn } = head;
  const errors: SourceError[] = [];
  if (policies.ok) {
    principal.identityPolicies = policies.value.map((x) => x.doc);
    principal.identityPolicyNames = policies.value.map((x) => x.name);
  } else {
    errors.push(SourceError.of(policies.err, 'iam:ListRolePolicies'));
  }
  try {
    if (boundaryArn === undefined) {
      principal.permissionsBoundary = null;
    } else {
      principal.permissionsBoundaryArn = boundaryArn;
      principal.permissionsBoundary = await boundary(boundaryArn);
    }
  } catch (err) {
    errors.push(SourceError.of(err, 'iam:GetPolicy'));
  }
  return { value: principal, errors };
}

/** A role or user as GetAccountAuthorizationDetails shows it. */
interface EntityDetail {
  Arn?: string | undefined;
  Tags?: IamTag[] | undefined;
  AttachedManagedPolicies?: AttachedPolicy[] | undefined;
  PermissionsBoundary?: { PermissionsBoundaryArn?: string | undefined } | undefined;
}

/** What the pages read so far hold. */
interface Seen {
  entity?: { detail: EntityDetail; inline: PolicyDetail[]; groups: string[] };
  groups: Map<string, GroupDetail>;
  /** Default-version documents of customer managed policies, by ARN. */
  documents: Map<string, string>;
}

const FILTER: Record<Principal['type'], EntityType[]> = {
  role: ['Role', 'LocalManagedPolicy'],
  user: ['User', 'Group', 'LocalManagedPolicy'],
};

const isAwsManaged = (arn: string): boolean =>
  arn.startsWith('arn:') && arn.split(':')[4] === 'aws';

/** The customer managed documents the principal needs (its own, its groups', its boundary). */
function needed(seen: Seen): string[] {
  const e = seen.entity;
  if (e === undefined) return [];
  const attached = [e.detail, ...e.groups.map((g) => seen.groups.get(g) ?? {})].flatMap(
    (d) => d.AttachedManagedPolicies?.map((a) => a.PolicyArn ?? '') ?? [],
  );
  const boundary = e.detail.PermissionsBoundary?.PermissionsBoundaryArn;
  return [...attached, ...(boundary === undefined ? [] : [boundary])].filter(
    (arn) => !isAwsManaged(arn),
  );
}

/** Everything the principal needs has been seen: no further page is read. */
function complete(seen: Seen): boolean {
  const e = seen.entity;
  if (e === undefined || e.groups.some((g) => !seen.groups.has(g))) return false;
  return needed(seen).every((arn) => seen.documents.has(arn));
}

function take(seen: Seen, page: Page | undefined, p: Principal): void {
  // An empty answer holds nothing: the per-policy path decides.
  if (page === undefined) return;
  const role = page.RoleDetailList?.find((r) => r.RoleName === p.name);
  if (p.type === 'role' && role !== undefined)
    seen.entity = { detail: role, inline: role.RolePolicyList ?? [], groups: [] };
  const user = page.UserDetailList?.find((u) => u.UserName === p.name);
  if (p.type === 'user' && user !== undefined)
    seen.entity = { detail: user, inline: user.UserPolicyList ?? [], groups: user.GroupList ?? [] };
  for (const g of page.GroupDetailList ?? [])
    if (g.GroupName !== undefined) seen.groups.set(g.GroupName, g);
  for (const policy of page.Policies ?? []) {
    const doc = policy.PolicyVersionList?.find((v) => v.IsDefaultVersion === true)?.Document;
    if (policy.Arn !== undefined && doc !== undefined) seen.documents.set(policy.Arn, doc);
  }
}

/** The pages up to the one that completes the principal (all of them when it is not there). */
async function scan(iam: IAMClient, p: Principal): Promise<Seen> {
  const seen: Seen = { groups: new Map(), documents: new Map() };
  await read('iam:GetAccountAuthorizationDetails', () =>
    eachPage(
      paginateGetAccountAuthorizationDetails(
        { client: iam, pageSize: 1000 },
        { Filter: FILTER[p.type] },
      ),
      (page) => {
        take(seen, page, p);
        return complete(seen);
      },
    ),
  );
  return seen;
}

/**
 * The principal through GetAccountAuthorizationDetails; undefined when the
 * answer does not hold it (or one of its groups): the per-policy path then
 * decides, so a missing role is reported exactly as GetRole reports it.
 * Throws (a SourceError of the operation) when the read itself fails.
 */
export async function principalFromDetails(
  ctx: AccountContext,
  iam: IAMClient,
  p: Principal,
): Promise<Outcome<PrincipalInfo> | undefined> {
  const seen = await scan(iam, p);
  const e = seen.entity;
  if (e === undefined || e.groups.some((g) => !seen.groups.has(g))) return undefined;
  const doc = async (arn: string): Promise<JsonValue> => {
    const local = seen.documents.get(arn);
    return local === undefined ? managedPolicyDocument(ctx, iam, arn) : parsePolicyDocument(local);
  };
  // Inline documents are in the answer; attached ones read as the per-policy path reads them.
  const own = async (
    inline: PolicyDetail[],
    attached: AttachedPolicy[] | undefined,
    prefix: string,
  ): Promise<Named[]> => [
    ...inline.map((i) => ({
      name: `${prefix}${i.PolicyName ?? ''}`,
      doc: parsePolicyDocument(i.PolicyDocument),
    })),
    ...(await ctx.each(attached ?? [], async (a) => ({
      name: a.PolicyArn ?? '',
      doc: await doc(a.PolicyArn ?? ''),
    }))),
  ];
  const policies = async (): Promise<Named[]> => {
    const groups = e.groups.map((g) => seen.groups.get(g)!);
    const parts = [
      () => own(e.inline, e.detail.AttachedManagedPolicies, 'inline:'),
      ...groups.map(
        (g) => () =>
          own(g.GroupPolicyList ?? [], g.AttachedManagedPolicies, `group:${g.GroupName}:inline:`),
      ),
    ];
    return (await ctx.each(parts, (part) => part())).flat();
  };
  const head: Head = {
    principal: { arn: e.detail.Arn ?? p.arn, tags: tagMap(e.detail.Tags) },
    boundaryArn: e.detail.PermissionsBoundary?.PermissionsBoundaryArn,
  };
  return assemble(head, await settle(policies()), doc);
}
