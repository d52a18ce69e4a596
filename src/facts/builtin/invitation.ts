/**
 * The invitation a direct transfer accepts (DESIGN §8): an OPEN `INVITE`
 * handshake from the target organization to the account, not expired at the
 * evaluation time. Read from the member's ListHandshakesForAccount.
 */
import type { HandshakeRecord } from '../../snapshot/types.js';
import type { AccountContext } from '../context.js';
import { known, notCollected, unknown, type Fact, type FactOutcome } from '../fact.js';
import type { TransferTarget } from '../types.js';

/** The `invitation` fact: whether the account has the invitation to accept, and which one. */
export interface Invitation {
  /** True only for an OPEN INVITE from the target, unexpired at the evaluation time. */
  open: boolean;
  /** The handshake that decided it (the open one, or the closest to it); null when none. */
  handshakeId: string | null;
  handshakeArn?: string;
  /** The organization that invited (the target when open); null when unknown. */
  organizationId: string | null;
  state?: string;
  requestedBy?: string;
  expiresAt?: string;
  /** One line: what was found, and what to do when it is not open. */
  summary: string;
}

const PENDING = new Set(['OPEN', 'REQUESTED']);

function inviteCommand(accountId: string, target: string | undefined): string {
  const from =
    target === undefined
      ? 'the management account of the target organization'
      : `the management account of ${target}`;
  return `have ${from} invite it: aws organizations invite-account-to-organization --target Id=${accountId},Type=ACCOUNT`;
}

function describe(h: HandshakeRecord): string {
  const by = h.requestedBy === undefined ? '' : ` by ${h.requestedBy}`;
  const from = h.organizationId ?? 'an unknown organization';
  const until = h.expirationTimestamp === undefined ? '' : `, expires ${h.expirationTimestamp}`;
  return `handshake ${h.id} (${h.action} ${h.state} from ${from}${by}${until})`;
}

function value(h: HandshakeRecord | undefined, open: boolean, summary: string): Invitation {
  if (h === undefined) return { open: false, handshakeId: null, organizationId: null, summary };
  return {
    open,
    handshakeId: h.id,
    ...(h.arn !== undefined && { handshakeArn: h.arn }),
    organizationId: h.organizationId ?? null,
    state: h.state,
    ...(h.requestedBy !== undefined && { requestedBy: h.requestedBy }),
    ...(h.expirationTimestamp !== undefined && { expiresAt: h.expirationTimestamp }),
    summary,
  };
}

/** Why `h` cannot be accepted at `now`, or undefined when it can. */
function notAcceptable(h: HandshakeRecord, now: number): string | undefined {
  if (h.action !== 'INVITE') return `it is a ${h.action} handshake, not an invitation`;
  if (h.state !== 'OPEN') return `it is ${h.state}, not OPEN`;
  const expires = h.expirationTimestamp === undefined ? NaN : Date.parse(h.expirationTimestamp);
  if (Number.isNaN(expires)) return 'its expiry cannot be read, so it may have expired';
  if (expires <= now) return `it expired at ${h.expirationTimestamp ?? '?'}`;
  return undefined;
}

/**
 * The invitation among the account's handshakes for `target` at `now` (pure).
 * With a handshake id, exactly that handshake must be the open invitation
 * (from the target organization, when one is named too).
 */
export function findInvitation(
  handshakes: readonly HandshakeRecord[],
  accountId: string,
  target: TransferTarget,
  now: number,
): Invitation {
  const org = target.targetOrganizationId;
  const todo = inviteCommand(accountId, org);
  const fromTarget = (h: HandshakeRecord) => org === undefined || h.organizationId === org;
  if (target.handshakeId !== undefined) {
    const h = handshakes.find((x) => x.id === target.handshakeId);
    if (h === undefined) {
      const others = handshakes.filter((x) => x.action === 'INVITE' && PENDING.has(x.state));
      const seen =
        others.length === 0 ? 'none is open' : `seen: ${others.map(describe).join('; ')}`;
      return value(
        undefined,
        false,
        `handshake ${target.handshakeId} is not among the handshakes of account ${accountId} (${seen}); ${todo}`,
      );
    }
    if (!fromTarget(h))
      return value(h, false, `${describe(h)} is not from the target ${org ?? ''}; ${todo}`);
    const why = notAcceptable(h, now);
    if (why === undefined) return value(h, true, `open invitation ${describe(h)}`);
    return value(h, false, `${describe(h)} cannot be accepted: ${why}; ${todo}`);
  }
  const invites = handshakes.filter((h) => h.action === 'INVITE');
  const mine = invites.filter(fromTarget);
  const open = mine
    .filter((h) => notAcceptable(h, now) === undefined)
    .sort((a, b) => (b.expirationTimestamp ?? '').localeCompare(a.expirationTimestamp ?? ''));
  if (open[0] !== undefined) return value(open[0], true, `open invitation ${describe(open[0])}`);
  if (mine[0] !== undefined) {
    const h = mine[0];
    return value(
      h,
      false,
      `no open invitation from ${org ?? 'the target'}: ${mine.map((x) => `${describe(x)}: ${notAcceptable(x, now) ?? ''}`).join('; ')}; ${todo}`,
    );
  }
  const elsewhere =
    invites.length === 0
      ? 'the account has no invitation'
      : `the account has invitations only from other organizations: ${invites.map(describe).join('; ')}`;
  return value(
    undefined,
    false,
    `no invitation from ${org ?? 'the target'} (${elsewhere}); ${todo}`,
  );
}

/** The invitation of the evaluated account, or why it cannot be told. */
export function invitationOf(ctx: AccountContext): FactOutcome {
  const target = ctx.options.transfer;
  if (target === undefined)
    return unknown(
      'not a transfer check: no target organization or handshake was given',
      'check with --transfer-to o-... (or run transfer --handshake h-...)',
    );
  const handshakes = ctx.account.handshakes;
  if (handshakes === undefined)
    return notCollected(ctx, 'handshakes', 'the handshakes of the account were');
  return known(findInvitation(handshakes, ctx.account.id, target, ctx.now));
}

export const invitation: Fact = {
  name: 'invitation',
  description:
    '{ open, handshakeId, organizationId, requestedBy, expiresAt, summary }: the open invitation from the transfer target (DESIGN §8)',
  reads: ['handshakes'],
  derive: invitationOf,
};
