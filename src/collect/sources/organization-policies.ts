/**
 * Organization policies other than SCPs (RCP, tag, backup, AI opt-out,
 * declarative, ...) with their targets: for each type the root has enabled
 * (ListRoots, read once by caller identification), ListPolicies once and
 * ListTargetsForPolicy per policy — shared, never per account.
 *
 * The source is named after ListRoots because the SCP source owns the
 * ListPolicies / ListTargetsForPolicy operations (errors[].source maps to one
 * source); a failed sub-read keeps its AWS code and names its call in the message.
 */
import { OrganizationsClient, paginateListPolicies } from '@aws-sdk/client-organizations';
import type { PolicyType } from '@aws-sdk/client-organizations';
import type { OrganizationPolicyRecord } from '../../snapshot/types.js';
import { allPages, errorCode, errorMessage, problem, readEach, SourceError } from '../errors.js';
import { PAGE, SCP } from '../walk.js';
import { policyTargets } from './scp-policies.js';
import { organizationSource } from './types.js';

const SOURCE = 'organizations:ListRoots';

/** `fn`, its failure re-thrown with the call it made in the message. */
async function naming<T>(call: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw problem(errorCode(err), `${call}: ${errorMessage(err)}`);
  }
}

export default organizationSource({
  id: SOURCE,
  scope: 'organization',
  vantage: 'management',
  field: 'organizationPolicies',
  operations: [SOURCE],
  async collect(ctx) {
    const types = ctx.org.policyTypes;
    if (types === undefined) {
      const why = problem(
        'IncompleteResult',
        'ListRoots did not list the policy types of the root',
      );
      return { errors: [new SourceError(SOURCE, why)] };
    }
    const client = ctx.client(OrganizationsClient);
    const listed: OrganizationPolicyRecord[] = [];
    const listErrors = await readEach(
      types.filter((t) => t !== SCP),
      ctx.limit,
      SOURCE,
      () => undefined,
      (type) =>
        naming(`organizations:ListPolicies (${type})`, async () => {
          const page = paginateListPolicies(
            { client, pageSize: PAGE },
            { Filter: type as PolicyType },
          );
          for (const p of await allPages(page, (x) => x.Policies)) {
            if (p.Id === undefined) throw problem('IncompleteResult', 'a policy without its id');
            const rec = { id: p.Id, name: p.Name ?? p.Id, type: p.Type ?? type };
            listed.push({ ...rec, awsManaged: p.AwsManaged ?? false, targets: [] });
          }
        }),
    );
    if (listErrors.length > 0) return { errors: listErrors };
    const errors = await readEach(
      listed,
      ctx.limit,
      SOURCE,
      () => undefined,
      (p) =>
        naming(`organizations:ListTargetsForPolicy (${p.id})`, async () => {
          p.targets = await policyTargets(client, p.id);
        }),
    );
    if (errors.length > 0) return { errors };
    return {
      value: listed.sort((a, b) => a.type.localeCompare(b.type) || a.id.localeCompare(b.id)),
    };
  },
});
