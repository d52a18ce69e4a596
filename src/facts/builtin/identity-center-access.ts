import { known, notCollected, type Fact } from '../fact.js';
import { listing, perRun, push } from './impact-listing.js';

export interface PermissionSetAccess {
  permissionSet: string;
  arn: string;
  /** `GROUP:<id>`, `USER:<id>`; null when the account's assignments could not be read. */
  principals: string[] | null;
}

const byAccount = perRun((index) => {
  const out = new Map<string, PermissionSetAccess[]>();
  for (const ps of index.snapshot.identityCenter?.permissionSets ?? []) {
    for (const a of ps.accounts) {
      push(out, a.accountId, {
        permissionSet: ps.name,
        arn: ps.arn,
        principals:
          a.assignments === undefined
            ? null
            : a.assignments.map((x) => `${x.principalType}:${x.principalId}`),
      });
    }
  }
  return out;
});

export const identityCenterAccess: Fact = {
  name: 'identityCenterAccess',
  description:
    '{ items: [ { permissionSet, arn, principals } ], summary }: IAM Identity Center permission sets provisioned to the account with the users and groups assigned (principals `GROUP:<id>`/`USER:<id>`, null when the assignments could not be read); empty when there is no instance',
  reads: ['identityCenter'],
  derive: (ctx) => {
    const ic = ctx.snapshot.identityCenter;
    if (ic === undefined) return notCollected(ctx, 'identityCenter', 'IAM Identity Center');
    return known(
      listing(
        ic === null ? [] : (byAccount(ctx.index).get(ctx.account.id) ?? []),
        (p) =>
          `${p.permissionSet} to ${p.principals === null ? '(assignments not read)' : p.principals.length === 0 ? 'nobody' : p.principals.join(' ')}`,
      ),
    );
  },
};
