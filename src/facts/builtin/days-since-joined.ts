import { known, unknown, type Fact } from '../fact.js';

const DAY_MS = 86_400_000;

export const daysSinceJoined: Fact = {
  name: 'daysSinceJoined',
  description: 'fractional days from joinedTimestamp to the evaluation time',
  reads: [],
  derive: (ctx) => {
    const t = ctx.account.joinedTimestamp;
    const joined = t === undefined ? NaN : Date.parse(t);
    if (!Number.isNaN(joined)) return known((ctx.now - joined) / DAY_MS);
    return unknown(
      'joined timestamp not collected',
      'collect again from the management account: organizations:ListAccountsForParent reports JoinedTimestamp',
    );
  },
};
