/**
 * Caller identification: who is calling and which organization it sees. This
 * is the one part of collection that throws (CollectError, exit 2): without
 * an organization there is nothing to collect.
 */
import {
  DescribeOrganizationCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { Root } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CollectError } from '../errors.js';
import type { OrganizationInfo } from '../snapshot/types.js';
import type { ClientPool } from './client-pool.js';
import { errorCode, errorMessage } from './errors.js';
import type { OrgContext } from './sources/types.js';

const SCP = 'SERVICE_CONTROL_POLICY';

async function callerAccount(pool: ClientPool): Promise<string> {
  try {
    const me = await pool.client(STSClient).send(new GetCallerIdentityCommand({}));
    return me.Account ?? 'unknown';
  } catch (err) {
    throw new CollectError(
      `sts:GetCallerIdentity: ${errorCode(err)}: ${errorMessage(err)} (check the credentials, --profile and --region)`,
      { cause: err },
    );
  }
}

async function describeOrganization(
  orgs: OrganizationsClient,
  callerAccountId: string,
): Promise<OrganizationInfo> {
  try {
    const o = (await orgs.send(new DescribeOrganizationCommand({}))).Organization;
    if (o?.Id === undefined || o.MasterAccountId === undefined)
      throw new Error('DescribeOrganization returned no organization');
    return {
      id: o.Id,
      ...(o.Arn === undefined ? {} : { arn: o.Arn }),
      featureSet: o.FeatureSet === 'CONSOLIDATED_BILLING' ? 'CONSOLIDATED_BILLING' : 'ALL',
      managementAccountId: o.MasterAccountId,
      ...(o.MasterAccountEmail === undefined
        ? {}
        : { managementAccountEmail: o.MasterAccountEmail }),
      scpEnabled: false,
    };
  } catch (err) {
    if (errorCode(err) === 'AWSOrganizationsNotInUseException') {
      throw new CollectError(
        `account ${callerAccountId} is not a member of an organization: nothing to collect`,
        { cause: err },
      );
    }
    throw new CollectError(
      `organizations:DescribeOrganization: ${errorCode(err)}: ${errorMessage(err)}`,
      { cause: err },
    );
  }
}

async function listRoots(
  orgs: OrganizationsClient,
  callerAccountId: string,
  organization: OrganizationInfo,
): Promise<Root[]> {
  try {
    return (await orgs.send(new ListRootsCommand({}))).Roots ?? [];
  } catch (err) {
    const code = errorCode(err);
    if (code === 'AccessDeniedException' && callerAccountId !== organization.managementAccountId) {
      throw new CollectError(
        `account ${callerAccountId} is a member of ${organization.id} but neither its management account ` +
          `(${organization.managementAccountId}) nor a delegated administrator for AWS Organizations: ` +
          `run leavegate with credentials of ${organization.managementAccountId} (or of a delegated administrator)`,
        { cause: err },
      );
    }
    throw new CollectError(`organizations:ListRoots: ${code}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

/**
 * Who is calling and which organization it sees. Throws CollectError (exit 2)
 * with an explanation when the caller can read no organization: not in one, or
 * a member that is neither the management account nor a delegated administrator.
 */
export async function identifyCaller(pool: ClientPool): Promise<OrgContext> {
  const callerAccountId = await callerAccount(pool);
  const orgs = pool.client(OrganizationsClient);
  const organization = await describeOrganization(orgs, callerAccountId);
  const root = (await listRoots(orgs, callerAccountId, organization))[0];
  if (root?.Id === undefined)
    throw new CollectError(`organizations:ListRoots: ${organization.id} has no root`);
  // PENDING_ENABLE / PENDING_DISABLE count as enabled: while the type changes
  // state SCPs may apply, and evaluating them can only make the verdict stricter.
  // For the same reason a root that does not say (no PolicyTypes) counts as
  // enabled where SCPs can exist at all (feature set ALL).
  organization.scpEnabled =
    root.PolicyTypes === undefined
      ? organization.featureSet === 'ALL'
      : root.PolicyTypes.some((t) => t.Type === SCP);
  // Pending states count as enabled here too (the impact rules only warn from them).
  const policyTypes = root.PolicyTypes?.map((t) => t.Type)
    .filter((t): t is NonNullable<typeof t> => t !== undefined)
    .sort();
  return {
    callerAccountId,
    organization,
    rootId: root.Id,
    ...(policyTypes === undefined ? {} : { policyTypes }),
  };
}
