/**
 * Public types of the pure IAM/SCP evaluator: one action (by default
 * `organizations:LeaveOrganization`) or a set of them, and one request context.
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

export type Tri = boolean | 'unknown';

/**
 * Who a Deny statement leaves out, read from a negated condition on the principal
 * (ArnNotLike aws:PrincipalArn, StringNotEquals aws:PrincipalTag/..., Null aws:PrincipalTag/... "true").
 */
export interface Exemption {
  /** The condition key, as spelled in the policy. */
  key: string;
  operator: string;
  /** 'tag-present': Null "true" on a principal tag (principals with the tag are exempt). */
  kind:
    | 'principal-arn'
    | 'principal-account'
    | 'principal-org'
    | 'principal-type'
    | 'user-id'
    | 'user-name'
    | 'principal-tag'
    | 'tag-present';
  /** The tag name for the tag kinds. */
  tag?: string;
  /** The values or patterns that exempt. */
  values: string[];
  /**
   * Patterns that would match the evaluated principal if the comparison ignored case; it does
   * not (ArnLike/StringLike are case-sensitive), so the principal is not exempt.
   */
  caseOnlyMismatch?: string[];
}

/** One statement of one policy, as the evaluator saw it. */
export interface StatementTrace {
  policyId: string;
  policyName: string;
  /** 0-based position in the policy's Statement list (explanations count from 1). */
  statementIndex: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** Whether Action/NotAction covers the action. */
  action: boolean;
  /** Whether Resource/NotResource covers the request's resource (`*` for an action with none). */
  resource: boolean;
  /** Why the action or resource did not match. */
  mismatch?: string;
  /** The conditions on the principal (aws:PrincipalArn, aws:PrincipalTag/..., ...) together; absent when none. */
  principal?: Tri;
  /** Every condition with the request's value and its result (none for a Deny that does not cover the action). */
  conditions: ConditionTrace[];
  /** Whether the statement applies: action, resource and every condition. */
  applies: Tri;
  /** Keys its conditions read that cannot be known before the call. */
  unknownKeys?: string[];
  /** Index in `conditions` of the one that decided: the first false one, else the first unknown one. */
  decidedBy?: number;
  /** Deny statements: who its conditions exempt. */
  exemptions?: Exemption[];
}

/** One gate: an SCP level (root, OU, account), the identity policies or the permissions boundary. */
export interface LevelTrace {
  kind: 'root' | 'ou' | 'account' | 'identity' | 'boundary';
  id?: string;
  name?: string;
  /** The policies attached there. */
  policies: Array<{ id: string; name: string }>;
  /** Whether an Allow statement there applies. */
  allow: Tri;
  /** Whether a Deny statement there applies. */
  deny: Tri;
  statements: StatementTrace[];
}

/** A value tried for a key that cannot be known before the call. */
export type ScenarioValue =
  | { kind: 'absent' }
  | { kind: 'equals'; value: string }
  /** A value matching this policy pattern. */
  | { kind: 'like'; pattern: string }
  /** Any value other than these (none listed: any value at all). */
  | { kind: 'other-than'; values: string[] }
  /** An address outside these ranges. */
  | { kind: 'outside'; ranges: string[] };

export interface ScenarioTrace {
  when: Array<{ key: string; value: ScenarioValue }>;
  decision: Exclude<Decision, 'error'>;
}

/** A request-context key a matching statement reads, with its value and where the value came from. */
export interface KeyTrace {
  key: string;
  value: string[] | 'absent' | 'unknown';
  /** Why it has this value (an assumption about the call), when it is not a plain fact. */
  reason?: string;
  /** Whether the outcome depends on this (unknown) key. */
  decisive: boolean;
}

/** What the evaluator decided and on what: data, from which explain.ts writes the sentences. */
export interface EvaluationTrace {
  subject: 'scp' | 'identity';
  /** The action evaluated, and the resource its request names ('*': no resource type). */
  action: string;
  resource: string;
  /** The ARN used for aws:PrincipalArn. */
  principalArn: string;
  decision: Exclude<Decision, 'error'>;
  /** Whether some Deny applies, over every level. */
  deny: Tri;
  levels: LevelTrace[];
  /** conditional: the unknown keys the outcome depends on. */
  dependsOn: string[];
  context: KeyTrace[];
  /** Realizable values of the unknown keys tried, and the decision each combination gives. */
  scenarios?: ScenarioTrace[];
  /** 'exhaustive': every combination of the (boolean) unknown keys was tried and all agree. */
  settledBy?: 'exhaustive';
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
   * (null = key absent), so a report can say which values would deny. Only combinations a real
   * request can have, with values taken from the policies (`trace.scenarios` has the rest).
   */
  scenarios?: Array<{ when: Record<string, string | null>; decision: Decision }>;
  /** What to do about a deny, from the statements that decided it (one line). */
  remediation?: string;
  /** The evaluation as data: per level and statement what matched and which condition decided. */
  trace?: EvaluationTrace;
  /**
   * A verdict over several actions (evaluateScpChainFor, evaluateIdentityFor): each action's
   * own verdict, in the order asked, without its trace (the top-level trace is the deciding
   * action's). The top-level fields are those of the deciding action: the first worst one.
   */
  actions?: ActionOutcome[];
}

/** One action's part of a verdict over several actions. */
export interface ActionOutcome extends Omit<Verdict, 'trace' | 'actions'> {
  action: string;
  resource: string;
}

/**
 * An action to evaluate, when its name alone does not say what its request looks like
 * (a name leavegate knows, such as iam:CreateServiceLinkedRole, gets its resource and keys).
 */
export interface ActionRequest {
  action: string;
  /** The request's resource; default '*' (an action with no resource type). */
  resource?: string;
  /** Keys its request carries, e.g. service-specific ones (null = absent). */
  context?: Record<string, string | string[] | null>;
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
  /**
   * When the evaluation happens (ISO 8601). Only used for examples: a conditional verdict on
   * aws:CurrentTime/aws:EpochTime then offers no time before it (the call cannot be earlier).
   */
  now?: string;
}

export interface IdentityEvaluationInput {
  principal: PrincipalContext;
  identityPolicies: PolicyInput[];
  /** null = no permissions boundary. */
  permissionsBoundary: PolicyInput | null;
  /** As in ScpEvaluationInput: known values of call-dependent keys; null = absent. */
  requestContext?: Record<string, string | string[] | null>;
  /** As in ScpEvaluationInput: when the evaluation happens, for realizable time examples. */
  now?: string;
}
