/**
 * Waivers v1 (DESIGN §4.5): load, validate and apply. A waiver whose
 * expiresAt is not a date-time is an input error; one that has expired is
 * valid input, ignored and reported when applied. Only a failing rule that
 * is waivable can be waived (the built-in AWS preconditions are not).
 */
import type { RuleOutcome } from '../engine/types.js';
import type { Issue, Result } from '../errors.js';
import { dateIssue, readJsonFile, validateVersioned, valueOrThrow } from '../io.js';
import type { RuleResult } from '../report/types.js';
import type { LoadedRule, Waiver, Waivers } from '../rules/types.js';

/** Validates an untrusted value as waivers v1 (schema plus parseable dates). */
export function validateWaivers(value: unknown, file?: string): Result<Waivers> {
  const shape = validateVersioned<Waivers>('waivers', value, file);
  if (!shape.ok) return shape;
  const issues = shape.value.waivers
    .map((w, i) => dateIssue(w.expiresAt, `/waivers/${i}/expiresAt`, file))
    .filter((x): x is Issue => x !== undefined);
  return issues.length > 0 ? { ok: false, issues } : shape;
}

/**
 * Reads and validates a waivers file. Throws `InputError` ('waivers.invalid',
 * exit 2) naming the file and JSON pointer of every problem.
 */
export async function loadWaiversFile(path: string): Promise<{ waivers: Waivers; sha256: string }> {
  const { value, sha256 } = await readJsonFile(path, 'waivers.invalid');
  return { waivers: valueOrThrow(validateWaivers(value, path), 'waivers.invalid'), sha256 };
}

/** Waivers that name no loaded rule, or a rule that cannot be waived: ignored, with why. */
export function waiverWarnings(rules: readonly LoadedRule[], waivers: readonly Waiver[]): string[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const out: string[] = [];
  for (const w of waivers) {
    const rule = byId.get(w.rule);
    if (rule === undefined) out.push(`waiver for rule "${w.rule}" names no loaded rule; ignored`);
    else if (!rule.waivable)
      out.push(
        `waiver for rule "${w.rule}" ignored: it is a built-in AWS precondition and cannot be waived`,
      );
  }
  return out;
}

/**
 * The result of one outcome after waivers: a failing, waivable rule with an
 * unexpired waiver for the account is `waived` (with reason, owner, expiry);
 * an expired waiver is noted and not applied.
 */
export function applyWaivers(
  outcome: RuleOutcome,
  rule: LoadedRule,
  accountId: string,
  waivers: readonly Waiver[],
  now: number,
  notes: string[],
): RuleResult {
  if (outcome.status !== 'fail' || !rule.waivable) return outcome;
  for (const w of waivers) {
    if (w.rule !== rule.id || !w.accounts.includes(accountId)) continue;
    const expires = Date.parse(w.expiresAt);
    if (Number.isNaN(expires) || expires <= now) {
      notes.push(`waiver for ${rule.id} (owner ${w.owner}) expired ${w.expiresAt}; not applied`);
      continue;
    }
    return {
      ...outcome,
      status: 'waived',
      waiver: { reason: w.reason, owner: w.owner, expiresAt: w.expiresAt },
    };
  }
  return outcome;
}
