import { known, unknown, type Fact } from '../fact.js';

/** The API's VerificationStatus first; an attestation only where the API has no answer. */
export const phoneVerified: Fact = {
  name: 'phoneVerified',
  description: 'VerificationStatus VERIFIED (API), else a valid phoneVerified attestation',
  reads: ['contactInformation'],
  derive: (ctx) => {
    const a = ctx.attestations;
    if (a.phoneFromApi !== undefined) return known(a.phoneFromApi);
    const value = a.value('phoneVerified');
    if (value !== undefined) return known(value, a.used('phoneVerified'));
    const contact = ctx.account.contactInformation;
    if (contact === undefined) {
      const gap = ctx.gap('contactInformation');
      return unknown(
        `phone verification unknown: contact information ${gap.why}, and ${a.unattested('phoneVerified')}`,
        `${gap.fix}; or ${a.fix('phoneVerified')}`,
      );
    }
    const status = contact?.verificationStatus;
    return unknown(
      `the API gives no verification status${status === undefined ? '' : ` (${status})`} and ${a.unattested('phoneVerified')}`,
      a.fix('phoneVerified'),
    );
  },
};
