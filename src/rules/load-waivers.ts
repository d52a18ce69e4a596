/**
 * Waivers v1 (DESIGN §4.5): load and validate. A waiver whose expiresAt is
 * not a date-time is an input error; one that has expired is valid input and
 * is ignored (and reported) when rules are applied. Whether the waived rule
 * exists and is waivable is checked where rules are known, not here.
 */
import type { Issue, Result } from '../errors.js';
import { dateIssue, readJsonFile, validateVersioned, valueOrThrow } from '../io.js';
import type { Waivers } from './types.js';

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
