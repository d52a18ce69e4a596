import { known, notCollected, unknown, type Fact } from '../fact.js';
import { perRun, push } from './impact-listing.js';

export interface ControlTowerEnrollment {
  enrolled: boolean;
  /** Which signal decided, in words (the baseline and where it is enabled, or why none applies). */
  decidedBy: string;
  /** The enabled baselines that make it enrolled (`<baseline> on <target>`). */
  baselines: string[];
}

/** `arn:aws:organizations::111:ou/o-x/ou-ab12-aaaa1111` -> `ou-ab12-aaaa1111`; a bare id stays. */
function targetId(identifier: string): string {
  return identifier.slice(identifier.lastIndexOf('/') + 1);
}

/** The last segment of a baseline ARN (`.../baseline/17BSJV3IGJ2QSGA2`), or a bare name. */
function baselineName(identifier: string): string {
  return identifier.slice(identifier.lastIndexOf('/') + 1);
}

const byTarget = perRun((index) => {
  const out = new Map<string, string[]>();
  for (const b of index.snapshot.controlTower?.enabledBaselines ?? []) {
    const status = b.status === undefined ? '' : `, ${b.status}`;
    push(out, targetId(b.targetIdentifier), `${baselineName(b.baselineIdentifier)}${status}`);
  }
  return out;
});

/**
 * The deciding signal is Control Tower's own API, ListEnabledBaselines: a
 * baseline enabled on the account itself, or on an OU of its path (a
 * registered OU governs, and enrolls, its accounts; fail closed). The member
 * role AWSControlTowerExecution is never read as enrollment: it outlives
 * unmanaging.
 */
export const controlTowerEnrollment: Fact = {
  name: 'controlTowerEnrollment',
  description:
    "{ enrolled, decidedBy, baselines }: whether AWS Control Tower manages the account, from Control Tower's ListEnabledBaselines (a baseline enabled on the account or on an OU of its path); not enrolled when trusted access for controltower.amazonaws.com is off",
  reads: ['controlTower', 'ouTree'],
  derive: (ctx) => {
    const ct = ctx.snapshot.controlTower;
    if (ct === undefined) return notCollected(ctx, 'controlTower', 'Control Tower enrollment');
    if (ct === null) {
      const value: ControlTowerEnrollment = {
        enrolled: false,
        decidedBy:
          'trusted access for controltower.amazonaws.com is off (Control Tower is not in use)',
        baselines: [],
      };
      return known(value);
    }
    // The collector reads enrollment through Service Catalog (the installed SDK
    // has no ListEnabledBaselines): the account's Account Factory provisioned
    // product decides when that list was read.
    if (ct.enrolledAccounts !== undefined) {
      // Control Tower is in use (trusted access on) yet Service Catalog shows no
      // enrollment at all: most likely read outside Control Tower's home region.
      // Not enrolled would be a guess; fail closed.
      if (ct.enrolledAccounts.length === 0)
        return unknown(
          'trusted access for controltower.amazonaws.com is on, but no AWS Control Tower Account Factory provisioned product was found (Service Catalog is regional: the collection may have run outside the Control Tower home Region)',
          'collect again with --region set to the Control Tower home Region; if Control Tower governs no account here, waive control-tower-unenrolled with the reason',
        );
      const product = ct.enrolledAccounts.find((e) => e.accountId === ctx.account.id);
      return known({
        enrolled: product !== undefined,
        decidedBy:
          product === undefined
            ? 'no AWS Control Tower Account Factory provisioned product (Service Catalog) names the account'
            : `the AWS Control Tower Account Factory provisioned product ${product.provisionedProductId}${product.status === undefined ? '' : ` (${product.status})`} in Service Catalog names the account`,
        baselines: [],
      } satisfies ControlTowerEnrollment);
    }
    const targets = byTarget(ctx.index);
    const own = targets.get(ctx.account.id) ?? [];
    if (own.length > 0) {
      const baselines = own.map((b) => `${b} on the account`);
      return known({
        enrolled: true,
        decidedBy: `Control Tower baseline enabled on the account: ${own.join('; ')}`,
        baselines,
      } satisfies ControlTowerEnrollment);
    }
    const path = ctx.path;
    if (typeof path === 'string')
      return unknown(
        `Control Tower enrollment unknown: no baseline on the account itself and ${path}`,
        ctx.gap('ouTree').fix,
      );
    const onPath = path.flatMap((ou) => (targets.get(ou) ?? []).map((b) => `${b} on ${ou}`));
    if (onPath.length > 0)
      return known({
        enrolled: true,
        decidedBy: `Control Tower baseline enabled on an OU of the account's path (registered OU): ${onPath.join('; ')}`,
        baselines: onPath,
      } satisfies ControlTowerEnrollment);
    return known({
      enrolled: false,
      decidedBy: 'no Control Tower baseline is enabled on the account or on an OU of its path',
      baselines: [],
    } satisfies ControlTowerEnrollment);
  },
};
