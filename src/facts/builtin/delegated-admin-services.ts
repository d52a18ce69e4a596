import { known, unknown, type Fact } from '../fact.js';

export const delegatedAdminServices: Fact = {
  name: 'delegatedAdminServices',
  description: 'service principals the account is delegated administrator for',
  reads: ['delegatedAdministrators'],
  derive: (ctx) => {
    const delegated = ctx.index.delegated;
    if (delegated !== undefined) return known(delegated.get(ctx.account.id) ?? []);
    const gap = ctx.gap('delegatedAdministrators');
    return unknown(`delegated administrators not collected (${gap.why})`, gap.fix);
  },
};
