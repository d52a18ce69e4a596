/**
 * Snapshot + attestations + evaluation time -> per-account facts (pure).
 *
 * Every built-in fact is a unit (builtin/); this file runs them, and the
 * plugin facts, for each account. Fail closed: a fact that cannot be derived
 * is `unknown` with the reason and its fix, never a default a rule could read
 * as fine. `null` in the snapshot is a known "none".
 */
import type { AttestationUsed } from '../report/types.js';
import type { Snapshot } from '../snapshot/types.js';
import { frozenClone } from '../rules/json-copy.js';
import { errorText, pluginFactInputs } from '../rules/plugins.js';
import { BUILTIN_FACT_UNITS } from './builtin/index.js';
import { AccountContext } from './context.js';
import { known, unknown, type Fact, type FactOutcome } from './fact.js';
import { buildIndex, type Index } from './snapshot-index.js';
import type { AccountFacts, Attestations, DeriveOptions, PluginFact } from './types.js';

export { DEFAULT_MEMBER_ROLE } from './context.js';

/**
 * A plugin fact as a unit: it reads a frozen copy of the snapshot (made once
 * per derivation run), never what built-in facts use; no value or a throw is
 * an unknown.
 */
function pluginFactUnit(index: Index, name: string, fn: PluginFact): Fact {
  return {
    name,
    description: `plugin fact ${name}`,
    reads: [],
    derive: (ctx): FactOutcome => {
      try {
        const inputs = pluginFactInputs(index, index.snapshot, ctx.account);
        // A copy of the valid ones only: expired, premature and contradicted attestations never reach a plugin.
        const valid = frozenClone([...ctx.attestations.valid.values()].flat());
        const value = fn(inputs.account, inputs.snapshot, valid);
        return value === undefined ? unknown(`plugin fact ${name} gave no value`) : known(value);
      } catch (err) {
        return unknown(`plugin fact ${name} failed: ${errorText(err)}`);
      }
    },
  };
}

function deriveAccount(index: Index, units: readonly Fact[], ctx: AccountContext): AccountFacts {
  const knownFacts: Record<string, unknown> = {};
  const unknownFacts: Record<string, string> = {};
  const fixes: Record<string, string> = {};
  const used: Record<string, AttestationUsed[]> = {};
  for (const fact of units) {
    const out = fact.derive(ctx);
    if (!out.ok) {
      unknownFacts[fact.name] = out.reason;
      if (out.fix !== undefined) fixes[fact.name] = out.fix;
      continue;
    }
    knownFacts[fact.name] = out.value;
    if (out.attestations !== undefined) used[fact.name] = out.attestations;
    for (const [path, p] of Object.entries(out.paths ?? {})) {
      if (p.attestations !== undefined) used[`${fact.name}.${path}`] = p.attestations;
      if (p.fix !== undefined) fixes[`${fact.name}.${path}`] = p.fix;
    }
  }
  return {
    accountId: ctx.account.id,
    known: knownFacts,
    unknown: unknownFacts,
    ignoredAttestations: ctx.attestations.ignored,
    attestationsUsed: used,
    fixes,
    tags: ctx.account.tags,
  };
}

/**
 * Facts for every account of the snapshot, one account at a time (so a large
 * organization's facts need not all be alive at once). Attestations for
 * accounts that are not in the snapshot are warned about by the caller.
 */
export function* deriveFactsIter(
  snapshot: Snapshot,
  attestations: Attestations | undefined,
  options: DeriveOptions,
): Generator<AccountFacts> {
  const index = buildIndex(snapshot, attestations);
  const units = [
    ...BUILTIN_FACT_UNITS,
    ...Object.entries(options.pluginFacts ?? {}).map(([name, fn]) =>
      pluginFactUnit(index, name, fn),
    ),
  ];
  for (const account of snapshot.accounts)
    yield deriveAccount(index, units, new AccountContext(index, account, options));
}

/** Facts for every account of the snapshot. */
export function deriveFacts(
  snapshot: Snapshot,
  attestations: Attestations | undefined,
  options: DeriveOptions,
): AccountFacts[] {
  return [...deriveFactsIter(snapshot, attestations, options)];
}
