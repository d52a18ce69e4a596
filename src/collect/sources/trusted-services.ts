/** Service principals with trusted access in the organization (decides where contacts are read). */
import {
  OrganizationsClient,
  paginateListAWSServiceAccessForOrganization,
} from '@aws-sdk/client-organizations';
import { allPages, read } from '../errors.js';
import { PAGE } from '../walk.js';
import { organizationSource } from './types.js';
import type { OrganizationContext } from './types.js';

/**
 * The trusted services, read once per run however many organization sources
 * ask (Control Tower and Identity Center decide from them too).
 */
export function trustedServicesOf(ctx: OrganizationContext): Promise<string[]> {
  return ctx.once('organizations:ListAWSServiceAccessForOrganization', () =>
    read('organizations:ListAWSServiceAccessForOrganization', async () => {
      const client = ctx.client(OrganizationsClient);
      const list = await ctx.limit(() =>
        allPages(
          paginateListAWSServiceAccessForOrganization({ client, pageSize: PAGE }, {}),
          (p) => p.EnabledServicePrincipals,
        ),
      );
      return list
        .map((e) => e.ServicePrincipal ?? '')
        .filter((p) => p !== '')
        .sort();
    }),
  );
}

export default organizationSource({
  id: 'organizations:ListAWSServiceAccessForOrganization',
  scope: 'organization',
  vantage: 'management',
  field: 'trustedServices',
  operations: ['organizations:ListAWSServiceAccessForOrganization'],
  async collect(ctx) {
    return { value: await trustedServicesOf(ctx) };
  },
});
