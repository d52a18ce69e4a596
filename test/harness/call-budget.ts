/** The call budget of DESIGN §6, extended with the impact sources' shared calls (bench and tests share it). */
import type { Snapshot } from '../../src/snapshot/types.js';

// The impact sources' shared calls (DESIGN §7), apart from Organizations'.
export const IMPACT_SHARED =
  /^(cloudformation|sso-admin|service-catalog):|^iam:ListOrganizationsFeatures$/;

/**
 * The call budget of the impact sources (DESIGN §6 extended), from what the
 * snapshot holds: organization policies other than SCPs cost T + Q
 * Organizations calls (T enabled types, Q policies); StackSets 1 + 2S;
 * Identity Center 2 + 2PS + X (X in-scope account × permission set pairs);
 * Control Tower, when trusted, 1 + E (E enrolled accounts); root access features 1.
 */
export function impactBudget(s: Snapshot): { organizations: number; shared: number } {
  const types = (s.enabledPolicyTypes ?? []).filter((t) => t !== 'SERVICE_CONTROL_POLICY').length;
  const sets = s.stackSets?.length ?? 0;
  const ps = s.identityCenter?.permissionSets ?? [];
  const pairs = ps.reduce(
    (n, p) => n + p.accounts.filter((x) => x.assignments !== undefined).length,
    0,
  );
  const tower =
    s.controlTower === null || s.controlTower === undefined
      ? 0
      : 1 + (s.controlTower.enrolledAccounts?.length ?? 0);
  return {
    organizations: types + (s.organizationPolicies?.length ?? 0),
    shared: 1 + 2 * sets + 2 + 2 * ps.length + pairs + tower + 1,
  };
}

/**
 * Which pool a call went through (src/collect/call-limits.ts): what the caller
 * reads of the organization (Organizations, the shared impact reads, and the
 * Account API under trusted access) is management-side; what is read of each
 * member (its IAM, RAM, Savings Plans, Support, and the STS AssumeRole that
 * opens its session) is member-side. sts:GetCallerIdentity (once) counts as
 * member-side too, as the pool counts it.
 */
export function managementSide(s: Snapshot): (key: string) => boolean {
  const contactsFromManagement = (s.trustedServices ?? []).includes('account.amazonaws.com');
  return (key) =>
    key.startsWith('organizations:') ||
    IMPACT_SHARED.test(key) ||
    (contactsFromManagement && key.startsWith('account:'));
}

/**
 * The member-side calls of a collection (what src/collect/call-limits.ts's member pool
 * carries), from what the snapshot holds. Per member account M: the AssumeRole into it,
 * the principal's one read (iam:GetAccountAuthorizationDetails), RAM twice (SELF and
 * OTHER-ACCOUNTS) and once per share it owns (its associations), Savings Plans, Support,
 * the contact information when the Account API is not trusted (then it is read in the
 * member), and AssumeRoot + GetAccountSummary when centralized root access is on. Per
 * run: sts:GetCallerIdentity, and GetPolicy + GetPolicyVersion for each AWS managed
 * policy a principal has. The per-policy fallback (a refused fast read) is not in it: a
 * run that needs it is over budget, which is what a budget should say.
 */
export function memberBudget(s: Snapshot): number {
  const managementId = s.organization?.managementAccountId;
  const members = s.accounts.filter((a) => a.id !== managementId);
  const contactsInMember = !(s.trustedServices ?? []).includes('account.amazonaws.com');
  const rootOn = (s.rootAccessFeatures ?? []).includes('RootCredentialsManagement');
  const awsManaged = new Set<string>();
  let ownShares = 0;
  for (const a of members) {
    for (const arn of [
      ...(a.principal?.identityPolicyNames ?? []),
      a.principal?.permissionsBoundaryArn ?? '',
    ])
      if (arn.startsWith('arn:aws:iam::aws:policy/')) awsManaged.add(arn);
    ownShares += (a.ramShares ?? []).filter((r) => r.owner === 'SELF').length;
  }
  const perMember = 1 + 1 + 2 + 1 + 1 + (contactsInMember ? 1 : 0) + (rootOn ? 2 : 0);
  return 1 + members.length * perMember + ownShares + 2 * awsManaged.size;
}
