/** Turns the table-driven JSON cases (test/policy/cases/*.json) into evaluator inputs. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  IdentityEvaluationInput,
  PolicyInput,
  PrincipalContext,
  ScpEvaluationInput,
  ScpLevel,
} from '../../src/policy/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const library = JSON.parse(readFileSync(join(here, 'policies.json'), 'utf8')) as Record<
  string,
  PolicyInput
>;

type PolicySpec =
  | string
  | { id: string; name: string; statements: unknown[] }
  | { id: string; name: string; document: unknown };

export interface PolicyCase {
  file: string;
  name: string;
  doc: string;
  subject?: 'scp' | 'identity';
  /** Evaluate these actions together (evaluateScpChainFor / evaluateIdentityFor). */
  actions?: string[];
  levels?: Array<{ kind: ScpLevel['kind']; id: string; name?: string; policies: PolicySpec[] }>;
  add?: Partial<Record<'root' | 'ou' | 'account', PolicySpec[]>>;
  denyIf?: Record<string, unknown>;
  principal?: {
    arn?: string;
    accountId?: string;
    orgId?: string;
    tags?: Record<string, string> | null;
  };
  isManagementAccount?: boolean;
  scpEnabled?: boolean;
  identityPolicies?: PolicySpec[];
  permissionsBoundary?: PolicySpec | null;
  requestContext?: Record<string, string | string[] | null>;
  now?: string;
  expected: {
    decision: string;
    summary?: string;
    /** Text the summary must not contain (a misleading word the explanation used to give). */
    summaryExcludes?: string;
    /** Texts that must appear nowhere in the verdict (placeholders the evaluator used to show). */
    evidenceExcludes?: string[];
    remediationContains?: string;
    remediationExcludes?: string;
    dependsOn?: string[];
    missingAllowAt?: { kind: string; id?: string };
    deniedBy?: Array<{ policyId: string; statementIndex: number; sid?: string; level?: string }>;
    unmatchedAllows?: Array<{ policyId: string; statementIndex: number }>;
    exemptions?: string[];
    notApplicable?: string;
    errorReason?: string;
    errorPolicyId?: string;
    errorStatement?: number;
    errorCode?: string;
    assumptionsContain?: string;
    /** Per action, in order: its decision (and text its summary must contain). */
    actions?: Array<{ action: string; decision: string; summary?: string }>;
  };
}

export function policy(spec: PolicySpec): PolicyInput {
  if (typeof spec === 'string') {
    const p = library[spec];
    if (!p) throw new Error(`unknown library policy ${spec}`);
    return p;
  }
  if ('statements' in spec) {
    return {
      id: spec.id,
      name: spec.name,
      document: { Version: '2012-10-17', Statement: spec.statements } as never,
    };
  }
  return { id: spec.id, name: spec.name, document: spec.document as never };
}

export function loadCases(): PolicyCase[] {
  const dir = join(here, 'cases');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((file) =>
      (JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<PolicyCase, 'file'>[]).map(
        (c) => ({ ...c, file }),
      ),
    );
}

export function principalOf(c: PolicyCase): PrincipalContext {
  const tags =
    c.principal?.tags === null
      ? undefined
      : (c.principal?.tags ?? { team: 'platform', CostCenter: '42' });
  return {
    arn: c.principal?.arn ?? 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
    accountId: c.principal?.accountId ?? '222222222222',
    orgId: c.principal?.orgId ?? 'o-abc123',
    tags,
  };
}

export function scpInput(c: PolicyCase): ScpEvaluationInput {
  const levels: ScpLevel[] = (
    c.levels ?? [
      { kind: 'root', id: 'r-ab12', policies: ['FullAWSAccess'] },
      { kind: 'ou', id: 'ou-ab12-aaaa1111', name: 'Workloads', policies: ['FullAWSAccess'] },
      { kind: 'account', id: '222222222222', policies: ['FullAWSAccess'] },
    ]
  ).map((l) => ({
    kind: l.kind,
    id: l.id,
    ...(l.name !== undefined ? { name: l.name } : {}),
    policies: [...l.policies, ...(c.add?.[l.kind] ?? [])].map(policy),
  }));
  if (c.denyIf) {
    const ou = levels.find((l) => l.kind === 'ou');
    ou?.policies.push({
      id: 'p-cond',
      name: 'ConditionalDeny',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Action: 'organizations:LeaveOrganization',
            Resource: '*',
            Condition: c.denyIf as never,
          },
        ],
      },
    });
  }
  return {
    levels,
    principal: principalOf(c),
    isManagementAccount: c.isManagementAccount ?? false,
    scpEnabled: c.scpEnabled ?? true,
    ...(c.requestContext ? { requestContext: c.requestContext } : {}),
    ...(c.now !== undefined ? { now: c.now } : {}),
  };
}

export function identityInput(c: PolicyCase): IdentityEvaluationInput {
  return {
    principal: principalOf(c),
    identityPolicies: (c.identityPolicies ?? []).map(policy),
    permissionsBoundary: c.permissionsBoundary ? policy(c.permissionsBoundary) : null,
    ...(c.requestContext ? { requestContext: c.requestContext } : {}),
    ...(c.now !== undefined ? { now: c.now } : {}),
  };
}
