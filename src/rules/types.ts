/**
 * Rule files (schemas/rule.schema.json) and plugins (DESIGN §4.5).
 *
 * A rule declares the facts it reads in `facts`. Entries may be dotted paths
 * (`attested.paymentMethodPresent`): the rule is `unknown` — and is not run —
 * when any declared fact (or path) is unknown or undefined for the account.
 *
 * `messages` are one-line templates. `{{path}}` resolves against the
 * account's facts (`{{account.joinedTimestamp}}`), `{{expected.FACT}}` against
 * the literal value compared with FACT in the rule's own conditions (so
 * thresholds live in the rule JSON only). Filters: `{{x|date}}` (YYYY-MM-DD),
 * `{{x|fixed1}}` (one decimal), `{{x|lower}}`, `{{x|join}}` (comma list),
 * `{{x|count}}` (array length).
 */
import type { RuleFile } from '../generated/rule.js';
import type { PluginFact } from '../facts/types.js';
import type { DeclaredAttestableFact } from './pack-meta.js';

export type { DeclaredAttestableFact } from './pack-meta.js';

export type { RuleFile } from '../generated/rule.js';

export interface LoadedRule extends RuleFile {
  pack: string;
  /** Where it came from, for error messages. */
  source: string;
  /** Literal values compared with each fact in `conditions` (for `{{expected.FACT}}`). */
  expected: Record<string, unknown>;
  waivable: boolean;
}

export interface RulePack {
  name: string;
  version: string;
  rules: LoadedRule[];
  description?: string;
  /** Facts the pack lets humans attest (pack.json `attestableFacts`). */
  attestableFacts?: DeclaredAttestableFact[];
}

export type OperatorFn = (factValue: unknown, jsonValue: unknown) => boolean;

export interface Plugin {
  name: string;
  version: string;
  rules?: RuleFile[];
  operators?: Record<string, OperatorFn>;
  facts?: Record<string, PluginFact>;
}

export type { Waiver, Waivers } from '../generated/waivers.js';
