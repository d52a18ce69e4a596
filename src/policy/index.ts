/** Pure IAM/SCP evaluation for organizations:LeaveOrganization. No AWS SDK import here. */
import type { IdentityEvaluationInput, ScpEvaluationInput, Verdict } from './types.js';

export type * from './types.js';

/** Decides whether the SCP chain allows the principal to call LeaveOrganization. */
export function evaluateScpChain(_input: ScpEvaluationInput): Verdict {
  return {
    decision: 'error',
    summary: 'policy evaluator not built yet',
    error: { reason: 'not implemented' },
  };
}

/** Decides whether the principal's identity policies and boundary allow LeaveOrganization. */
export function evaluateIdentity(_input: IdentityEvaluationInput): Verdict {
  return {
    decision: 'error',
    summary: 'policy evaluator not built yet',
    error: { reason: 'not implemented' },
  };
}
