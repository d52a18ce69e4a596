/** Service principals with trusted access in the organization (decides where contacts are read). */
import {
  OrganizationsClient,
  paginateListAWSServiceAccessForOrganization,
} from '@aws-sdk/client-organizations';
import { allPages } from '../errors.js';
import { PAGE } from '../walk.js';
import { organizationSource } from './types.js';

export default organizationSource({
  id: 'organizations:ListAWSServiceAccessForOrganization',
  scope: 'organization',
  vantage: 'management',
  field: 'trustedServices',
  operations: ['organizations:ListAWSServiceAccessForOrganization'],
  async collect(ctx) {
    const client = ctx.client(OrganizationsClient);
    const list = await ctx.limit(() =>
      allPages(
        paginateListAWSServiceAccessForOrganization({ client, pageSize: PAGE }, {}),
        (p) => p.EnabledServicePrincipals,
      ),
    );
    const value = list
      .map((e) => e.ServicePrincipal ?? '')
      .filter((p) => p !== '')
      .sort();
    return { value };
  },
});
