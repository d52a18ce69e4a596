/**
 * Snapshot v1 load, validation and save. A snapshot that loads is
 * schema-valid and semantically consistent (src/snapshot/check.ts); anything
 * else is an `InputError` ('snapshot.invalid', exit 2) naming the file and
 * the JSON pointer of every problem.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LeavegateError } from '../errors.js';
import {
  readJsonFile,
  validateDocument,
  valueOrThrow,
  type ValidationWithWarnings,
} from '../io.js';
import { writeFileAtomically } from '../write-file.js';
import { checkSnapshot } from './check.js';
import type { Snapshot } from './types.js';

/** A validation result that also carries warnings (inconsistencies that change no verdict). */
export type SnapshotValidation = ValidationWithWarnings<Snapshot>;

/**
 * Validates an untrusted value as a snapshot v1: the schema first, then (only
 * if the shape is right) the semantic checks. Every issue carries `file` and a
 * JSON pointer; warnings are formatted `file: /pointer: message`.
 */
export function validateSnapshot(value: unknown, file?: string): SnapshotValidation {
  return validateDocument<Snapshot>('snapshot', value, file, (s) => checkSnapshot(s, file));
}

/**
 * Reads and validates a snapshot file. `sha256` is of the raw bytes (the
 * report records it). Throws `InputError` ('snapshot.invalid') on any problem.
 */
export async function loadSnapshotFile(
  path: string,
): Promise<{ snapshot: Snapshot; sha256: string; warnings: string[] }> {
  const { value, sha256 } = await readJsonFile(path, 'snapshot.invalid');
  const result = validateSnapshot(value, path);
  return { snapshot: valueOrThrow(result, 'snapshot.invalid'), sha256, warnings: result.warnings };
}

/** The exact text `saveSnapshotFile` writes: 2-space JSON, keys in insertion order, final newline. */
export function serializeSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

/**
 * Validates and writes a snapshot atomically (temporary file + rename), so a
 * failed or interrupted collection never leaves a half-written or clobbered
 * file. Creates the parent directory. Throws `InputError` ('snapshot.invalid')
 * before writing anything if the snapshot would not load back, and
 * `LeavegateError` ('io.failed') if the write fails.
 */
export async function saveSnapshotFile(path: string, snapshot: Snapshot): Promise<void> {
  valueOrThrow(validateSnapshot(snapshot, path), 'snapshot.invalid');
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomically(path, serializeSnapshot(snapshot));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new LeavegateError('io.failed', `${path}: cannot write snapshot: ${reason}`, {
      cause: err,
    });
  }
}
