/**
 * Proxy handlers for the operations moto does not implement
 * (account:GetContactInformation, support:DescribeSeverityLevels), answering
 * per account from a table so tests can give every account its own facts.
 */
import { awsError, jsonResponse } from './aws-proxy.js';
import type { ProxyHandler } from './aws-proxy.js';

/** What the fake AWS says about one account. */
export interface FakeAccountFacts {
  /** AWS-shaped ContactInformation; null = none (ResourceNotFoundException); a string = that error code. */
  contact?: Record<string, string> | null | string;
  /** GetContactInformation's top-level VerificationStatus. */
  verificationStatus?: string;
  /** true = paid plan; false = SubscriptionRequiredException; a string = that error code. */
  support?: boolean | string;
}

/** A complete contact in AWS's shape. */
export const COMPLETE_CONTACT: Record<string, string> = {
  FullName: 'Jane Doe',
  AddressLine1: '1 Main St',
  City: 'Seattle',
  PostalCode: '98101',
  CountryCode: 'US',
  PhoneNumber: '+12065550100',
  StateOrRegion: 'WA',
};

const DEFAULT_FACTS: FakeAccountFacts = {
  contact: COMPLETE_CONTACT,
  verificationStatus: 'VERIFIED',
  support: false,
};

/**
 * Handlers keyed `account:GetContactInformation` and
 * `support:DescribeSeverityLevels`. The account is the request's AccountId
 * (management view) or the member whose assumed-role credentials signed it;
 * calls signed by anyone else are answered for `managementAccountId`.
 */
export function missingOperationHandlers(
  facts: (accountId: string) => FakeAccountFacts | undefined,
  managementAccountId?: string,
): Record<string, ProxyHandler> {
  const lookup = (accountId: string | undefined): FakeAccountFacts => ({
    ...DEFAULT_FACTS,
    ...(accountId === undefined ? {} : facts(accountId)),
  });
  return {
    'account:GetContactInformation': (req) => {
      const body = (req.json ?? {}) as { AccountId?: string };
      const accountId = body.AccountId ?? req.callerAccountId ?? managementAccountId;
      const f = lookup(accountId);
      if (f.contact === null) {
        return awsError(req, 'ResourceNotFoundException', 'No contact information found', 404);
      }
      if (typeof f.contact === 'string') {
        return awsError(req, f.contact, `${f.contact} for account ${accountId ?? '?'}`, 403);
      }
      return jsonResponse({
        ContactInformation: f.contact,
        ...(f.verificationStatus === undefined ? {} : { VerificationStatus: f.verificationStatus }),
      });
    },
    'support:DescribeSeverityLevels': (req) => {
      const f = lookup(req.callerAccountId ?? managementAccountId);
      if (f.support === true) {
        return jsonResponse({
          severityLevels: [
            { code: 'low', name: 'Low' },
            { code: 'normal', name: 'Normal' },
          ],
        });
      }
      if (f.support === false || f.support === undefined) {
        return awsError(
          req,
          'SubscriptionRequiredException',
          'AWS Premium Support Subscription is required to use this service.',
        );
      }
      return awsError(req, f.support, `${f.support}`, 400);
    },
  };
}
