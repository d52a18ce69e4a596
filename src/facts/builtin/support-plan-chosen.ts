import { known, unknown, type Fact } from '../fact.js';

/** A paid plan seen through the API; otherwise only an attestation can say a plan was chosen. */
export const supportPlanChosen: Fact = {
  name: 'supportPlanChosen',
  description: 'a paid plan seen through the API, else a valid supportPlanChosen attestation',
  reads: ['supportPlan'],
  derive: (ctx) => {
    const a = ctx.attestations;
    const paid = ctx.account.paidSupportPlan;
    if (paid === true) return known(true);
    const value = a.value('supportPlanChosen');
    if (value !== undefined) return known(value, a.used('supportPlanChosen'));
    if (paid === false) {
      return unknown(
        `no paid support plan is visible through the API (Basic may still have been chosen) and ${a.unattested('supportPlanChosen')}`,
        a.fix('supportPlanChosen'),
      );
    }
    const gap = ctx.gap('supportPlan');
    return unknown(
      `support plan ${gap.why}, and ${a.unattested('supportPlanChosen')}`,
      `${gap.fix}; or ${a.fix('supportPlanChosen')}`,
    );
  },
};
