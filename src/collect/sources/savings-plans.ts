/**
 * Savings Plans the account owns (DESIGN §7 savings-plans-owned): member
 * savingsplans:DescribeSavingsPlans, in the states that still commit money
 * (retired and returned plans no longer cover anything).
 */
import { DescribeSavingsPlansCommand, SavingsplansClient } from '@aws-sdk/client-savingsplans';
import type { SavingsPlan, SavingsPlanState } from '@aws-sdk/client-savingsplans';
import type { SavingsPlanRecord } from '../../snapshot/types.js';
import { problem } from '../errors.js';
import { accountSource } from './types.js';

const LIVE_STATES: SavingsPlanState[] = [
  'active',
  'queued',
  'payment-pending',
  'payment-failed',
  'pending-return',
];

function record(p: SavingsPlan): SavingsPlanRecord {
  if (p.savingsPlanId === undefined || p.state === undefined)
    throw problem('IncompleteResult', 'a Savings Plan without its id or state');
  return {
    id: p.savingsPlanId,
    ...(p.savingsPlanArn === undefined ? {} : { arn: p.savingsPlanArn }),
    state: p.state,
    ...(p.savingsPlanType === undefined ? {} : { type: p.savingsPlanType }),
    ...(p.commitment === undefined ? {} : { commitment: p.commitment }),
    ...(p.end === undefined ? {} : { end: p.end }),
  };
}

export default accountSource({
  id: 'savingsplans:DescribeSavingsPlans',
  scope: 'account',
  vantage: 'member',
  field: 'savingsPlans',
  operations: ['savingsplans:DescribeSavingsPlans'],
  async collect(ctx) {
    const client = ctx.client(SavingsplansClient);
    const plans: SavingsPlanRecord[] = [];
    let nextToken: string | undefined;
    do {
      const out = await client.send(
        new DescribeSavingsPlansCommand({
          states: LIVE_STATES,
          maxResults: 1000,
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
      );
      plans.push(...(out.savingsPlans ?? []).map(record));
      nextToken = out.nextToken === '' ? undefined : out.nextToken;
    } while (nextToken !== undefined);
    return { value: plans.sort((a, b) => a.id.localeCompare(b.id)) };
  },
});
