/** Turning SDK failures into snapshot `errors[]` entries. */
import type { CollectionError } from '../snapshot/types.js';

/** The AWS error code of an SDK (or network) error. */
export function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const e = err as { name?: unknown; code?: unknown; Code?: unknown };
    // Network failures surface as plain Errors with a Node code (ECONNREFUSED, ...).
    if (typeof e.name === 'string' && e.name !== '' && e.name !== 'Error') return e.name;
    if (typeof e.Code === 'string' && e.Code !== '') return e.Code;
    if (typeof e.code === 'string' && e.code !== '') return e.code;
  }
  return 'Error';
}

/** The error's message, on one line. */
export function errorMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return (raw === '' ? errorCode(err) : raw).replace(/\s+/g, ' ').trim();
}

/** A snapshot error entry for a failed `service:Operation`. */
export function toCollectionError(
  err: unknown,
  source: string,
  accountId?: string,
): CollectionError {
  return {
    ...(accountId === undefined ? {} : { accountId }),
    source,
    code: errorCode(err),
    message: errorMessage(err),
  };
}

/** Runs `fn`; on failure records the error and returns undefined (the field stays absent). */
export async function attempt<T>(
  errors: CollectionError[],
  source: string,
  accountId: string | undefined,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    errors.push(toCollectionError(err, source, accountId));
    return undefined;
  }
}

/** Every item of every page of an SDK paginator (it follows NextToken). */
export async function allPages<P, T>(
  pages: AsyncIterable<P>,
  items: (page: P) => T[] | undefined,
): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}
