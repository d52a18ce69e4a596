import { known, notCollected, type Fact } from '../fact.js';
import { listing } from './impact-listing.js';

/**
 * What stops for the account when a trusted-access service no longer treats
 * it as a member. A service not named here is listed too, as an
 * organization-wide integration (fail closed: it may cover the account).
 */
const COVERAGE: Readonly<Record<string, string>> = {
  'cloudtrail.amazonaws.com': 'organization trail stops logging the account',
  'config.amazonaws.com': 'organization Config rules stop evaluating the account',
  'config-multiaccountsetup.amazonaws.com': 'organization Config rules and conformance packs stop',
  'guardduty.amazonaws.com': 'GuardDuty stops monitoring the account for the organization',
  'securityhub.amazonaws.com': 'Security Hub stops aggregating its findings',
  'inspector2.amazonaws.com': 'Amazon Inspector stops scanning it for the organization',
  'macie.amazonaws.com': 'Macie stops covering its S3 buckets',
  'detective.amazonaws.com': 'Detective stops ingesting its data',
  'access-analyzer.amazonaws.com': 'the organization IAM Access Analyzer stops analyzing it',
  'fms.amazonaws.com': 'Firewall Manager policies stop applying',
  'backup.amazonaws.com': 'organization backup policies and monitoring stop',
  'ssm.amazonaws.com': 'Systems Manager organization features (Quick Setup, Explorer) stop',
  'health.amazonaws.com': 'organizational view of AWS Health stops including it',
  'securitylake.amazonaws.com': 'Security Lake stops collecting its logs',
  'auditmanager.amazonaws.com': 'Audit Manager stops collecting its evidence',
  'compute-optimizer.amazonaws.com': 'Compute Optimizer stops covering it for the organization',
  'reporting.trustedadvisor.amazonaws.com':
    'organizational Trusted Advisor reports stop including it',
  'storage-lens.s3.amazonaws.com': 'organization S3 Storage Lens stops including it',
  'ipam.amazonaws.com': 'organization IPAM stops managing its IP addresses',
  'license-manager.amazonaws.com': 'License Manager stops tracking its licenses',
  'account.amazonaws.com': 'the management account can no longer manage its contacts and Regions',
};

/** Services other impact rules decide on (Control Tower, Identity Center, RAM, StackSets). */
const DECIDED_ELSEWHERE = new Set([
  'controltower.amazonaws.com',
  'sso.amazonaws.com',
  'ram.amazonaws.com',
  'member.org.stacksets.cloudformation.amazonaws.com',
]);

export interface CoveringService {
  servicePrincipal: string;
  stops: string;
}

export const orgServicesCoverage: Fact = {
  name: 'orgServicesCoverage',
  description:
    '{ items: [ { servicePrincipal, stops } ], summary }: services with trusted access in the organization (organization trail, Config, GuardDuty, Security Hub, ...) whose organization-wide coverage stops for the account when it leaves; Control Tower, Identity Center, RAM and StackSets are left to their own rules',
  reads: ['trustedServices'],
  derive: (ctx) => {
    const trusted = ctx.snapshot.trustedServices;
    if (trusted === undefined) return notCollected(ctx, 'trustedServices', 'trusted services');
    const items = [...new Set(trusted)]
      .filter((s) => !DECIDED_ELSEWHERE.has(s))
      .sort()
      .map((s) => ({
        servicePrincipal: s,
        stops: COVERAGE[s] ?? 'organization-wide integration stops',
      }));
    return known(listing(items, (s) => `${s.servicePrincipal} (${s.stops})`));
  },
};
