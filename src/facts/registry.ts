/**
 * Names and descriptions of the built-in facts (from their units in
 * builtin/), and which of them are policy verdicts.
 */
import { BUILTIN_FACT_UNITS } from './builtin/index.js';

export const BUILTIN_FACTS: Readonly<Record<string, string>> = Object.fromEntries(
  BUILTIN_FACT_UNITS.map((f) => [f.name, f.description]),
);

const VERDICTS = new Set(BUILTIN_FACT_UNITS.filter((f) => f.kind === 'verdict').map((f) => f.name));

/** True for facts whose value is a policy verdict `{ decision, summary, ... }`. */
export function isVerdictFact(name: string): boolean {
  return VERDICTS.has(name);
}
