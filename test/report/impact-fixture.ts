/** A report with impact-pack results whose messages carry hostile names (report tests). */
import { buildReport, HOSTILE, rule } from './fixtures.js';
import type { Report } from '../../src/report/types.js';

/** A StackSet name no format may render as markup. */
export const HOSTILE_STACKSET = `<img src=x onerror="window.__pwned=1">|**x**`;

const impact = (
  id: string,
  status: 'pass' | 'fail' | 'unknown' | 'waived',
  message: string,
  severity: 'blocker' | 'warning' = 'warning',
) => rule(id, status, message, { pack: 'leave-impact', severity });

/**
 * 222222222222: blocked by a deleting StackSet with a hostile name;
 * 333333333333: ready with an Identity Center warning;
 * 444444444444: ready, the impact rules found nothing.
 */
export function impactReport(): Report {
  return buildReport([
    {
      accountId: '222222222222',
      name: 'payments-prod',
      rules: [
        rule('member-account', 'pass', 'member'),
        impact(
          'stacksets-retain-stacks',
          'fail',
          `CloudFormation deletes the stacks of 1 StackSet(s) when the account leaves (RetainStacksOnAccountRemoval false): ${HOSTILE_STACKSET} (us-east-1)`,
          'blocker',
        ),
        impact('identity-center-access', 'pass', 'no permission set'),
      ],
    },
    {
      accountId: '333333333333',
      name: 'analytics',
      rules: [
        rule('member-account', 'pass', 'member'),
        impact('stacksets-retain-stacks', 'pass', 'no StackSet deletes', 'blocker'),
        impact(
          'identity-center-access',
          'fail',
          `1 IAM Identity Center permission set(s) lose access: ${HOSTILE.closeScript} to GROUP:g-123`,
        ),
      ],
    },
    {
      accountId: '444444444444',
      name: 'quiet',
      rules: [
        rule('member-account', 'pass', 'member'),
        impact('stacksets-retain-stacks', 'pass', 'no StackSet deletes', 'blocker'),
        impact('identity-center-access', 'pass', 'no permission set'),
      ],
    },
  ]);
}
