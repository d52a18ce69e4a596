import { known, notCollected, type Fact } from '../fact.js';
import { listing } from './impact-listing.js';

export interface RamShareAtRisk {
  name: string;
  arn: string;
  owner: 'SELF' | 'OTHER-ACCOUNTS';
  ownerAccountId?: string;
}

const GONE = new Set(['DELETED', 'FAILED']);

export const ramSharesAtRisk: Fact = {
  name: 'ramSharesAtRisk',
  description:
    '{ items: [ { name, arn, owner, ownerAccountId } ], summary }: RAM shares the account owns (SELF) or receives (OTHER-ACCOUNTS) through the organization or an OU, not deleted, without retainSharingOnAccountLeaveOrganization true (not reported counts as not retained)',
  reads: ['ramShares'],
  derive: (ctx) => {
    const shares = ctx.account.ramShares;
    if (shares === undefined) return notCollected(ctx, 'ramShares', 'RAM shares');
    const items: RamShareAtRisk[] = shares
      .filter(
        (s) =>
          s.viaOrganization &&
          s.retainSharingOnAccountLeaveOrganization !== true &&
          !GONE.has(s.status ?? ''),
      )
      .map((s) => ({
        name: s.name,
        arn: s.arn,
        owner: s.owner,
        ...(s.ownerAccountId !== undefined && { ownerAccountId: s.ownerAccountId }),
      }));
    return known(
      listing(items, (s) =>
        s.owner === 'SELF'
          ? `${s.name} (shared by this account)`
          : `${s.name} (shared by ${s.ownerAccountId ?? 'another account'})`,
      ),
    );
  },
};
