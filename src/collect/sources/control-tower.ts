/**
 * AWS Control Tower enrollment (DESIGN §7 control-tower-unenrolled). With
 * trusted access for controltower.amazonaws.com off, Control Tower is not in
 * use: null. Otherwise the signal that decides is the Service Catalog
 * provisioned product Account Factory created when the account was enrolled:
 * SearchProvisionedProducts once (product "AWS Control Tower Account Factory"),
 * then GetProvisionedProductOutputs per enrolled account for its `AccountId`
 * output (the product's name is chosen at enrollment and proves nothing).
 * Control Tower's own ListEnabledBaselines is not in the installed SDK, so
 * `enabledBaselines` stays [] and `enrolledAccounts` carries the evidence.
 *
 * The products live in Control Tower's home region: the client's (`--region`,
 * else AWS_REGION, else us-east-1).
 */
import {
  GetProvisionedProductOutputsCommand,
  paginateSearchProvisionedProducts,
  ServiceCatalogClient,
} from '@aws-sdk/client-service-catalog';
import type { ControlTowerRecord } from '../../snapshot/types.js';
import { allPages, problem, read, readEach, SourceError } from '../errors.js';
import { trustedServicesOf } from './trusted-services.js';
import { organizationSource } from './types.js';

export const ACCOUNT_FACTORY = 'AWS Control Tower Account Factory';
const CONTROL_TOWER = 'controltower.amazonaws.com';

type Enrolled = NonNullable<ControlTowerRecord['enrolledAccounts']>[number];

export default organizationSource({
  id: 'service-catalog:SearchProvisionedProducts',
  scope: 'organization',
  vantage: 'management',
  field: 'controlTower',
  operations: [
    'service-catalog:SearchProvisionedProducts',
    'service-catalog:GetProvisionedProductOutputs',
  ],
  async collect(ctx) {
    let trusted;
    try {
      trusted = await trustedServicesOf(ctx);
    } catch (err) {
      const why = `trusted access for ${CONTROL_TOWER} is unknown: ${(err as Error).message}`;
      const code = err instanceof SourceError ? err.code : 'Error';
      return {
        errors: [new SourceError('service-catalog:SearchProvisionedProducts', problem(code, why))],
      };
    }
    if (!trusted.includes(CONTROL_TOWER)) return { value: null };
    const client = ctx.client(ServiceCatalogClient);
    const products = await read('service-catalog:SearchProvisionedProducts', () =>
      ctx.limit(() =>
        allPages(
          paginateSearchProvisionedProducts(
            { client, pageSize: 100 },
            {
              AccessLevelFilter: { Key: 'Account', Value: 'self' },
              Filters: { SearchQuery: [`productName:${ACCOUNT_FACTORY}`] },
            },
          ),
          (p) => p.ProvisionedProducts,
        ),
      ),
    );
    const factory = products.filter((p) => p.ProductName === ACCOUNT_FACTORY && p.Id !== undefined);
    const enrolled: Enrolled[] = [];
    const errors = await readEach(
      factory,
      ctx.limit,
      'service-catalog:GetProvisionedProductOutputs',
      () => undefined,
      async (p) => {
        const out = await client.send(
          new GetProvisionedProductOutputsCommand({
            ProvisionedProductId: p.Id!,
            OutputKeys: ['AccountId'],
          }),
        );
        const accountId = out.Outputs?.find((o) => o.OutputKey === 'AccountId')?.OutputValue;
        if (accountId === undefined || !/^\d{12}$/.test(accountId))
          throw problem(
            'IncompleteResult',
            `${p.Id!}: Account Factory product without an AccountId output`,
          );
        enrolled.push({
          accountId,
          provisionedProductId: p.Id!,
          ...(p.Status === undefined ? {} : { status: p.Status }),
        });
      },
    );
    if (errors.length > 0) return { errors };
    enrolled.sort((a, b) => a.accountId.localeCompare(b.accountId));
    return { value: { enabledBaselines: [], enrolledAccounts: enrolled } };
  },
});
