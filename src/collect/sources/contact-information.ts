/**
 * Contact information with its phone verification status (P5a, P5b): null
 * when the account has none (ResourceNotFoundException). Read from the
 * management account when it is the management account or trusted access
 * for account.amazonaws.com is on (no member session needed), else as the member.
 */
import { AccountClient, GetContactInformationCommand } from '@aws-sdk/client-account';
import type { ContactInformation } from '../../snapshot/types.js';
import { errorCode } from '../errors.js';
import { accountSource } from './types.js';

const FIELDS: readonly [keyof ContactInformation, string][] = [
  ['fullName', 'FullName'],
  ['companyName', 'CompanyName'],
  ['addressLine1', 'AddressLine1'],
  ['addressLine2', 'AddressLine2'],
  ['addressLine3', 'AddressLine3'],
  ['city', 'City'],
  ['stateOrRegion', 'StateOrRegion'],
  ['districtOrCounty', 'DistrictOrCounty'],
  ['postalCode', 'PostalCode'],
  ['countryCode', 'CountryCode'],
  ['phoneNumber', 'PhoneNumber'],
  ['websiteUrl', 'WebsiteUrl'],
];

export default accountSource({
  id: 'account:GetContactInformation',
  scope: 'account',
  vantage: (account) =>
    account.isManagement || (account.trustedServices ?? []).includes('account.amazonaws.com')
      ? 'management'
      : 'member',
  field: 'contactInformation',
  operations: ['account:GetContactInformation'],
  async collect(ctx) {
    // From the management account, another account's contacts need its id.
    const byId = ctx.session.kind === 'management' && !ctx.isManagement;
    let out;
    try {
      out = await ctx
        .client(AccountClient)
        .send(new GetContactInformationCommand(byId ? { AccountId: ctx.accountId } : {}));
    } catch (err) {
      if (errorCode(err) === 'ResourceNotFoundException') return { value: null };
      throw err;
    }
    const c = out.ContactInformation as Record<string, unknown> | undefined;
    if (c === undefined) return { value: null };
    const info: ContactInformation = {};
    for (const [key, aws] of FIELDS) {
      const v = c[aws];
      if (typeof v === 'string') info[key] = v;
    }
    if (out.VerificationStatus !== undefined) info.verificationStatus = out.VerificationStatus;
    return { value: info };
  },
});
