/**
 * Attestations v1 (DESIGN §4.3): load and validate.
 *
 * Dates: a string that is not a date-time at all (`"next tuesday"`, a leap
 * second JavaScript cannot represent) is an input error at load, with its
 * JSON pointer — a typo must not quietly turn an attestation into "absent".
 * A well-formed date that has passed, or not yet come, is not a load problem:
 * the facts layer ignores such an attestation at evaluation time and lists it
 * in the report. An attestation whose expiresAt is not after its attestedAt
 * can never be valid and is an input error.
 *
 * An attestation for an account not in the snapshot is a warning, not an
 * error: attestation files are often kept org-wide while a snapshot covers
 * some accounts.
 */
import type { Issue } from '../errors.js';
import { formatIssue } from '../errors.js';
import {
  dateIssue,
  readJsonFile,
  validateVersioned,
  valueAt,
  valueOrThrow,
  type ValidationWithWarnings,
} from '../io.js';
import type { Snapshot } from '../snapshot/types.js';
import type { Attestations } from './types.js';

/** A validation result that also carries warnings. */
export type AttestationsValidation = ValidationWithWarnings<Attestations>;

/**
 * Validates an untrusted value as attestations v1: schema, parseable dates,
 * expiresAt after attestedAt. `fact` is a built-in attestable fact or one of
 * `packFacts` (declared by the loaded rule packs' pack.json); anything else is
 * an issue at `/attestations/N/fact`. With a snapshot, attestations for accounts not
 * in it become warnings (`file: /attestations/N/accountId: ...`), as do two
 * attestations of one fact for one account with different values whose
 * validity windows overlap.
 */
export function validateAttestations(
  value: unknown,
  file?: string,
  snapshot?: Snapshot,
  packFacts: Iterable<string> = [],
): AttestationsValidation {
  const declared = new Set(packFacts);
  const shape = validateVersioned<Attestations>('attestations', value, file);
  if (!shape.ok) {
    // The schema names the built-in facts; a fact a loaded pack declares is one too.
    const issues = shape.issues.flatMap((issue) => {
      if (!FACT_PATH.test(issue.path)) return [issue];
      const fact = valueAt(value, issue.path);
      if (typeof fact === 'string' && declared.has(fact)) return [];
      return [{ ...issue, message: `${issue.message}${declaredHint(declared)}` }];
    });
    if (issues.length > 0) return { ok: false, issues, warnings: [] };
  }
  const doc = value as Attestations;
  const { issues, warnings } = checkAttestations(doc, file, snapshot);
  const formatted = warnings.map(formatIssue);
  if (issues.length > 0) return { ok: false, issues, warnings: formatted };
  return { ok: true, value: doc, warnings: formatted };
}

const FACT_PATH = /^\/attestations\/\d+\/fact$/;

function declaredHint(declared: ReadonlySet<string>): string {
  return declared.size === 0
    ? ' (or an attestable fact declared in the pack.json of a loaded rule pack: --rules DIR)'
    : `, or one the loaded rule packs declare: ${[...declared].map((f) => JSON.stringify(f)).join(', ')}`;
}

type Window = { index: number; from: number; to: number; value: boolean };

/**
 * Warns for every attestation whose validity overlaps one of the opposite
 * value for the same account and fact. A sweep by start time keeps it
 * O(n log n) however many attestations one fact has (a pairwise check is
 * quadratic): each interval is compared with the opposite value's
 * furthest-reaching interval that started before it.
 */
function contradictions(key: string, list: Window[], file: string | undefined, out: Issue[]): void {
  if (!list.some((w) => w.value) || !list.some((w) => !w.value)) return;
  const [accountId, fact] = key.split('\u0000');
  const reach: { true?: Window; false?: Window } = {};
  for (const w of [...list].sort((a, b) => a.from - b.from || a.index - b.index)) {
    const other = reach[String(!w.value) as 'true' | 'false'];
    if (other !== undefined && other.to > w.from) {
      const [later, earlier] = w.index > other.index ? [w, other] : [other, w];
      out.push({
        file,
        path: `/attestations/${later.index}/value`,
        message: `contradicts /attestations/${earlier.index}/value (${fact ?? ''} of ${accountId ?? ''}) while both are valid`,
      });
    }
    const mine = reach[String(w.value) as 'true' | 'false'];
    if (mine === undefined || w.to > mine.to) reach[String(w.value) as 'true' | 'false'] = w;
  }
}

/** What the schema cannot say about schema-valid attestations. */
function checkAttestations(
  doc: Attestations,
  file: string | undefined,
  snapshot: Snapshot | undefined,
): { issues: Issue[]; warnings: Issue[] } {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const accounts = snapshot === undefined ? undefined : new Set(snapshot.accounts.map((a) => a.id));
  const windows = new Map<string, Window[]>();

  doc.attestations.forEach((a, i) => {
    const at = `/attestations/${i}`;
    const bad = [
      dateIssue(a.attestedAt, `${at}/attestedAt`, file),
      dateIssue(a.expiresAt, `${at}/expiresAt`, file),
    ].filter((x): x is Issue => x !== undefined);
    issues.push(...bad);
    if (accounts !== undefined && !accounts.has(a.accountId)) {
      warnings.push({
        file,
        path: `${at}/accountId`,
        message: `attestation for account ${a.accountId}, which is not in the snapshot; ignored`,
      });
    }
    if (bad.length > 0) return;
    const from = Date.parse(a.attestedAt);
    const to = Date.parse(a.expiresAt);
    if (to <= from) {
      issues.push({
        file,
        path: `${at}/expiresAt`,
        message: `expiresAt ${a.expiresAt} is not after attestedAt ${a.attestedAt}: the attestation could never be valid`,
      });
      return;
    }
    const key = `${a.accountId}\u0000${a.fact}`;
    const seen = windows.get(key) ?? [];
    seen.push({ index: i, from, to, value: a.value });
    windows.set(key, seen);
  });
  for (const [key, list] of windows) contradictions(key, list, file, warnings);

  return { issues, warnings };
}

/**
 * Reads and validates an attestations file. Throws `InputError`
 * ('attestations.invalid', exit 2) naming the file and JSON pointer of every
 * problem; returns warnings (unknown accounts, contradictions) as strings.
 */
export async function loadAttestationsFile(
  path: string,
  snapshot?: Snapshot,
  packFacts: Iterable<string> = [],
): Promise<{ attestations: Attestations; warnings: string[]; sha256: string }> {
  const { value, sha256 } = await readJsonFile(path, 'attestations.invalid');
  const result = validateAttestations(value, path, snapshot, packFacts);
  return {
    attestations: valueOrThrow(result, 'attestations.invalid'),
    warnings: result.warnings,
    sha256,
  };
}
