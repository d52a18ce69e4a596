import type { AttestationUsed } from '../../report/types.js';
import { known, type Fact, type Known } from '../fact.js';
import { ATTESTABLE_FACTS } from '../types.js';

/** `{ paymentMethodPresent: true, ... }`: what valid attestations say; a missing key is unattested. */
export const attested: Fact = {
  name: 'attested',
  description:
    'valid (unexpired, not contradicted by the API nor by each other) attestations, e.g. { paymentMethodPresent: true }',
  reads: [],
  derive: (ctx) => {
    const a = ctx.attestations;
    const value: Record<string, boolean> = {};
    const paths: NonNullable<Known['paths']> = {};
    const all: AttestationUsed[] = [];
    // Built-in attestable facts, then those the loaded packs declare (pack.json attestableFacts).
    for (const fact of [...ATTESTABLE_FACTS, ...(ctx.options.attestableFacts ?? [])]) {
      const used = a.used(fact);
      if (used === undefined) paths[fact] = { fix: a.fix(fact) };
      else {
        value[fact] = a.value(fact) ?? false;
        paths[fact] = { attestations: used };
        all.push(...used);
      }
    }
    const out = known(value, all.length > 0 ? all : undefined);
    out.paths = paths;
    return out;
  },
};
