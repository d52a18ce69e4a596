import { known, notCollected, unknown, type Fact } from '../fact.js';
import { listing, perRun, push } from './impact-listing.js';

export interface PolicyOnPath {
  id: string;
  name: string;
  type: string;
  /** The root, OU or account id it is attached to. */
  attachedTo: string;
}

interface Attached {
  id: string;
  name: string;
  type: string;
}

/**
 * Customer-managed organization policies by target, once per run. AWS
 * managed ones (RCPFullAWSAccess) allow everything: nothing stops with them.
 * A policy of a type the root no longer has enabled applies nowhere.
 */
const byTarget = perRun((index) => {
  const enabled = index.snapshot.enabledPolicyTypes;
  const out = new Map<string, Attached[]>();
  for (const p of index.snapshot.organizationPolicies ?? []) {
    if (p.awsManaged || p.type === 'SERVICE_CONTROL_POLICY') continue;
    if (enabled !== undefined && !enabled.includes(p.type)) continue;
    for (const t of p.targets) push(out, t, { id: p.id, name: p.name, type: p.type });
  }
  return out;
});

export const orgPoliciesOnPath: Fact = {
  name: 'orgPoliciesOnPath',
  description:
    "{ items: [ { id, name, type, attachedTo } ], summary }: customer-managed organization policies other than SCPs (RCP, tag, backup, AI services opt-out, declarative, ...) attached to the root, an OU on the account's path or the account itself, of a type enabled on the root; they stop applying when it leaves",
  reads: ['organizationPolicies', 'ouTree'],
  derive: (ctx) => {
    if (ctx.snapshot.organizationPolicies === undefined)
      return notCollected(ctx, 'organizationPolicies', 'organization policies');
    const path = ctx.path;
    if (typeof path === 'string') {
      const gap = ctx.gap('ouTree');
      return unknown(`organization policies on the account's path unknown: ${path}`, gap.fix);
    }
    const targets = byTarget(ctx.index);
    const items: PolicyOnPath[] = [...path, ctx.account.id].flatMap((t) =>
      (targets.get(t) ?? []).map((p) => ({ ...p, attachedTo: t })),
    );
    return known(listing(items, (p) => `${p.name} (${p.type}, ${p.id}, on ${p.attachedTo})`));
  },
};
