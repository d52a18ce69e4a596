import { known, notCollected, type Fact } from '../fact.js';
import { listing } from './impact-listing.js';

/** States in which a Savings Plan no longer covers anything. */
const ENDED = new Set(['retired', 'returned', 'queued-deleted', 'payment-failed']);

export const savingsPlansOwned: Fact = {
  name: 'savingsPlansOwned',
  description:
    '{ items: [ { id, state, type, commitment, end } ], summary }: Savings Plans the account owns that are not retired, returned, deleted or failed (active, queued, payment-pending, ...)',
  reads: ['savingsPlans'],
  derive: (ctx) => {
    const plans = ctx.account.savingsPlans;
    if (plans === undefined) return notCollected(ctx, 'savingsPlans', 'Savings Plans');
    const items = plans
      .filter((p) => !ENDED.has(p.state.toLowerCase()))
      .map((p) => ({
        id: p.id,
        state: p.state,
        ...(p.type !== undefined && { type: p.type }),
        ...(p.commitment !== undefined && { commitment: p.commitment }),
        ...(p.end !== undefined && { end: p.end }),
      }));
    return known(
      listing(
        items,
        (p) =>
          `${p.id} (${[p.type, p.state, p.commitment === undefined ? undefined : `${p.commitment}/h`, p.end === undefined ? undefined : `until ${p.end.slice(0, 10)}`].filter((x) => x !== undefined).join(', ')})`,
      ),
    );
  },
};
