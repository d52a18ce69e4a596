/**
 * `scpVerdictForTransfer`: the SCP chain must allow both AcceptHandshake (on the
 * invitation's ARN when it is known) and LeaveOrganization (DESIGN §8).
 */
import { evaluateScpChainFor } from '../../policy/index.js';
import type { Fact } from '../fact.js';
import { deriveScpVerdict } from './scp-verdict.js';
import { transferActions, whenTransfer } from './transfer-actions.js';

export const scpVerdictForTransfer: Fact = {
  name: 'scpVerdictForTransfer',
  description:
    '{ decision, summary, actions, ... } SCP chain verdict for AcceptHandshake and LeaveOrganization (transfer)',
  kind: 'verdict',
  reads: ['organization', 'policies', 'ouTree', 'handshakes'],
  derive: (ctx) =>
    whenTransfer(ctx, () =>
      deriveScpVerdict(ctx, (input) => evaluateScpChainFor(input, transferActions(ctx, 'scp'))),
    ),
};
