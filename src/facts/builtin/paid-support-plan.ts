import { known, notCollected, type Fact } from '../fact.js';

export const paidSupportPlan: Fact = {
  name: 'paidSupportPlan',
  description: 'true when a paid support plan is visible through the Support API',
  reads: ['supportPlan'],
  derive: (ctx) =>
    ctx.account.paidSupportPlan === undefined
      ? notCollected(ctx, 'supportPlan', 'support plan')
      : known(ctx.account.paidSupportPlan),
};
