/**
 * Whether a paid support plan is visible (P5d): DescribeSeverityLevels answers
 * only on paid plans; SubscriptionRequiredException means basic support.
 */
import { DescribeSeverityLevelsCommand, SupportClient } from '@aws-sdk/client-support';
import { errorCode } from '../errors.js';
import { accountSource } from './types.js';

export default accountSource({
  id: 'support:DescribeSeverityLevels',
  scope: 'account',
  vantage: 'member',
  field: 'paidSupportPlan',
  operations: ['support:DescribeSeverityLevels'],
  async collect(ctx) {
    try {
      await ctx.client(SupportClient).send(new DescribeSeverityLevelsCommand({}));
      return { value: true };
    } catch (err) {
      if (errorCode(err) === 'SubscriptionRequiredException') return { value: false };
      throw err;
    }
  },
});
