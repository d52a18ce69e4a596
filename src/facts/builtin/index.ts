/**
 * The built-in facts every rule can read (DESIGN §4.4): an explicit registry,
 * one line per fact. A rule naming a fact that is neither here nor provided by
 * a plugin is a load error.
 */
import type { Fact } from '../fact.js';
import { account } from './account.js';
import { attested } from './attested.js';
import { contactInformation } from './contact-information.js';
import { controlTowerEnrollment } from './control-tower-enrollment.js';
import { daysSinceJoined } from './days-since-joined.js';
import { delegatedAdminServices } from './delegated-admin-services.js';
import { invitation } from './invitation.js';
import { deletingStackSets } from './deleting-stack-sets.js';
import { identityCenterAccess } from './identity-center-access.js';
import { isManagementAccount } from './is-management-account.js';
import { orgPoliciesOnPath } from './org-policies-on-path.js';
import { orgServicesCoverage } from './org-services-coverage.js';
import { paidSupportPlan } from './paid-support-plan.js';
import { phoneVerified } from './phone-verified.js';
import { principalVerdict } from './principal-verdict.js';
import { ramSharesAtRisk } from './ram-shares-at-risk.js';
import { rootCredentialsRecoverable } from './root-credentials-recoverable.js';
import { savingsPlansOwned } from './savings-plans-owned.js';
import { scpVerdict } from './scp-verdict.js';
import { supportPlanChosen } from './support-plan-chosen.js';
import { tags } from './tags.js';
import { principalVerdictForTransfer } from './transfer-principal-verdict.js';
import { scpVerdictForTransfer } from './transfer-scp-verdict.js';

export const BUILTIN_FACT_UNITS: readonly Fact[] = [
  account,
  isManagementAccount,
  daysSinceJoined,
  delegatedAdminServices,
  tags,
  contactInformation,
  paidSupportPlan,
  attested,
  phoneVerified,
  supportPlanChosen,
  scpVerdict,
  principalVerdict,
  invitation,
  scpVerdictForTransfer,
  principalVerdictForTransfer,
  // What changes when the account leaves (DESIGN §7).
  deletingStackSets,
  controlTowerEnrollment,
  rootCredentialsRecoverable,
  identityCenterAccess,
  ramSharesAtRisk,
  orgServicesCoverage,
  orgPoliciesOnPath,
  savingsPlansOwned,
];
