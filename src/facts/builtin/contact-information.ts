import type { ContactInformation } from '../../snapshot/types.js';
import { known, notCollected, type Fact } from '../fact.js';

/**
 * Text with nothing a person could read or dial: whitespace, separators,
 * control and format characters (a NUL, a zero-width space) only.
 */
const BLANK = /^[\s\p{Z}\p{Cc}\p{Cf}]*$/u;

/**
 * The contactInformation fact: blank fields are not contact information, so
 * they read as empty (a rule requiring a field then fails on them exactly as
 * on an empty one, whatever the rule or plugin checks). The verification
 * status is the API's answer, not a contact field, and stays as it is.
 */
function nonBlank(info: ContactInformation | null): ContactInformation | null {
  if (info === null) return null;
  const out: ContactInformation = { ...info };
  for (const [key, value] of Object.entries(info) as [keyof ContactInformation, unknown][]) {
    if (key !== 'verificationStatus' && typeof value === 'string' && BLANK.test(value))
      out[key] = '';
  }
  return out;
}

export const contactInformation: Fact = {
  name: 'contactInformation',
  description:
    'contact information object (a field with no visible character reads as empty), or null when there is none',
  reads: ['contactInformation'],
  derive: (ctx) =>
    ctx.account.contactInformation === undefined
      ? notCollected(ctx, 'contactInformation', 'contact information')
      : known(nonBlank(ctx.account.contactInformation)),
};
