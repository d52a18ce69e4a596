import { known, unknown, type Fact } from '../fact.js';

export const isManagementAccount: Fact = {
  name: 'isManagementAccount',
  description: 'true when the account is the management account',
  reads: ['organization'],
  derive: (ctx) => {
    const is = ctx.isManagement;
    if (is !== undefined) return known(is);
    const gap = ctx.gap('organization');
    return unknown(`organization not collected (${gap.why})`, gap.fix);
  },
};
