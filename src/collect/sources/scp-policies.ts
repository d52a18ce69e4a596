/**
 * SCPs with their documents and targets: each policy described once, and
 * attachments read per policy or per target, whichever needs fewer calls
 * (a path walk reads them per target on the paths). Incomplete data leaves
 * `policies` absent: nothing is evaluated from half of them.
 */
import {
  DescribePolicyCommand,
  OrganizationsClient,
  paginateListPolicies,
  paginateListPoliciesForTarget,
  paginateListTargetsForPolicy,
} from '@aws-sdk/client-organizations';
import type { JsonValue } from '../../json.js';
import type { ScpPolicy } from '../../snapshot/types.js';
import { allPages, outcome, problem, readEach } from '../errors.js';
import type { SourceError } from '../errors.js';
import { PAGE, SCP } from '../walk.js';
import { organizationSource } from './types.js';
import type { Operation, OrganizationContext } from './types.js';

type Targets = Map<string, Set<string>>;

function parseDocument(content: string | undefined): JsonValue {
  if (content === undefined) throw problem('MissingContent', 'policy has no content');
  try {
    return JSON.parse(content) as JsonValue;
  } catch {
    // The evaluator validates documents: an unparseable one stays visible as text.
    return content;
  }
}

function add(targets: Targets, policyId: string, target: string): void {
  let set = targets.get(policyId);
  if (set === undefined) targets.set(policyId, (set = new Set()));
  set.add(target);
}

/** `fn` for every item with the management Organizations client; one SourceError per failed item. */
function readAll<T>(
  ctx: OrganizationContext,
  items: readonly T[],
  source: Operation,
  fn: (client: OrganizationsClient, item: T) => Promise<void>,
  accountOf: (item: T) => string | undefined = () => undefined,
): Promise<SourceError[]> {
  const client = ctx.client(OrganizationsClient);
  return readEach(items, ctx.limit, source, accountOf, (item) => fn(client, item));
}

/** The roots, OUs and accounts a policy (of any type) is attached to, sorted. */
export async function policyTargets(
  client: OrganizationsClient,
  policyId: string,
): Promise<string[]> {
  const targets = await allPages(
    paginateListTargetsForPolicy({ client, pageSize: PAGE }, { PolicyId: policyId }),
    (p) => p.Targets,
  );
  return targets
    .map((t) => t.TargetId)
    .filter((t): t is string => t !== undefined)
    .sort();
}

const perPolicy = (ctx: OrganizationContext, ids: string[], out: Targets) =>
  readAll(ctx, ids, 'organizations:ListTargetsForPolicy', async (client, id) => {
    out.set(id, new Set(await policyTargets(client, id)));
  });

const perTarget = (
  ctx: OrganizationContext,
  targets: string[],
  accountOf: (target: string) => string | undefined,
  out: Targets,
) =>
  readAll(
    ctx,
    targets,
    'organizations:ListPoliciesForTarget',
    async (client, target) => {
      const list = await allPages(
        paginateListPoliciesForTarget(
          { client, pageSize: PAGE },
          { TargetId: target, Filter: SCP },
        ),
        (p) => p.Policies,
      );
      for (const p of list) if (p.Id !== undefined) add(out, p.Id, target);
    },
    (t) => (/^\d{12}$/.test(t) ? t : accountOf(t)),
  );

const describe = (ctx: OrganizationContext, ids: string[], out: Map<string, ScpPolicy>) =>
  readAll(ctx, ids, 'organizations:DescribePolicy', async (client, id) => {
    const p = (await client.send(new DescribePolicyCommand({ PolicyId: id }))).Policy;
    out.set(id, {
      id,
      name: p?.PolicySummary?.Name ?? id,
      awsManaged: p?.PolicySummary?.AwsManaged ?? false,
      document: parseDocument(p?.Content),
      targets: [],
    });
  });

export default organizationSource({
  id: 'organizations:DescribePolicy',
  scope: 'organization',
  vantage: 'management',
  field: 'policies',
  operations: [
    'organizations:ListPolicies',
    'organizations:DescribePolicy',
    'organizations:ListTargetsForPolicy',
    'organizations:ListPoliciesForTarget',
  ],
  async collect(ctx) {
    const client = ctx.client(OrganizationsClient);
    // The policy list needs no tree: it is read while the tree is walked.
    const [structure, listed] = await Promise.all([
      ctx.structure,
      ctx.mode === 'paths'
        ? undefined
        : outcome('organizations:ListPolicies', () =>
            ctx.limit(() =>
              allPages(
                paginateListPolicies({ client, pageSize: PAGE }, { Filter: SCP }),
                (p) => p.Policies,
              ),
            ),
          ),
    ]);
    const targetIds = structure.scpTargets;
    if (listed?.errors !== undefined) return { errors: listed.errors };
    if (targetIds === undefined) return {};
    const targets: Targets = new Map();
    const docs = new Map<string, ScpPolicy>();
    let ids: string[];
    let errors: SourceError[];
    if (listed?.value === undefined) {
      // Paths: the policies are those attached along them.
      errors = await perTarget(ctx, targetIds, structure.accountOf ?? (() => undefined), targets);
      ids = [...targets.keys()];
      errors.push(...(await describe(ctx, ids, docs)));
    } else {
      ids = listed.value.map((p) => p.Id).filter((id): id is string => id !== undefined);
      // Per target costs one call per root/OU/account; per policy at least one per policy.
      const read = await Promise.all([
        describe(ctx, ids, docs),
        targetIds.length < ids.length
          ? perTarget(ctx, targetIds, () => undefined, targets)
          : perPolicy(ctx, ids, targets),
      ]);
      errors = read.flat();
    }
    if (errors.length > 0) return { errors };
    const value = ids
      .map((id) => ({ ...docs.get(id)!, targets: [...(targets.get(id) ?? [])].sort() }))
      .sort((a, b) => a.id.localeCompare(b.id));
    return { value };
  },
});
