/**
 * The executor's only door to AWS (the one file in src/execute importing the
 * SDK). Everything else takes an AwsPort argument, so the gate and apply are
 * tested without a network and the e2e tests go through the real SDK.
 *
 * Clients and member credentials come from the collection client pool
 * (src/collect/client-pool.ts), passed in structurally: the executor never
 * assumes roles itself. The one client it builds is LeaveOrganization's, with
 * the SDK's retries off: apply.ts retries, rate-limits and audits each attempt.
 */
import {
  DescribeOrganizationCommand,
  LeaveOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { OrganizationsClientConfig } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { STSClient } from '@aws-sdk/client-sts';

export interface CallerIdentity {
  arn: string;
  account: string;
}

/** What DescribeOrganization tells the member about itself. */
export type Membership =
  | { status: 'member'; organizationId: string; managementAccountId: string }
  | { status: 'not-in-organization' };

/** Calls made with the member account's credentials (the assumed member role). */
export interface MemberPort {
  getCallerIdentity(): Promise<CallerIdentity>;
  /** Maps AWSOrganizationsNotInUseException to `not-in-organization`; other errors are thrown. */
  describeOrganization(): Promise<Membership>;
  /** One LeaveOrganization attempt. Throws AWS errors unchanged. */
  leaveOrganization(): Promise<{ requestId?: string }>;
}

export interface AwsPort {
  /** The identity leavegate runs as (management side), for the audit log. */
  operatorIdentity(): Promise<CallerIdentity>;
  member(accountId: string): MemberPort;
}

/** Member credentials as the SDK accepts them. */
export type MemberCredentials = NonNullable<OrganizationsClientConfig['credentials']>;

/** What the port needs from a client pool (structurally `ClientPool` of src/collect/client-pool.ts). */
export interface ClientSource {
  sts: STSClient;
  member(accountId: string): {
    credentials: MemberCredentials;
    sts: STSClient;
    organizations: OrganizationsClient;
  };
}

/** Organizations is a global service homed in us-east-1. */
const ORGANIZATIONS_REGION = 'us-east-1';

/** A field AWS left out is an error, never '' that a comparison could take for an answer. */
function required(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new Error(`${what} is missing from AWS's answer`);
  return value;
}

async function callerIdentity(sts: STSClient): Promise<CallerIdentity> {
  const out = await sts.send(new GetCallerIdentityCommand({}));
  return {
    arn: required(out.Arn, 'GetCallerIdentity Arn'),
    account: required(out.Account, 'GetCallerIdentity Account'),
  };
}

/** Creates the SDK-backed port on top of a client pool. */
export function createAwsPort(source: ClientSource): AwsPort {
  let operator: Promise<CallerIdentity> | undefined;
  const leaveClients = new Map<string, OrganizationsClient>();
  return {
    operatorIdentity() {
      operator ??= callerIdentity(source.sts);
      return operator;
    },
    member(accountId: string): MemberPort {
      const session = () => source.member(accountId);
      return {
        getCallerIdentity() {
          return callerIdentity(session().sts);
        },
        async describeOrganization() {
          try {
            const out = await session().organizations.send(new DescribeOrganizationCommand({}));
            return {
              status: 'member',
              organizationId: required(
                out.Organization?.Id,
                'DescribeOrganization Organization.Id',
              ),
              managementAccountId: required(
                out.Organization?.MasterAccountId,
                'DescribeOrganization Organization.MasterAccountId',
              ),
            };
          } catch (err) {
            if ((err as { name?: unknown }).name === 'AWSOrganizationsNotInUseException') {
              return { status: 'not-in-organization' };
            }
            throw err;
          }
        },
        async leaveOrganization() {
          let client = leaveClients.get(accountId);
          if (client === undefined) {
            client = new OrganizationsClient({
              region: ORGANIZATIONS_REGION,
              credentials: session().credentials,
              maxAttempts: 1,
            });
            leaveClients.set(accountId, client);
          }
          const out = await client.send(new LeaveOrganizationCommand({}));
          const requestId = out.$metadata.requestId;
          return requestId === undefined ? {} : { requestId };
        },
      };
    },
  };
}
