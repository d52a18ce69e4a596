/**
 * RAM shares the account owns or receives (DESIGN §7 ram-shares-retained),
 * read as the member: GetResourceShares for SELF and OTHER-ACCOUNTS, and for
 * its own shares GetResourceShareAssociations (PRINCIPAL) to see whether one
 * reaches the organization or an OU.
 *
 * AWS shows principal associations only to a share's owner. A received share
 * counts as reaching the account through the organization unless it allows
 * external principals: a share that does not can only reach accounts of its
 * owner's organization, so it stops when the account leaves.
 * RAM is regional: the member client's region (`--region`, else AWS_REGION, else us-east-1).
 */
import {
  paginateGetResourceShareAssociations,
  paginateGetResourceShares,
  RAMClient,
} from '@aws-sdk/client-ram';
import type { ResourceShare, ResourceShareAssociation } from '@aws-sdk/client-ram';
import type { RamShareRecord } from '../../snapshot/types.js';
import { allPages, read } from '../errors.js';
import { accountSource } from './types.js';
import type { AccountContext } from './types.js';

type Owner = RamShareRecord['owner'];
const OWNERS: readonly Owner[] = ['SELF', 'OTHER-ACCOUNTS'];
// The largest list of share ARNs GetResourceShareAssociations takes at once.
const ARNS_PER_CALL = 100;
const ORG_PRINCIPAL = /^arn:[\w-]+:organizations::\d{12}:(organization|ou)\//;

function shares(ctx: AccountContext, owner: Owner): Promise<ResourceShare[]> {
  const client = ctx.client(RAMClient);
  return read('ram:GetResourceShares', () =>
    allPages(
      paginateGetResourceShares({ client }, { resourceOwner: owner }),
      (p) => p.resourceShares,
    ),
  );
}

/** The ARNs of own shares associated with the organization or one of its OUs. */
async function orgShared(ctx: AccountContext, own: ResourceShare[]): Promise<Set<string>> {
  const client = ctx.client(RAMClient);
  const arns = own.map((s) => s.resourceShareArn).filter((a): a is string => a !== undefined);
  const chunks: string[][] = [];
  for (let i = 0; i < arns.length; i += ARNS_PER_CALL)
    chunks.push(arns.slice(i, i + ARNS_PER_CALL));
  const lists = await ctx.each(chunks, (chunk) =>
    read('ram:GetResourceShareAssociations', () =>
      allPages(
        paginateGetResourceShareAssociations(
          { client },
          { associationType: 'PRINCIPAL', resourceShareArns: chunk },
        ),
        (p) => p.resourceShareAssociations,
      ),
    ),
  );
  const live = (a: ResourceShareAssociation) =>
    a.status !== 'DISASSOCIATED' &&
    a.status !== 'FAILED' &&
    ORG_PRINCIPAL.test(a.associatedEntity ?? '');
  return new Set(
    lists
      .flat()
      .filter(live)
      .map((a) => a.resourceShareArn ?? ''),
  );
}

function record(s: ResourceShare, owner: Owner, viaOrganization: boolean): RamShareRecord {
  const retain = s.resourceShareConfiguration?.retainSharingOnAccountLeaveOrganization;
  return {
    arn: s.resourceShareArn!,
    name: s.name ?? '',
    owner,
    ...(s.owningAccountId === undefined ? {} : { ownerAccountId: s.owningAccountId }),
    ...(s.status === undefined ? {} : { status: s.status }),
    viaOrganization,
    ...(retain === undefined ? {} : { retainSharingOnAccountLeaveOrganization: retain }),
  };
}

export default accountSource({
  id: 'ram:GetResourceShares',
  scope: 'account',
  vantage: 'member',
  field: 'ramShares',
  operations: ['ram:GetResourceShares', 'ram:GetResourceShareAssociations'],
  async collect(ctx) {
    const [own, received] = (await ctx.each(OWNERS, (o) => shares(ctx, o))).map((list) =>
      list.filter((s) => s.resourceShareArn !== undefined && s.status !== 'DELETED'),
    ) as [ResourceShare[], ResourceShare[]];
    const viaOrg = own.length === 0 ? new Set<string>() : await orgShared(ctx, own);
    const value = [
      ...own.map((s) => record(s, 'SELF', viaOrg.has(s.resourceShareArn!))),
      ...received.map((s) => record(s, 'OTHER-ACCOUNTS', s.allowExternalPrincipals !== true)),
    ].sort((a, b) => a.owner.localeCompare(b.owner) || a.arn.localeCompare(b.arn));
    return { value };
  },
});
