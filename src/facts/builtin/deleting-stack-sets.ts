import { known, notCollected, type Fact } from '../fact.js';
import { listing, perRun, push } from './impact-listing.js';

export interface DeletingStackSet {
  name: string;
  /** Regions of its instances in the account, sorted. */
  regions: string[];
  callAs: 'SELF' | 'DELEGATED_ADMIN';
}

/**
 * The StackSets CloudFormation removes from an account when it leaves:
 * service-managed, automatic deployment on, RetainStacksOnAccountRemoval
 * false. Instances are listed once per StackSet; this indexes them by
 * account once per run.
 */
const byAccount = perRun((index) => {
  const out = new Map<string, DeletingStackSet[]>();
  for (const s of index.snapshot.stackSets ?? []) {
    const auto = s.autoDeployment;
    if (s.permissionModel !== 'SERVICE_MANAGED' || s.status === 'DELETED') continue;
    if (auto === null || !auto.enabled || auto.retainStacksOnAccountRemoval) continue;
    const regions = new Map<string, Set<string>>();
    for (const i of s.instances) {
      const set = regions.get(i.accountId) ?? new Set<string>();
      set.add(i.region);
      regions.set(i.accountId, set);
    }
    for (const [accountId, set] of regions)
      push(out, accountId, { name: s.name, regions: [...set].sort(), callAs: s.callAs });
  }
  return out;
});

export const deletingStackSets: Fact = {
  name: 'deletingStackSets',
  description:
    '{ items: [ { name, regions, callAs } ], summary }: service-managed StackSets with automatic deployment and RetainStacksOnAccountRemoval false that have an instance in the account (CloudFormation deletes those stacks when it leaves); summary names them with their regions',
  reads: ['stackSets'],
  derive: (ctx) =>
    ctx.snapshot.stackSets === undefined
      ? notCollected(ctx, 'stackSets', 'StackSets')
      : known(
          listing(
            byAccount(ctx.index).get(ctx.account.id) ?? [],
            (s) => `${s.name} (${s.regions.join(', ')})`,
          ),
        ),
};
