/**
 * The principal that will call LeaveOrganization (P4): its ARN with path,
 * tags, identity policies (a user's groups' too) and permissions boundary,
 * read through the member's IAM. The ARN and tags are kept when a policy
 * read fails: then only the policies (or the boundary) stay absent.
 *
 * First through iam:GetAccountAuthorizationDetails (principal-details.ts, one
 * call for most accounts); when that is refused (or does not hold the
 * principal), through the per-policy calls below. The refusal is recorded
 * only when the per-policy path fails too: a fallback that succeeds leaves
 * no rule unknown, one that fails leaves its part absent with both reasons.
 */
import {
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  paginateListGroupsForUser,
} from '@aws-sdk/client-iam';
import { arnInAccount, parseIamPrincipalArn } from '../../arn.js';
import type { PrincipalInfo } from '../../snapshot/types.js';
import { allPages, problem, read, SourceError } from '../errors.js';
import type { Outcome } from '../errors.js';
import { GROUP, managedPolicyDocument, policiesOf, ROLE, USER } from './iam-policies.js';
import type { Named } from './iam-policies.js';
import { assemble, principalFromDetails, settle, tagMap } from './principal-details.js';
import type { Head, Principal, Settled } from './principal-details.js';
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

/** The per-policy path: the entity, its policies (a user's groups' too), its boundary. */
async function perPolicyPrincipal(
  ctx: AccountContext,
  iam: IAMClient,
  p: Principal,
): Promise<Outcome<PrincipalInfo>> {
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
  return assemble(first.value, policies, (arn) => managedPolicyDocument(ctx, iam, arn));
}

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
  const fast = await settle(principalFromDetails(ctx, iam, p));
  if (fast.ok && fast.value !== undefined) return fast.value;
  const slow = await perPolicyPrincipal(ctx, iam, p);
  if (fast.ok || (slow.errors ?? []).length === 0) return slow;
  // Both paths failed: the refusal of the fast one is part of why.
  return {
    ...slow,
    errors: [
      ...(slow.errors ?? []),
      SourceError.of(fast.err, 'iam:GetAccountAuthorizationDetails'),
    ],
  };
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
