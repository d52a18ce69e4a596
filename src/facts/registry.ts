/**
 * The built-in facts every rule can read (DESIGN §4.4). An explicit registry,
 * not directory magic: a rule naming a fact that is neither here nor provided
 * by a plugin is a load error.
 */
export const BUILTIN_FACTS: Readonly<Record<string, string>> = {
  account: '{ id, name, email, state, joinedMethod, joinedTimestamp, parentId, ouPath }',
  isManagementAccount: 'true when the account is the management account',
  daysSinceJoined: 'fractional days from joinedTimestamp to the evaluation time',
  delegatedAdminServices: 'service principals the account is delegated administrator for',
  tags: '[ { key, value } ] tags on the account object',
  contactInformation:
    'contact information object (a field with no visible character reads as empty), or null when there is none',
  paidSupportPlan: 'true when a paid support plan is visible through the Support API',
  attested:
    'valid (unexpired, not contradicted by the API nor by each other) attestations, e.g. { paymentMethodPresent: true }',
  phoneVerified: 'VerificationStatus VERIFIED (API), else a valid phoneVerified attestation',
  supportPlanChosen: 'a paid plan seen through the API, else a valid supportPlanChosen attestation',
  scpVerdict: '{ decision, summary, ... } SCP chain verdict for the principal',
  principalVerdict: '{ decision, summary, ... } identity policies and boundary verdict',
};
