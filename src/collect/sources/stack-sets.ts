/**
 * Service-managed CloudFormation StackSets and their instances (DESIGN §7
 * stacksets-retain-stacks): ListStackSets once, then DescribeStackSet
 * (AutoDeployment) and ListStackInstances once per StackSet — never per
 * account. Read as the management account (CallAs SELF); when that is denied,
 * or the caller is not the management account, as a CloudFormation delegated
 * administrator (CallAs DELEGATED_ADMIN), and each record says which.
 *
 * StackSets live in one region: the client's (`--region`, else AWS_REGION,
 * else us-east-1). StackSets administered from another region are not seen.
 */
import {
  CloudFormationClient,
  DescribeStackSetCommand,
  paginateListStackInstances,
  paginateListStackSets,
} from '@aws-sdk/client-cloudformation';
import type { StackSetSummary } from '@aws-sdk/client-cloudformation';
import type { StackSetRecord } from '../../snapshot/types.js';
import { allPages, errorCode, problem, read, readEach, SourceError } from '../errors.js';
import { organizationSource } from './types.js';
import type { OrganizationContext } from './types.js';

type CallAs = StackSetRecord['callAs'];

const denied = (err: unknown): boolean => /AccessDenied|UnauthorizedOperation/.test(errorCode(err));

function listStackSets(ctx: OrganizationContext, callAs: CallAs): Promise<StackSetSummary[]> {
  const client = ctx.client(CloudFormationClient);
  return read('cloudformation:ListStackSets', () =>
    ctx.limit(() =>
      allPages(
        paginateListStackSets({ client }, { Status: 'ACTIVE', CallAs: callAs }),
        (p) => p.Summaries,
      ),
    ),
  );
}

/** The StackSets and the CallAs that read them; SELF denied falls back to DELEGATED_ADMIN. */
async function listed(
  ctx: OrganizationContext,
): Promise<{ callAs: CallAs; summaries: StackSetSummary[] }> {
  const { callerAccountId, organization } = ctx.org;
  if (callerAccountId !== organization.managementAccountId)
    return { callAs: 'DELEGATED_ADMIN', summaries: await listStackSets(ctx, 'DELEGATED_ADMIN') };
  try {
    return { callAs: 'SELF', summaries: await listStackSets(ctx, 'SELF') };
  } catch (self) {
    if (!denied((self as SourceError).cause)) throw self;
    try {
      return { callAs: 'DELEGATED_ADMIN', summaries: await listStackSets(ctx, 'DELEGATED_ADMIN') };
    } catch (admin) {
      throw new AggregateError([self, admin]);
    }
  }
}

async function readStackSet(ctx: OrganizationContext, rec: StackSetRecord): Promise<void> {
  const client = ctx.client(CloudFormationClient);
  const input = { StackSetName: rec.name, CallAs: rec.callAs };
  const [described, instances] = await Promise.all([
    read('cloudformation:DescribeStackSet', () =>
      ctx.limit(() => client.send(new DescribeStackSetCommand({ ...input }))),
    ),
    read('cloudformation:ListStackInstances', () =>
      ctx.limit(() =>
        allPages(paginateListStackInstances({ client }, { ...input }), (p) => p.Summaries),
      ),
    ),
  ]);
  const s = described.StackSet;
  if (s === undefined) {
    const why = problem('IncompleteResult', `${rec.name}: DescribeStackSet answered no StackSet`);
    throw new SourceError('cloudformation:DescribeStackSet', why);
  }
  if (s.PermissionModel !== undefined) rec.permissionModel = s.PermissionModel;
  if (s.StackSetARN !== undefined) rec.arn = s.StackSetARN;
  const auto = s.AutoDeployment;
  rec.autoDeployment =
    auto === undefined
      ? null
      : {
          enabled: auto.Enabled ?? false,
          retainStacksOnAccountRemoval: auto.RetainStacksOnAccountRemoval ?? false,
        };
  for (const i of instances) {
    if (i.Account === undefined || i.Region === undefined)
      throw new SourceError(
        'cloudformation:ListStackInstances',
        problem('IncompleteResult', `${rec.name}: an instance without its account or region`),
      );
    rec.instances.push({
      accountId: i.Account,
      region: i.Region,
      ...(i.Status === undefined ? {} : { status: i.Status }),
      ...(i.StackId === undefined ? {} : { stackId: i.StackId }),
    });
  }
}

export default organizationSource({
  id: 'cloudformation:ListStackSets',
  scope: 'organization',
  vantage: 'management',
  field: 'stackSets',
  operations: [
    'cloudformation:ListStackSets',
    'cloudformation:DescribeStackSet',
    'cloudformation:ListStackInstances',
  ],
  async collect(ctx) {
    let found;
    try {
      found = await listed(ctx);
    } catch (err) {
      const all = err instanceof AggregateError ? (err.errors as unknown[]) : [err];
      return { errors: all.map((e) => SourceError.of(e, 'cloudformation:ListStackSets')) };
    }
    const records: StackSetRecord[] = found.summaries
      .filter((s) => s.PermissionModel === 'SERVICE_MANAGED' && s.StackSetName !== undefined)
      .map((s) => ({
        name: s.StackSetName!,
        ...(s.StackSetId === undefined ? {} : { id: s.StackSetId }),
        permissionModel: 'SERVICE_MANAGED',
        autoDeployment: null,
        ...(s.Status === undefined ? {} : { status: s.Status }),
        callAs: found.callAs,
        instances: [],
      }));
    const errors = await readEach(
      records,
      (fn) => fn(),
      'cloudformation:DescribeStackSet',
      () => undefined,
      (rec) => readStackSet(ctx, rec),
    );
    if (errors.length > 0) return { errors };
    for (const r of records)
      r.instances.sort(
        (a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region),
      );
    return { value: records.sort((a, b) => a.name.localeCompare(b.name)) };
  },
});
