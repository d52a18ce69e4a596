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
