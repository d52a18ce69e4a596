import { known, type Fact } from '../fact.js';
import type { AccountFact } from '../types.js';

/** The account record as rules read it, with its OU path (empty when it cannot be followed). */
export const account: Fact = {
  name: 'account',
  description: '{ id, name, email, state, joinedMethod, joinedTimestamp, parentId, ouPath }',
  reads: [],
  derive: (ctx) => {
    const a = ctx.account;
    const path = ctx.path;
    const value: AccountFact = {
      id: a.id,
      ouPath: typeof path === 'string' ? [] : path,
      ...(a.name !== undefined && { name: a.name }),
      ...(a.email !== undefined && { email: a.email }),
      ...(a.state !== undefined && { state: a.state }),
      ...(a.joinedMethod !== undefined && { joinedMethod: a.joinedMethod }),
      ...(a.joinedTimestamp !== undefined && { joinedTimestamp: a.joinedTimestamp }),
      ...(a.parentId !== undefined && { parentId: a.parentId }),
    };
    return known(value);
  },
};
