/** What the two transfer verdict facts share: the actions asked, and "only for a transfer". */
import {
  ACCEPT_HANDSHAKE_ACTION,
  TRANSFER_IDENTITY_ACTIONS,
  TRANSFER_SCP_ACTIONS,
  type ActionRequest,
} from '../../policy/index.js';
import type { AccountContext } from '../context.js';
import { unknown, type FactOutcome } from '../fact.js';
import { invitationOf, type Invitation } from './invitation.js';

/**
 * The transfer's actions, AcceptHandshake on the invitation's ARN when the
 * open invitation is known (its resource), `*` otherwise.
 */
export function transferActions(
  ctx: AccountContext,
  kind: 'scp' | 'identity',
): Array<string | ActionRequest> {
  const found = invitationOf(ctx);
  const arn = found.ok ? (found.value as Invitation).handshakeArn : undefined;
  const actions = kind === 'scp' ? TRANSFER_SCP_ACTIONS : TRANSFER_IDENTITY_ACTIONS;
  return actions.map((a) =>
    a === ACCEPT_HANDSHAKE_ACTION ? { action: a, resource: arn ?? '*' } : a,
  );
}

/** A transfer verdict is asked only by a transfer check (else unknown, never a guess). */
export function whenTransfer(ctx: AccountContext, derive: () => FactOutcome): FactOutcome {
  if (ctx.options.transfer === undefined)
    return unknown(
      'not a transfer check: no target organization or handshake was given',
      'check with --transfer-to o-... (or run transfer --handshake h-...)',
    );
  return derive();
}
