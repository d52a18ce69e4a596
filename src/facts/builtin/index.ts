/**
 * The built-in facts every rule can read (DESIGN §4.4): an explicit registry,
 * one line per fact. A rule naming a fact that is neither here nor provided by
 * a plugin is a load error.
 */
import type { Fact } from '../fact.js';
import { account } from './account.js';
import { attested } from './attested.js';
import { contactInformation } from './contact-information.js';
import { daysSinceJoined } from './days-since-joined.js';
import { delegatedAdminServices } from './delegated-admin-services.js';
import { invitation } from './invitation.js';
import { isManagementAccount } from './is-management-account.js';
import { paidSupportPlan } from './paid-support-plan.js';
import { phoneVerified } from './phone-verified.js';
import { principalVerdict } from './principal-verdict.js';
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
];
