/**
 * Public types of the pure IAM/SCP evaluator for one action
 * (`organizations:LeaveOrganization`) and one request context.
 * No AWS SDK import anywhere under src/policy/.
 */
import type { JsonValue } from '../json.js';

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny' | 'conditional' | 'error';

/** A policy as given to the evaluator: identity for explanations, raw (untrusted) document. */
export interface PolicyInput {
  id: string;
  name: string;
  document: JsonValue;
}

/** One level of the SCP chain: the root, each OU in order, then the account. */
export interface ScpLevel {
  kind: 'root' | 'ou' | 'account';
  id: string;
  name?: string;
  /** SCPs attached directly to this level. */
  policies: PolicyInput[];
}

/** What is known about the principal that will make the call. */
export interface PrincipalContext {
  /** Role or user ARN with its path (an assumed-role session ARN is mapped to its role). */
  arn: string;
  /** Account the principal belongs to (12 digits). */
  accountId: string;
  /** Organization id, when known. */
  orgId?: string;
  /** Principal tags; undefined = not collected (conditions on them become unknown keys). */
  tags?: Record<string, string> | undefined;
}

/** Which condition keys the verdict depended on and how. */
export interface ConditionTrace {
  operator: string;
  key: string;
  /** The policy's values for this key. */
  values: JsonValue[];
  /** The request context's value(s); undefined = absent; 'unknown' = not knowable before the call. */
  contextValue?: string[] | 'unknown';
  /** true/false: evaluated; 'unknown': depends on how the call is made. */
  result: boolean | 'unknown';
}

/** A statement that mattered for the verdict. */
export interface StatementRef {
  level?: { kind: 'root' | 'ou' | 'account'; id: string; name?: string };
  policyId: string;
  policyName: string;
  statementIndex: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** Why it applied or did not: action/resource match and the condition trace. */
  reason?: string;
  conditions?: ConditionTrace[];
}

/**
 * The evaluator's answer, a value (never thrown).
 * `summary` is one plain-language line suitable for a report message.
 */
export interface Verdict {
  decision: Decision;
  summary: string;
  /** explicitDeny: the matching Deny statement(s). */
  deniedBy?: StatementRef[];
  /** implicitDeny: the first level without an applicable Allow. */
  missingAllowAt?: {
    kind: 'root' | 'ou' | 'account' | 'identity' | 'boundary';
    id?: string;
    name?: string;
  };
  /** implicitDeny: Allow statements at that level that did not match, and why. */
  unmatchedAllows?: StatementRef[];
  /** conditional: the context keys the outcome depends on. */
  dependsOn?: string[];
  /** conditional: statements whose outcome is undetermined. */
  undetermined?: StatementRef[];
  /** Who could leave despite a Deny (from an exemption condition on the principal), in plain words. */
  exemptions?: string[];
  /** error: what is malformed, where. */
  error?: {
    policyId?: string;
    statementIndex?: number;
    /** 'empty-values': a condition lists no values (an unfilled template); 'chain': the levels are not root..account. */
    code?: 'malformed' | 'empty-values' | 'chain';
    reason: string;
  };
  /** Context facts assumed and why (e.g. "aws:CalledVia absent: leavegate calls directly"). */
  assumptions?: string[];
  /** SCPs not applicable at all (management account, service-linked role, SCPs disabled). */
  notApplicable?: string;
  /**
   * conditional: concrete values of the unknown keys tried and the decision each gives
   * (null = key absent), so a report can say which values would deny.
   */
  scenarios?: Array<{ when: Record<string, string | null>; decision: Decision }>;
}

export interface ScpEvaluationInput {
  levels: ScpLevel[];
  principal: PrincipalContext;
  isManagementAccount: boolean;
  /** false when the org is not in ALL features or the SCP policy type is not enabled. */
  scpEnabled: boolean;
  /**
   * Values for request-context keys the evaluator cannot know by itself (e.g. a caller who
   * knows the call will be made with MFA); null = the key is absent. Keys are case-insensitive.
   */
  requestContext?: Record<string, string | string[] | null>;
}

export interface IdentityEvaluationInput {
  principal: PrincipalContext;
  identityPolicies: PolicyInput[];
  /** null = no permissions boundary. */
  permissionsBoundary: PolicyInput | null;
  /** As in ScpEvaluationInput: known values of call-dependent keys; null = absent. */
  requestContext?: Record<string, string | string[] | null>;
}
