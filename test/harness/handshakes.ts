/**
 * moto has no handshakes: these proxy handlers answer InviteAccountToOrganization,
 * ListHandshakesForAccount, DescribeHandshake and AcceptHandshake for a fake
 * target organization, in the Organizations JSON protocol, and — for an account
 * whose invitation was accepted — DescribeOrganization as that member (moto
 * still has it in the old organization; every other caller goes on to moto).
 */
import { awsError, jsonResponse } from './aws-proxy.js';
import type { ProxyHandler, ProxyRequest, ProxyResponse } from './aws-proxy.js';

export interface FakeHandshake {
  id: string;
  arn: string;
  accountId: string;
  state: 'OPEN' | 'ACCEPTED' | 'DECLINED' | 'CANCELED' | 'EXPIRED';
  requested: Date;
  expires: Date;
}

export interface TargetOrganization {
  id: string;
  managementAccountId: string;
  managementEmail: string;
}

export interface HandshakeFakes {
  handlers: Record<string, ProxyHandler>;
  handshakes: FakeHandshake[];
  /** Accounts whose handshake was accepted (they now belong to the target). */
  moved: Set<string>;
  /** Creates an invitation directly (as InviteAccountToOrganization would). */
  invite(accountId: string, over?: Partial<FakeHandshake>): FakeHandshake;
}

const DAY = 86_400_000;

function wire(h: FakeHandshake, target: TargetOrganization) {
  return {
    Id: h.id,
    Arn: h.arn,
    Parties: [
      { Id: target.id, Type: 'ORGANIZATION' },
      { Id: h.accountId, Type: 'ACCOUNT' },
    ],
    State: h.state,
    Action: 'INVITE',
    RequestedTimestamp: h.requested.getTime() / 1000,
    ExpirationTimestamp: h.expires.getTime() / 1000,
    Resources: [
      { Type: 'ORGANIZATION', Value: target.id },
      { Type: 'MASTER_EMAIL', Value: target.managementEmail },
    ],
  };
}

/**
 * The fakes for one target organization. `onAccept` runs when AcceptHandshake
 * arrives, before it is answered (the test inspects the files on disk then);
 * it may answer instead (an AWS error).
 */
export function handshakeFakes(
  target: TargetOrganization,
  onAccept?: (
    req: ProxyRequest,
    h: FakeHandshake | undefined,
  ) => Promise<ProxyResponse | undefined>,
): HandshakeFakes {
  const handshakes: FakeHandshake[] = [];
  const moved = new Set<string>();
  let n = 0;
  const invite = (accountId: string, over: Partial<FakeHandshake> = {}): FakeHandshake => {
    const id = `h-${String(++n).padStart(10, '0')}`;
    const h: FakeHandshake = {
      id,
      arn: `arn:aws:organizations::${target.managementAccountId}:handshake/${target.id}/invite/${id}`,
      accountId,
      state: 'OPEN',
      requested: new Date(),
      expires: new Date(Date.now() + 15 * DAY),
      ...over,
    };
    handshakes.push(h);
    return h;
  };
  const handshakeOf = (req: ProxyRequest) =>
    handshakes.find(
      (h) => h.id === (req.json as { HandshakeId?: string } | undefined)?.HandshakeId,
    );
  const handlers: Record<string, ProxyHandler> = {
    'organizations:InviteAccountToOrganization': (req) => {
      const t = (req.json as { Target?: { Id?: string; Type?: string } } | undefined)?.Target;
      if (t?.Id === undefined || t.Type !== 'ACCOUNT')
        return awsError(req, 'InvalidInputException', 'Target must be an ACCOUNT');
      return jsonResponse({ Handshake: wire(invite(t.Id), target) });
    },
    'organizations:ListHandshakesForAccount': (req) => {
      if (req.callerAccountId === undefined) return undefined; // the management account: moto
      const mine = handshakes.filter((h) => h.accountId === req.callerAccountId);
      return jsonResponse({ Handshakes: mine.map((h) => wire(h, target)) });
    },
    'organizations:DescribeHandshake': (req) => {
      const h = handshakeOf(req);
      if (h === undefined) return awsError(req, 'HandshakeNotFoundException', 'no such handshake');
      return jsonResponse({ Handshake: wire(h, target) });
    },
    'organizations:AcceptHandshake': async (req) => {
      const h = handshakeOf(req);
      const answer = await onAccept?.(req, h);
      if (answer !== undefined) return answer;
      if (h === undefined || h.accountId !== req.callerAccountId)
        return awsError(req, 'HandshakeNotFoundException', 'no such handshake');
      if (h.state !== 'OPEN' || h.expires.getTime() <= Date.now())
        return awsError(req, 'InvalidHandshakeTransitionException', `handshake is ${h.state}`);
      h.state = 'ACCEPTED';
      moved.add(h.accountId);
      return jsonResponse({ Handshake: wire(h, target) });
    },
    // Moved accounts belong to the target now; moto cannot be told.
    'organizations:DescribeOrganization': (req) =>
      req.callerAccountId === undefined || !moved.has(req.callerAccountId)
        ? undefined
        : jsonResponse({
            Organization: {
              Id: target.id,
              Arn: `arn:aws:organizations::${target.managementAccountId}:organization/${target.id}`,
              FeatureSet: 'ALL',
              MasterAccountId: target.managementAccountId,
              MasterAccountArn: `arn:aws:organizations::${target.managementAccountId}:account/${target.id}/${target.managementAccountId}`,
              MasterAccountEmail: target.managementEmail,
            },
          }),
  };
  return { handlers, handshakes, moved, invite };
}
