/**
 * The actions the evaluator knows how to ask about, and what each one's request
 * looks like: its resource and the keys it carries. Leaving needs LeaveOrganization;
 * a direct transfer (DESIGN §8) needs AcceptHandshake and LeaveOrganization from the
 * SCPs, and those two plus iam:CreateServiceLinkedRole from the principal's policies.
 */
import { principalFromArn } from './principal.js';
import type { ActionRequest } from './types.js';

export const LEAVE_ACTION = 'organizations:LeaveOrganization';
export const ACCEPT_HANDSHAKE_ACTION = 'organizations:AcceptHandshake';
export const CREATE_SLR_ACTION = 'iam:CreateServiceLinkedRole';

/** What the SCPs must allow for a transfer (DESIGN §8: `scp-allows-transfer`). */
export const TRANSFER_SCP_ACTIONS: readonly string[] = Object.freeze([
  ACCEPT_HANDSHAKE_ACTION,
  LEAVE_ACTION,
]);

/** What the principal's policies and boundary must allow for a transfer (`principal-allowed-to-transfer`). */
export const TRANSFER_IDENTITY_ACTIONS: readonly string[] = Object.freeze([
  ACCEPT_HANDSHAKE_ACTION,
  LEAVE_ACTION,
  CREATE_SLR_ACTION,
]);

/** The service whose service-linked role joining an organization creates. */
const ORGANIZATIONS_SERVICE = 'organizations.amazonaws.com';

/** A request ready to evaluate: every field known. */
export interface ResolvedRequest {
  action: string;
  resource: string;
  /** Keys the request carries (null = absent), with the reason shown in assumptions. */
  keys: Array<{ key: string; value: string | string[] | null; reason: string }>;
  /** Keys nobody can know for this request, with the reason. */
  unknown: Array<{ key: string; reason: string }>;
}

/** IAM's endpoint region in each partition (IAM is global within a partition). */
function iamRegion(partition: string): string {
  if (partition === 'aws-us-gov') return 'us-gov-west-1';
  return partition === 'aws-cn' ? 'cn-north-1' : 'us-east-1';
}

const VIA_ORGANIZATIONS =
  'Organizations may create the role while it handles AcceptHandshake, so the request may come through the service';

/**
 * The request for an action: a name leavegate knows gets its resource and keys
 * (iam:CreateServiceLinkedRole: the Organizations service-linked role of the principal's
 * account, iam:AWSServiceName organizations.amazonaws.com); any other name is an action
 * with no resource type. An ActionRequest is taken as given.
 */
export function resolveRequest(
  request: string | ActionRequest,
  principalArn: string,
  accountId: string,
): ResolvedRequest {
  if (typeof request !== 'string') {
    return {
      action: request.action,
      resource: request.resource ?? '*',
      keys: Object.entries(request.context ?? {}).map(([key, value]) => ({
        key,
        value,
        reason: `the ${request.action} request carries it`,
      })),
      unknown: [],
    };
  }
  if (request.toLowerCase() !== CREATE_SLR_ACTION.toLowerCase())
    return { action: request, resource: '*', keys: [], unknown: [] };
  const info = principalFromArn(principalArn);
  const partition = info.partition || 'aws';
  const account = accountId || info.accountId;
  return {
    action: request,
    resource: `arn:${partition}:iam::${account}:role/aws-service-role/${ORGANIZATIONS_SERVICE}/AWSServiceRoleForOrganizations`,
    keys: [
      {
        key: 'aws:RequestedRegion',
        value: iamRegion(partition),
        reason: `${iamRegion(partition)}: the region of the IAM endpoint in ${partition}`,
      },
      {
        key: 'iam:AWSServiceName',
        value: ORGANIZATIONS_SERVICE,
        reason: 'the role created is the Organizations service-linked role',
      },
    ],
    unknown: ['aws:ViaAWSService', 'aws:CalledVia', 'aws:CalledViaFirst', 'aws:CalledViaLast'].map(
      (key) => ({ key, reason: VIA_ORGANIZATIONS }),
    ),
  };
}
