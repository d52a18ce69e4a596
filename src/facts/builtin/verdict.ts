/** What the two policy verdict facts share: an evaluator error is an unknown, never a verdict. */
import type { Verdict } from '../../policy/types.js';
import { known, unknown, type FactOutcome } from '../fact.js';

export function verdictOutcome(verdict: Verdict): FactOutcome {
  return verdict.decision === 'error'
    ? unknown(
        `policy could not be evaluated: ${verdict.summary}`,
        'correct the policy document the reason names (it is not a policy IAM would accept), then collect again',
      )
    : known(verdict);
}
