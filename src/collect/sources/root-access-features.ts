/**
 * Centralized root access (DESIGN §7 root-credentials-recoverable):
 * iam:ListOrganizationsFeatures once per organization. Without trusted access
 * for IAM (ServiceAccessNotEnabledException) no feature can be on: [].
 */
import { IAMClient, ListOrganizationsFeaturesCommand } from '@aws-sdk/client-iam';
import { errorCode } from '../errors.js';
import { organizationSource } from './types.js';

export default organizationSource({
  id: 'iam:ListOrganizationsFeatures',
  scope: 'organization',
  vantage: 'management',
  field: 'rootAccessFeatures',
  operations: ['iam:ListOrganizationsFeatures'],
  async collect(ctx) {
    try {
      const out = await ctx.limit(() =>
        ctx.client(IAMClient).send(new ListOrganizationsFeaturesCommand({})),
      );
      return { value: [...(out.EnabledFeatures ?? [])].sort() };
    } catch (err) {
      if (errorCode(err) === 'ServiceAccessNotEnabledException') return { value: [] };
      throw err;
    }
  },
});
