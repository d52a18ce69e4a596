/**
 * The registry: every AWS source collection runs, in this order. Adding a
 * source is one file in this folder and one line here (docs/collect.md).
 */
import accountTags from './account-tags.js';
import contactInformation from './contact-information.js';
import controlTower from './control-tower.js';
import delegatedAdministrators from './delegated-administrators.js';
import identityCenter from './identity-center.js';
import organizationPolicies from './organization-policies.js';
import handshakes from './handshakes.js';
import principal from './principal.js';
import ramShares from './ram-shares.js';
import rootAccessFeatures from './root-access-features.js';
import rootCredentials from './root-credentials.js';
import savingsPlans from './savings-plans.js';
import scpPolicies from './scp-policies.js';
import stackSets from './stack-sets.js';
import supportPlan from './support-plan.js';
import trustedServices from './trusted-services.js';
import type { AccountSource, Operation, OrganizationSource, Source, SourceId } from './types.js';

export const SOURCES: readonly Source[] = [
  scpPolicies,
  delegatedAdministrators,
  trustedServices,
  organizationPolicies,
  stackSets,
  identityCenter,
  controlTower,
  rootAccessFeatures,
  accountTags,
  contactInformation,
  rootCredentials,
  principal,
  supportPlan,
  ramShares,
  savingsPlans,
  handshakes,
];

export const ORGANIZATION_SOURCES = SOURCES.filter(
  (s): s is OrganizationSource => s.scope === 'organization',
);
export const ACCOUNT_SOURCES = SOURCES.filter((s): s is AccountSource => s.scope === 'account');

/** The source an `errors[].source` operation belongs to (undefined: the walks or caller identification). */
export function sourceOf(operation: string): SourceId | undefined {
  return SOURCES.find((s) => (s.operations as readonly string[]).includes(operation))?.id;
}

export type { Operation };
export { OPERATIONS, SOURCE_IDS } from './ids.js';
export type * from './types.js';
