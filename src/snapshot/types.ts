/**
 * Snapshot v1 (contract, DESIGN §4.2; schema: schemas/snapshot.schema.json).
 *
 * A field that is ABSENT was not collected: rules that need it are unknown.
 * `null` means collected and there is none. `errors[]` says why something is absent.
 */
import type { JsonValue } from '../json.js';

export interface Tag {
  key: string;
  value: string;
}

export interface OrganizationInfo {
  id: string;
  arn?: string;
  featureSet: 'ALL' | 'CONSOLIDATED_BILLING';
  managementAccountId: string;
  managementAccountEmail?: string;
  /** SERVICE_CONTROL_POLICY enabled on the root. */
  scpEnabled: boolean;
}

export interface OrganizationalUnit {
  id: string;
  name: string;
  /** A root id (`r-...`) or an OU id. */
  parentId: string;
}

export interface ScpPolicy {
  id: string;
  name: string;
  awsManaged: boolean;
  /** The parsed policy document, untrusted: the policy evaluator validates it. */
  document: JsonValue;
  /** Root, OU or account ids the policy is attached to. */
  targets: string[];
}

export interface DelegatedAdministrator {
  accountId: string;
  servicePrincipal: string;
}

export interface ContactInformation {
  fullName?: string;
  companyName?: string;
  addressLine1?: string;
  addressLine2?: string;
  addressLine3?: string;
  city?: string;
  stateOrRegion?: string;
  districtOrCounty?: string;
  postalCode?: string;
  countryCode?: string;
  phoneNumber?: string;
  websiteUrl?: string;
  /** GetContactInformation's top-level VerificationStatus (VERIFIED, UNVERIFIED, NOT_SUPPORTED, ...). */
  verificationStatus?: string;
}

/** The principal that will call LeaveOrganization (normally the member role). */
export interface PrincipalInfo {
  /** The role (or user) ARN with its path, never a session ARN. */
  arn: string;
  /** Principal tags; absent = not collected. */
  tags?: Record<string, string>;
  /** Identity policy documents (inline and attached managed, default versions); absent = not collected. */
  identityPolicies?: JsonValue[];
  /** Optional names parallel to identityPolicies (e.g. `inline:LeavePolicy`, a managed policy ARN). */
  identityPolicyNames?: string[];
  /** Boundary document; null = no boundary; absent = not collected. */
  permissionsBoundary?: JsonValue | null;
  /** The boundary policy's ARN when there is one. */
  permissionsBoundaryArn?: string;
}

// --- What breaks when the account goes (DESIGN §7) and direct transfer (§8) ---
// Absent = not collected (rules reading it are unknown); [] / null = read, none.

/** A StackSet with its instances (listed once per StackSet, not per account). */
export interface StackSetRecord {
  name: string;
  id?: string;
  arn?: string;
  /** SERVICE_MANAGED (deploys through Organizations) or SELF_MANAGED. */
  permissionModel: string;
  /** Service-managed only; null = none reported. */
  autoDeployment: { enabled: boolean; retainStacksOnAccountRemoval: boolean } | null;
  /** ACTIVE or DELETED. */
  status?: string;
  /** How it was read: as the management account (SELF) or a CloudFormation delegated admin. */
  callAs: 'SELF' | 'DELEGATED_ADMIN';
  instances: { accountId: string; region: string; status?: string; stackId?: string }[];
}

/** One IAM Identity Center permission set and where it is provisioned. */
export interface PermissionSetRecord {
  arn: string;
  name: string;
  /** Accounts it is provisioned to, each with its assignments (who loses access). */
  accounts: {
    accountId: string;
    /** Absent when the account's assignments could not be read. */
    assignments?: { principalType: string; principalId: string }[];
  }[];
}

export interface IdentityCenterRecord {
  instanceArn: string;
  identityStoreId?: string;
  /** The account the instance lives in (management or delegated admin). */
  ownerAccountId?: string;
  permissionSets: PermissionSetRecord[];
}

/** An organization policy other than an SCP (RCP, tag, backup, AI opt-out, declarative, ...). */
export interface OrganizationPolicyRecord {
  id: string;
  name: string;
  /** RESOURCE_CONTROL_POLICY, TAG_POLICY, BACKUP_POLICY, AISERVICES_OPT_OUT_POLICY, ... (open string). */
  type: string;
  awsManaged: boolean;
  /** Root, OU or account ids it is attached to. */
  targets: string[];
}

/** Control Tower as its own API shows it (trusted access for controltower.amazonaws.com). */
export interface ControlTowerRecord {
  /** Baselines enabled on OUs or accounts (ListEnabledBaselines): an enrolled account is under one. */
  enabledBaselines: { targetIdentifier: string; baselineIdentifier: string; status?: string }[];
  /**
   * Accounts enrolled through Account Factory (the Service Catalog provisioned
   * product of their enrollment, its `AccountId` output); absent when not read
   * this way. The collector reads this, not ListEnabledBaselines (docs/collect.md).
   */
  enrolledAccounts?: { accountId: string; provisionedProductId: string; status?: string }[];
}

