import { known, notCollected, type Fact } from '../fact.js';

export const tags: Fact = {
  name: 'tags',
  description: '[ { key, value } ] tags on the account object',
  reads: ['tags'],
  derive: (ctx) =>
    ctx.account.tags === undefined ? notCollected(ctx, 'tags', 'tags') : known(ctx.account.tags),
};
