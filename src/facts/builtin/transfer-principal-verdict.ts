/**
 * `principalVerdictForTransfer`: the principal's identity policies and boundary must
 * allow AcceptHandshake, LeaveOrganization and iam:CreateServiceLinkedRole (DESIGN §8).
 */
import { evaluateIdentityFor } from '../../policy/index.js';
import type { Fact } from '../fact.js';
import { derivePrincipalVerdict } from './principal-verdict.js';
import { transferActions, whenTransfer } from './transfer-actions.js';

export const principalVerdictForTransfer: Fact = {
  name: 'principalVerdictForTransfer',
  description:
    '{ decision, summary, actions, ... } identity policies and boundary verdict for AcceptHandshake, LeaveOrganization and iam:CreateServiceLinkedRole (transfer)',
  kind: 'verdict',
  reads: ['principal', 'identityPolicies', 'handshakes'],
  derive: (ctx) =>
    whenTransfer(ctx, () =>
      derivePrincipalVerdict(ctx, (input) =>
        evaluateIdentityFor(input, transferActions(ctx, 'identity')),
      ),
    ),
};
