/** The account's tags (P9): they are deleted when it leaves, so they are inventoried first. */
import { OrganizationsClient, paginateListTagsForResource } from '@aws-sdk/client-organizations';
import { allPages } from '../errors.js';
import { accountSource } from './types.js';

export default accountSource({
  id: 'organizations:ListTagsForResource',
  scope: 'account',
  vantage: 'management',
  field: 'tags',
  operations: ['organizations:ListTagsForResource'],
  async collect(ctx) {
    // Tags exist only for accounts the organization knows.
    if (ctx.record.state === undefined && ctx.record.name === undefined) return {};
    const tags = await allPages(
      paginateListTagsForResource(
        { client: ctx.client(OrganizationsClient) },
        { ResourceId: ctx.accountId },
      ),
      (p) => p.Tags,
    );
    return { value: tags.map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })) };
  },
});