/** A RAM share the account takes part in. */
export interface RamShareRecord {
  arn: string;
  name: string;
  /** SELF: the account shares it; OTHER-ACCOUNTS: it is shared with the account. */
  owner: 'SELF' | 'OTHER-ACCOUNTS';
  ownerAccountId?: string;
  status?: string;
  /** The share reaches (or is shared to) the organization or one of its OUs. */
  viaOrganization: boolean;
  /** Absent when AWS did not report it. */
  retainSharingOnAccountLeaveOrganization?: boolean;
}

export interface SavingsPlanRecord {
  id: string;
  arn?: string;
  /** active, queued, retired, ... */
  state: string;
  type?: string;
  commitment?: string;
  end?: string;
}

/** Root user credentials as the member shows them (centralized root access, sts:AssumeRoot). */
export interface RootCredentialsRecord {
  /** iam:GetAccountSummary AccountPasswordPresent, read through sts:AssumeRoot. */
  passwordPresent: boolean;
  mfaPresent?: boolean;
}

/** A handshake the member account sees (organizations:ListHandshakesForAccount). */
export interface HandshakeRecord {
  id: string;
  arn?: string;
  /** INVITE, ... */
  action: string;
  /** OPEN, ACCEPTED, DECLINED, CANCELED, EXPIRED, REQUESTED. */
  state: string;
  /** The organization that invited (parties of type ORGANIZATION). */
  organizationId?: string;
  /** Who invited: the target organization's management account, when shown. */
  requestedBy?: string;
  requestedTimestamp?: string;
  expirationTimestamp?: string;
}

/** A payment instrument on the account (payments:ListPaymentInstruments, if it answers). */
export interface PaymentInstrumentRecord {
  id?: string;
  /** ACTIVE, INVALID, ... */
  status: string;
  type?: string;
}

export interface AccountRecord {
  id: string;
  name?: string;
  email?: string;
  arn?: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE, ... (open string). */
  state?: string;
  joinedMethod?: 'CREATED' | 'INVITED';
  joinedTimestamp?: string;
  parentId?: string;
  tags?: Tag[];
  principal?: PrincipalInfo;
  contactInformation?: ContactInformation | null;
  paidSupportPlan?: boolean;
  /** RAM shares the account owns or receives (member vantage). */
  ramShares?: RamShareRecord[];
  /** Savings Plans the account owns (member vantage). */
  savingsPlans?: SavingsPlanRecord[];
  /** Root credentials; null = centralized root access is off (nothing to check). */
  rootCredentials?: RootCredentialsRecord | null;
  /** Handshakes the member sees (direct transfer). */
  handshakes?: HandshakeRecord[];
  /** Payment instruments; absent when the API did not answer. */
  paymentInstruments?: PaymentInstrumentRecord[];
}

export interface CollectionError {
  /** The account the error is about; absent for organization-level errors. */
  accountId?: string;
  /** `service:Operation`, e.g. `account:GetContactInformation`. */
  source: string;
  /** AWS error name, e.g. `AccessDeniedException`. */
  code: string;
  message: string;
}

export interface Snapshot {
  schemaVersion: 1;
  collectedAt: string;
  organization?: OrganizationInfo;
  rootId?: string;
  organizationalUnits?: OrganizationalUnit[];
  policies?: ScpPolicy[];
  delegatedAdministrators?: DelegatedAdministrator[];
  /** Service principals with trusted access enabled (extension). */
  trustedServices?: string[];
  /** Policy types enabled on the root (ListRoots PolicyTypes), SCPs included. */
  enabledPolicyTypes?: string[];
  /** Organization policies other than SCPs, with their targets. */
  organizationPolicies?: OrganizationPolicyRecord[];
  /** StackSets visible to the management account or the CloudFormation delegated admin. */
  stackSets?: StackSetRecord[];
  /** IAM Identity Center; null = no instance. */
  identityCenter?: IdentityCenterRecord | null;
  /** Control Tower; null = trusted access for controltower.amazonaws.com is off (not in use). */
  controlTower?: ControlTowerRecord | null;
  /** iam:ListOrganizationsFeatures: RootCredentialsManagement, RootSessions. */
  rootAccessFeatures?: string[];
  accounts: AccountRecord[];
  errors: CollectionError[];
  /** How the snapshot was made (extension): tool version and API call counts. */
  collector?: {
    tool?: string;
    version?: string;
    scope?: 'all' | 'accounts' | 'offline';
    durationMs?: number;
    apiCalls?: Record<string, number>;
    /** false: the organization's account list could not be read in full (accounts may be missing). */
    accountsComplete?: boolean;
  };
}
