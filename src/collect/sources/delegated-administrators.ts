/**
 * Delegated administrators and the services each is registered for (P7):
 * ListDelegatedAdministrators once per organization, then one
 * ListDelegatedServicesForAccount per administrator (usually a handful).
 */
import {
  OrganizationsClient,
  paginateListDelegatedAdministrators,
  paginateListDelegatedServicesForAccount,
} from '@aws-sdk/client-organizations';
import type { DelegatedAdministrator } from '../../snapshot/types.js';
import { allPages, problem, read, readEach } from '../errors.js';
import { PAGE } from '../walk.js';
import { organizationSource } from './types.js';

export default organizationSource({
  id: 'organizations:ListDelegatedAdministrators',
  scope: 'organization',
  vantage: 'management',
  field: 'delegatedAdministrators',
  operations: [
    'organizations:ListDelegatedAdministrators',
    'organizations:ListDelegatedServicesForAccount',
  ],
  async collect(ctx) {
    const client = ctx.client(OrganizationsClient);
    const admins = await read('organizations:ListDelegatedAdministrators', () =>
      ctx.limit(() =>
        allPages(
          paginateListDelegatedAdministrators({ client, pageSize: PAGE }, {}),
          (p) => p.DelegatedAdministrators,
        ),
      ),
    );
    const out: DelegatedAdministrator[] = [];
    const errors = await readEach(
      admins,
      ctx.limit,
      'organizations:ListDelegatedServicesForAccount',
      (a) => a.Id,
      async ({ Id: accountId }) => {
        // Dropping a listed administrator would let not-delegated-admin pass for it.
        if (accountId === undefined)
          throw problem('IncompleteResult', 'a delegated administrator was listed without its id');
        const services = await allPages(
          paginateListDelegatedServicesForAccount(
            { client, pageSize: PAGE },
            { AccountId: accountId },
          ),
          (p) => p.DelegatedServices,
        );
        const principals = services
          .map((d) => d.ServicePrincipal)
          .filter((p): p is string => p !== undefined);
        if (principals.length === 0) {
          throw problem(
            'IncompleteResult',
            `${accountId} is a delegated administrator, but no service was listed for it`,
          );
        }
        for (const servicePrincipal of principals) out.push({ accountId, servicePrincipal });
      },
    );
    if (errors.length > 0) return { errors };
    out.sort(
      (x, y) =>
        x.accountId.localeCompare(y.accountId) ||
        x.servicePrincipal.localeCompare(y.servicePrincipal),
    );
    return { value: out };
  },
});
