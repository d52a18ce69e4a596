/**
 * The executor's only door to AWS (the one file in src/execute importing the
 * SDK). Everything else takes an AwsPort argument, so the gate and apply are
 * tested without a network and the e2e tests go through the real SDK.
 *
 * Clients and member credentials come from the collection client pool
 * (src/collect/client-pool.ts), or are passed in structurally (tests): the
 * executor never assumes roles itself. The one client it builds is LeaveOrganization's, with
 * the SDK's retries off: apply.ts retries, rate-limits and audits each attempt.
 */
import {
  AcceptHandshakeCommand,
  DescribeOrganizationCommand,
  LeaveOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { OrganizationsClientConfig } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { organizationsRegion } from '../arn.js';
import type { ClientPool } from '../collect/client-pool.js';

import { requestTimeoutMs } from '../collect/client-pool.js';
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
  /** One AcceptHandshake attempt (a direct transfer). Throws AWS errors unchanged. */
  acceptHandshake(handshakeId: string): Promise<{ requestId?: string }>;
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
  /** The region Organizations calls are signed for (default: the commercial partition's). */
  organizationsRegion?: string;
  member(accountId: string): {
    credentials: MemberCredentials;
    sts: STSClient;
    organizations: OrganizationsClient;
  };
}

/** The clients the port needs, from the pool. */
function fromPool(pool: ClientPool): ClientSource {
  return {
    sts: pool.client(STSClient),
    organizationsRegion: pool.globalRegion,
    member(accountId) {
      const session = pool.member(accountId);
      return {
        credentials: session.credentials,
        sts: pool.client(STSClient, session),
        organizations: pool.client(OrganizationsClient, session),
      };
    },
  };
}

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
export function createAwsPort(from: ClientSource | ClientPool): AwsPort {
  const source = 'client' in from ? fromPool(from) : from;
  let operator: Promise<CallerIdentity> | undefined;
  const callClients = new Map<string, OrganizationsClient>();
  /** The member's client for the irreversible call: SDK retries off (apply.ts retries and audits). */
  const callClient = (accountId: string): OrganizationsClient => {
    let client = callClients.get(accountId);
    if (client === undefined) {
      client = new OrganizationsClient({
        region: source.organizationsRegion ?? organizationsRegion('aws'),
        credentials: source.member(accountId).credentials,
        maxAttempts: 1,
        // Never hang on an endpoint that does not answer; apply.ts retries.
        requestHandler: {
          connectionTimeout: 10_000,
          requestTimeout: requestTimeoutMs(),
          throwOnRequestTimeout: true,
        },
      });
      callClients.set(accountId, client);
    }
    return client;
  };
  const requestIdOf = (out: { $metadata: { requestId?: string } }): { requestId?: string } => {
    const requestId = out.$metadata.requestId;
    return requestId === undefined ? {} : { requestId };
  };
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
          return requestIdOf(await callClient(accountId).send(new LeaveOrganizationCommand({})));
        },
        async acceptHandshake(handshakeId: string) {
          return requestIdOf(
            await callClient(accountId).send(
              new AcceptHandshakeCommand({ HandshakeId: handshakeId }),
            ),
          );
        },
      };
    },
  };
}
