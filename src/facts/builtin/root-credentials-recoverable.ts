import { known, unknown, type Fact, type FactOutcome } from '../fact.js';
import type { AccountContext } from '../context.js';

export interface RootCredentialsRecoverable {
  recoverable: boolean;
  /** Which signal decided, in words. */
  decidedBy: string;
}

const CENTRALIZED = 'RootCredentialsManagement';

function answer(recoverable: boolean, decidedBy: string): FactOutcome {
  return known({ recoverable, decidedBy } satisfies RootCredentialsRecoverable);
}

/** A missing password with centralized root access: only an attestation of recovery can say otherwise. */
function missing(ctx: AccountContext, why: string, gapFix?: string): FactOutcome {
  const a = ctx.attestations;
  const value = a.value('rootPasswordRecovered');
  if (value !== undefined) {
    const out = known(
      {
        recoverable: value,
        decidedBy: `attested rootPasswordRecovered=${String(value)} (${why})`,
      } satisfies RootCredentialsRecoverable,
      a.used('rootPasswordRecovered'),
    );
    return out;
  }
  if (gapFix !== undefined)
    return unknown(
      `${why}, and ${a.unattested('rootPasswordRecovered')}`,
      `${gapFix}; or ${a.fix('rootPasswordRecovered')}`,
    );
  return answer(false, `${why}; ${a.unattested('rootPasswordRecovered')}`);
}

/**
 * Whether someone can run the account standalone as its root user after it
 * leaves. With centralized root access management on, member accounts have
 * no root password and cannot recover one themselves; off (or null for the
 * account), the root email's password recovery works.
 */
export const rootCredentialsRecoverable: Fact = {
  name: 'rootCredentialsRecoverable',
  description:
    '{ recoverable, decidedBy }: false when centralized root access management (iam:ListOrganizationsFeatures RootCredentialsManagement) is on and the account has no root password (iam:GetAccountSummary AccountPasswordPresent through sts:AssumeRoot), unless a valid rootPasswordRecovered attestation says it was recovered',
  reads: ['rootAccessFeatures', 'rootCredentials'],
  derive: (ctx) => {
    const features = ctx.snapshot.rootAccessFeatures;
    if (features === undefined) {
      const gap = ctx.gap('rootAccessFeatures');
      return missing(ctx, `centralized root access features ${gap.why}`, gap.fix);
    }
    if (!features.includes(CENTRALIZED))
      return answer(
        true,
        'centralized root access management is off: the root email can recover the root password',
      );
    const creds = ctx.account.rootCredentials;
    if (creds === undefined) {
      const gap = ctx.gap('rootCredentials');
      return missing(ctx, `root credentials ${gap.why}`, gap.fix);
    }
    if (creds === null)
      return answer(true, 'centralized root access does not apply to the account');
    if (creds.passwordPresent) return answer(true, 'the root user has a password');
    return missing(
      ctx,
      'centralized root access management is on and the root user has no password',
    );
  },
};
