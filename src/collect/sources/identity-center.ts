/**
 * IAM Identity Center permission sets and who loses access where they are
 * provisioned (DESIGN §7 identity-center-access): ListInstances, then per
 * permission set DescribePermissionSet and ListAccountsForProvisionedPermissionSet
 * once, and ListAccountAssignments only for the accounts of the run's scope.
 *
 * The instance lives in one region (its home region), and ListInstances
 * answers [] in every other one. The client's region is used (`--region`,
 * else AWS_REGION, else us-east-1). No instance there while trusted access for
 * sso.amazonaws.com is on means the instance is elsewhere: that is recorded
 * as an error (field absent, rule unknown), never as "no Identity Center".
 */
import {
  DescribePermissionSetCommand,
  paginateListAccountAssignments,
  paginateListAccountsForProvisionedPermissionSet,
  paginateListInstances,
  paginateListPermissionSets,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { InstanceMetadata } from '@aws-sdk/client-sso-admin';
import type { IdentityCenterRecord, PermissionSetRecord } from '../../snapshot/types.js';
import { allPages, problem, read, readEach, SourceError } from '../errors.js';
import type { Outcome } from '../errors.js';
import { trustedServicesOf } from './trusted-services.js';
import { organizationSource } from './types.js';
import type { OrganizationContext } from './types.js';

const SSO = 'sso.amazonaws.com';

/** No instance in this region: none at all, or one in another region (trusted access says which). */
async function noInstance(ctx: OrganizationContext): Promise<Outcome<null>> {
  const trusted = await trustedServicesOf(ctx).catch(() => undefined);
  if (trusted !== undefined && !trusted.includes(SSO)) return { value: null };
  const region = await ctx.client(SSOAdminClient).config.region();
  const why =
    trusted === undefined
      ? `no Identity Center instance in ${region}, and trusted access for ${SSO} could not be read`
      : `trusted access for ${SSO} is on but no Identity Center instance is in ${region}: run with --region set to its home region`;
  return {
    errors: [new SourceError('sso-admin:ListInstances', problem('InstanceNotInRegion', why))],
  };
}

/** A permission set's name and the accounts it is provisioned to. */
async function permissionSet(
  ctx: OrganizationContext,
  instanceArn: string,
  arn: string,
): Promise<PermissionSetRecord> {
  const client = ctx.client(SSOAdminClient);
  const input = { InstanceArn: instanceArn, PermissionSetArn: arn };
  const [described, accountIds] = await Promise.all([
    read('sso-admin:DescribePermissionSet', () =>
      ctx.limit(() => client.send(new DescribePermissionSetCommand({ ...input }))),
    ),
    read('sso-admin:ListAccountsForProvisionedPermissionSet', () =>
      ctx.limit(() =>
        allPages(
          paginateListAccountsForProvisionedPermissionSet({ client }, { ...input }),
          (p) => p.AccountIds,
        ),
      ),
    ),
  ]);
  return {
    arn,
    name: described.PermissionSet?.Name ?? arn,
    accounts: [...new Set(accountIds)].sort().map((accountId) => ({ accountId })),
  };
}

/** Who is assigned `set` in each in-scope account; an account that fails keeps no assignments. */
function assignments(
  ctx: OrganizationContext,
  instanceArn: string,
  sets: PermissionSetRecord[],
  scope: ReadonlySet<string>,
): Promise<SourceError[]> {
  const client = ctx.client(SSOAdminClient);
  const pairs = sets.flatMap((set) =>
    set.accounts.filter((a) => scope.has(a.accountId)).map((account) => ({ set, account })),
  );
  return readEach(
    pairs,
    ctx.limit,
    'sso-admin:ListAccountAssignments',
    (p) => p.account.accountId,
    async ({ set, account }) => {
      const input = {
        InstanceArn: instanceArn,
        AccountId: account.accountId,
        PermissionSetArn: set.arn,
      };
      const list = await allPages(
        paginateListAccountAssignments({ client }, input),
        (p) => p.AccountAssignments,
      );
      account.assignments = list
        .map((a) => ({ principalType: a.PrincipalType ?? '', principalId: a.PrincipalId ?? '' }))
        .filter((a) => a.principalType !== '' && a.principalId !== '');
    },
  );
}

export default organizationSource({
  id: 'sso-admin:ListInstances',
  scope: 'organization',
  vantage: 'management',
  field: 'identityCenter',
  operations: [
    'sso-admin:ListInstances',
    'sso-admin:ListPermissionSets',
    'sso-admin:DescribePermissionSet',
    'sso-admin:ListAccountsForProvisionedPermissionSet',
    'sso-admin:ListAccountAssignments',
  ],
  async collect(ctx) {
    const client = ctx.client(SSOAdminClient);
    const instances: InstanceMetadata[] = await read('sso-admin:ListInstances', () =>
      ctx.limit(() => allPages(paginateListInstances({ client }, {}), (p) => p.Instances)),
    );
    // The organization instance is the one the management account (or its delegated admin) owns.
    const instance = instances.find((i) => i.InstanceArn !== undefined);
    if (instance?.InstanceArn === undefined) return noInstance(ctx);
    const instanceArn = instance.InstanceArn;
    const arns = await read('sso-admin:ListPermissionSets', () =>
      ctx.limit(() =>
        allPages(
          paginateListPermissionSets({ client }, { InstanceArn: instanceArn }),
          (p) => p.PermissionSets,
        ),
      ),
    );
    const sets: PermissionSetRecord[] = [];
    const errors = await readEach(
      arns,
      (fn) => fn(),
      'sso-admin:DescribePermissionSet',
      () => undefined,
      async (arn) => void sets.push(await permissionSet(ctx, instanceArn, arn)),
    );
    if (errors.length > 0) return { errors };
    const scope = new Set((await ctx.structure).accounts ?? []);
    const partial = await assignments(ctx, instanceArn, sets, scope);
    const value: IdentityCenterRecord = {
      instanceArn,
      ...(instance.IdentityStoreId === undefined
        ? {}
        : { identityStoreId: instance.IdentityStoreId }),
      ...(instance.OwnerAccountId === undefined ? {} : { ownerAccountId: instance.OwnerAccountId }),
      permissionSets: sets.sort(
        (a, b) => a.name.localeCompare(b.name) || a.arn.localeCompare(b.arn),
      ),
    };
    return { value, errors: partial };
  },
});
