/**
 * The temporary files a run has staged and not yet renamed or removed, apart
 * from src/io.ts so that bin/leavegate.js can clean them up on an interrupt
 * without loading the file readers at start (it has no imports but node:fs).
 */
import { unlinkSync } from 'node:fs';

/** Temporary files staged and not yet renamed or removed (removed on an interrupt). */
export const PENDING = new Set<string>();

/**
 * Removes every staged temporary file, synchronously: for a SIGINT/SIGTERM
 * handler, so an interrupted run leaves no hidden `.report.json.*.tmp` behind.
 * Returns how many were removed.
 */
export function discardAllStagedSync(): number {
  let n = 0;
  for (const tmp of PENDING) {
    try {
      unlinkSync(tmp);
      n += 1;
    } catch {
      // already gone
    }
  }
  PENDING.clear();
  return n;
}
