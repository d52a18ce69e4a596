/**
 * Proxy handlers for the operations moto does not implement
 * (account:GetContactInformation, support:DescribeSeverityLevels, and for the
 * impact sources savingsplans:DescribeSavingsPlans, ram:GetResourceShares for
 * OTHER-ACCOUNTS, iam:ListOrganizationsFeatures, sts:AssumeRoot with
 * iam:GetAccountSummary as the root session, Service Catalog's Account
 * Factory products), answering per account from a table so tests can give
 * every account its own facts. Unset facts answer "none".
 */
import { awsError, jsonResponse } from './aws-proxy.js';
import type { ProxyHandler, ProxyResponse } from './aws-proxy.js';

/** What the fake AWS says about one account. */
export interface FakeAccountFacts {
  /** AWS-shaped ContactInformation; null = none (ResourceNotFoundException); a string = that error code. */
  contact?: Record<string, string> | null | string;
  /** GetContactInformation's top-level VerificationStatus. */
  verificationStatus?: string;
  /** true = paid plan; false = SubscriptionRequiredException; a string = that error code. */
  support?: boolean | string;
  /** AWS-shaped Savings Plans (DescribeSavingsPlans filters them by state); a string = that error code. */
  savingsPlans?: Record<string, unknown>[] | string;
  /** AWS-shaped shares received from other accounts (moto answers OTHER-ACCOUNTS with a 404). */
  receivedShares?: Record<string, unknown>[];
  /** GetAccountSummary through sts:AssumeRoot; a string = AssumeRoot fails with that code. */
  root?: { password: boolean; mfa: boolean } | string;
}

/** What the fake AWS says about the organization. */
export interface FakeOrganizationFacts {
  /** iam:ListOrganizationsFeatures EnabledFeatures (default none); a string = that error code. */
  rootAccessFeatures?: string[] | string;
  /** Control Tower Account Factory provisioned products (Service Catalog). */
  accountFactory?: { id: string; accountId: string; status?: string }[];
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
  root: { password: true, mfa: true },
};

// Access keys of the fake root sessions: the account id follows the prefix.
const ROOT_KEY = 'ASIAFAKEROOT';

/** A query-protocol (XML) success answer. */
function xmlResponse(operation: string, namespace: string, result: string): ProxyResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body:
      `<${operation}Response xmlns="${namespace}"><${operation}Result>${result}</${operation}Result>` +
      `<ResponseMetadata><RequestId>proxy</RequestId></ResponseMetadata></${operation}Response>`,
  };
}

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Handlers for what moto lacks of the impact sources (DESIGN §7). */
function impactHandlers(
  lookup: (accountId: string | undefined) => FakeAccountFacts,
  org: FakeOrganizationFacts,
  managementAccountId: string | undefined,
): Record<string, ProxyHandler> {
  return {
    'savingsplans:DescribeSavingsPlans': (req) => {
      const f = lookup(req.callerAccountId ?? managementAccountId);
      if (typeof f.savingsPlans === 'string')
        return awsError(req, f.savingsPlans, f.savingsPlans, 403);
      const states = (req.json as { states?: string[] } | undefined)?.states;
      const plans = (f.savingsPlans ?? []).filter(
        (p) => states === undefined || states.includes(String(p.state)),
      );
      return jsonResponse({ savingsPlans: plans });
    },
    'ram:GetResourceShares': (req) => {
      if ((req.json as { resourceOwner?: string } | undefined)?.resourceOwner !== 'OTHER-ACCOUNTS')
        return undefined;
      return jsonResponse({ resourceShares: lookup(req.callerAccountId).receivedShares ?? [] });
    },
    'iam:ListOrganizationsFeatures': (req) => {
      const features = org.rootAccessFeatures ?? [];
      if (typeof features === 'string') return awsError(req, features, features, 400);
      const members = features.map((f) => `<member>${f}</member>`).join('');
      return xmlResponse(
        'ListOrganizationsFeatures',
        IAM_NS,
        `<EnabledFeatures>${members}</EnabledFeatures>`,
      );
    },
    'sts:AssumeRoot': (req) => {
      const target = req.params.TargetPrincipal ?? '';
      const f = lookup(target);
      if (typeof f.root === 'string') return awsError(req, f.root, `${f.root} for ${target}`, 403);
      const expiration = new Date(Date.now() + 900_000).toISOString();
      return xmlResponse(
        'AssumeRoot',
        STS_NS,
        `<Credentials><AccessKeyId>${ROOT_KEY}${target}</AccessKeyId><SecretAccessKey>root</SecretAccessKey>` +
          `<SessionToken>root</SessionToken><Expiration>${expiration}</Expiration></Credentials>`,
      );
    },
    'iam:GetAccountSummary': (req) => {
      if (req.accessKeyId?.startsWith(ROOT_KEY) !== true) return undefined;
      const root = lookup(req.accessKeyId.slice(ROOT_KEY.length)).root;
      const r = typeof root === 'object' ? root : { password: true, mfa: true };
      const entry = (k: string, v: boolean) =>
        `<entry><key>${k}</key><value>${v ? 1 : 0}</value></entry>`;
      return xmlResponse(
        'GetAccountSummary',
        IAM_NS,
        `<SummaryMap>${entry('AccountPasswordPresent', r.password)}${entry('AccountMFAEnabled', r.mfa)}</SummaryMap>`,
      );
    },
    'service-catalog:SearchProvisionedProducts': () =>
      jsonResponse({
        ProvisionedProducts: (org.accountFactory ?? []).map((p) => ({
          Id: p.id,
          Name: `Enroll-${p.accountId}`,
          ProductName: 'AWS Control Tower Account Factory',
          Status: p.status ?? 'AVAILABLE',
        })),
      }),
    'service-catalog:GetProvisionedProductOutputs': (req) => {
      const id = (req.json as { ProvisionedProductId?: string } | undefined)?.ProvisionedProductId;
      const p = (org.accountFactory ?? []).find((x) => x.id === id);
      if (p === undefined)
        return awsError(req, 'ResourceNotFoundException', `${id ?? '?'} not found`);
      return jsonResponse({ Outputs: [{ OutputKey: 'AccountId', OutputValue: p.accountId }] });
    },
  };
}

/**
 * Handlers keyed `account:GetContactInformation` and
 * `support:DescribeSeverityLevels`. The account is the request's AccountId
 * (management view) or the member whose assumed-role credentials signed it;
 * calls signed by anyone else are answered for `managementAccountId`.
 */
export function missingOperationHandlers(
  facts: (accountId: string) => FakeAccountFacts | undefined,
  managementAccountId?: string,
  org: FakeOrganizationFacts = {},
): Record<string, ProxyHandler> {
  const lookup = (accountId: string | undefined): FakeAccountFacts => ({
    ...DEFAULT_FACTS,
    ...(accountId === undefined ? {} : facts(accountId)),
  });
  return {
    ...impactHandlers(lookup, org, managementAccountId),
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
