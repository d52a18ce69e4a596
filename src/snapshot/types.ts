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
