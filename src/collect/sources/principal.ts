/**
 * The principal that will call LeaveOrganization (P4): its ARN with path,
 * tags, identity policies (a user's groups' too) and permissions boundary,
 * read through the member's IAM. The ARN and tags are kept when a policy
 * read fails: then only the policies (or the boundary) stay absent.
 */
import {
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  paginateListGroupsForUser,
} from '@aws-sdk/client-iam';
import type { Tag as IamTag } from '@aws-sdk/client-iam';
import { arnInAccount, parseIamPrincipalArn } from '../../arn.js';
import type { PrincipalInfo } from '../../snapshot/types.js';
import { allPages, problem, read, SourceError } from '../errors.js';
import type { Outcome } from '../errors.js';
import { GROUP, managedPolicyDocument, policiesOf, ROLE, USER } from './iam-policies.js';
import type { Named } from './iam-policies.js';
import { PRINCIPAL_OPERATIONS } from './ids.js';
import { accountSource } from './types.js';
import type { AccountContext } from './types.js';

/** `arn:aws:iam::ACCOUNT:role/path/Name` -> { type: 'role', name: 'Name' }. */
export function parsePrincipalArn(
  arn: string,
): { type: 'role' | 'user'; name: string } | undefined {
  const p = parseIamPrincipalArn(arn);
  return p === undefined || p.kind === 'root' ? undefined : { type: p.kind, name: p.name };
}

function tagMap(tags: IamTag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

type Principal = { type: 'role' | 'user'; name: string; arn: string };
type Head = { principal: PrincipalInfo; boundaryArn: string | undefined };

/** The role or user itself: without it its tags and boundary are unknown, not none. */
async function head(iam: IAMClient, p: Principal): Promise<Head> {
  const entity =
    p.type === 'role'
      ? (await read('iam:GetRole', () => iam.send(new GetRoleCommand({ RoleName: p.name })))).Role
      : (await read('iam:GetUser', () => iam.send(new GetUserCommand({ UserName: p.name })))).User;
  if (entity === undefined) {
    throw new SourceError(
      p.type === 'role' ? 'iam:GetRole' : 'iam:GetUser',
      problem('IncompleteResult', `${p.arn}: IAM answered without the ${p.type}`),
    );
  }
  return {
    principal: { arn: entity.Arn ?? p.arn, tags: tagMap(entity.Tags) },
    boundaryArn: entity.PermissionsBoundary?.PermissionsBoundaryArn,
  };
}

/** A role's own policies; a user's own, then each of its groups' in order. */
async function identityPolicies(
  ctx: AccountContext,
  iam: IAMClient,
  p: Principal,
): Promise<Named[]> {
  if (p.type === 'role') return policiesOf(ctx, iam, ROLE, p.name, 'inline:');
  const groups = async (): Promise<Named[]> => {
    const names = await read('iam:ListGroupsForUser', () =>
      allPages(paginateListGroupsForUser({ client: iam }, { UserName: p.name }), (page) =>
        page.Groups?.map((g) => g.GroupName ?? ''),
      ),
    );
    return (
      await ctx.each(names, (g) => policiesOf(ctx, iam, GROUP, g, `group:${g}:inline:`))
    ).flat();
  };
  const parts = [() => policiesOf(ctx, iam, USER, p.name, 'inline:'), groups];
  return (await ctx.each(parts, (read) => read())).flat();
}

type Settled<T> = { ok: true; value: T } | { ok: false; err: unknown };
const settle = <T>(p: Promise<T>): Promise<Settled<T>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, err }),
  );

async function collectPrincipal(ctx: AccountContext): Promise<Outcome<PrincipalInfo>> {
  const session = ctx.session;
  const arn =
    ctx.principalArn !== undefined
      ? arnInAccount(ctx.principalArn, ctx.accountId)
      : session.kind === 'member'
        ? session.roleArn
        : '';
  const parsed = parsePrincipalArn(arn);
  if (parsed === undefined) {
    const why = problem(
      'UnsupportedPrincipal',
      `${arn}: only IAM role and user ARNs can be evaluated`,
    );
    return { errors: [new SourceError('iam:GetRole', why)] };
  }
  const p: Principal = { ...parsed, arn };
  const iam = ctx.client(IAMClient);
  // With parallel reads the policies are listed beside the entity (short call
  // chains); one at a time, a missing principal stops before its policies.
  let first: Settled<Head>;
  let policies: Settled<Named[]> | undefined;
  if (ctx.parallel) {
    [first, policies] = await Promise.all([
      settle(head(iam, p)),
      settle(identityPolicies(ctx, iam, p)),
    ]);
  } else {
    first = await settle(head(iam, p));
    if (first.ok) policies = await settle(identityPolicies(ctx, iam, p));
  }
  // The policy reads fail for the same reason: one error says it.
  if (!first.ok || policies === undefined)
    return { errors: [SourceError.of(first.ok ? undefined : first.err, 'iam:GetRole')] };
  const { principal, boundaryArn } = first.value;
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
      principal.permissionsBoundary = await managedPolicyDocument(ctx, iam, boundaryArn);
    }
  } catch (err) {
    errors.push(SourceError.of(err, 'iam:GetPolicy'));
  }
  return { value: principal, errors };
}

export default accountSource({
  id: 'iam:GetRole',
  scope: 'account',
  vantage: 'member',
  field: 'principal',
  // Every IAM read of the principal, its policies and its boundary.
  operations: PRINCIPAL_OPERATIONS,
  collect: collectPrincipal,
});
