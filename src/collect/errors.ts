/**
 * The one way a collection problem is recorded. A source (or a walk) answers
 * an Outcome: its value, or none, and the SourceErrors that say why something
 * is missing; a source that throws has its error recorded the same way by the
 * runner. Only the runner turns SourceErrors into the snapshot's `errors[]`.
 */
import { redactSecrets } from '../secrets.js';
import type { CollectionError } from '../snapshot/types.js';
import type { Operation } from './sources/ids.js';

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
  return redactSecrets(raw === '' ? errorCode(err) : raw)
    .replace(/\s+/g, ' ')
    .trim();
}

/** A failed `service:Operation`, about an account or the organization. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  readonly code: string;

  constructor(
    readonly source: Operation,
    cause: unknown,
    readonly accountId?: string,
  ) {
    super(errorMessage(cause), { cause });
    this.code = errorCode(cause);
  }

  /** `err` as a SourceError: an existing one keeps its (more precise) operation. */
  static of(err: unknown, source: Operation, accountId?: string): SourceError {
    return err instanceof SourceError ? err : new SourceError(source, err, accountId);
  }

  /** The snapshot entry; `accountId` is used when the error names none. */
  entry(accountId?: string): CollectionError {
    const about = this.accountId ?? accountId;
    return {
      ...(about === undefined ? {} : { accountId: about }),
      source: this.source,
      code: this.code,
      message: this.message,
    };
  }
}

/** An error that is not an AWS one but says why a result cannot be trusted (code `name`). */
export function problem(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/**
 * What a source or walk read: `value` absent means not read (the snapshot
 * field stays absent), and `errors` say why; a value may come with errors
 * about parts of it (they left those parts absent).
 */
export interface Outcome<T> {
  value?: T;
  errors?: readonly SourceError[];
}

/** Runs `fn`; a failure is rethrown as a SourceError of `source` (unless it already is one). */
export async function read<T>(
  source: Operation,
  fn: () => Promise<T>,
  accountId?: string,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw SourceError.of(err, source, accountId);
  }
}

/** Runs `fn` into an Outcome: its value, or the SourceError of its failure. */
export async function outcome<T>(
  source: Operation,
  fn: () => Promise<T>,
  accountId?: string,
): Promise<Outcome<T>> {
  try {
    return { value: await fn() };
  } catch (err) {
    return { errors: [SourceError.of(err, source, accountId)] };
  }
}

/**
 * Runs `fn` for every item (each through `limit`), one SourceError per failed
 * item. The caller leaves its field absent when any failed, rather than build
 * it from part of the data.
 */
export async function readEach<T>(
  items: readonly T[],
  limit: <R>(fn: () => Promise<R>) => Promise<R>,
  source: Operation,
  accountOf: (item: T) => string | undefined,
  fn: (item: T) => Promise<void>,
): Promise<SourceError[]> {
  const errors: SourceError[] = [];
  await Promise.all(
    items.map((item) =>
      limit(() => fn(item)).catch((err: unknown) => {
        errors.push(SourceError.of(err, source, accountOf(item)));
      }),
    ),
  );
  return errors;
}

/** Every item of every page of an SDK paginator (it follows NextToken). */
export async function allPages<P, T>(
  pages: AsyncIterable<P>,
  items: (page: P) => T[] | undefined,
): Promise<T[]> {
  const out: T[] = [];
  await eachPage(pages, (page) => {
    out.push(...(items(page) ?? []));
    return false;
  });
  return out;
}

/**
 * Hands every page of an SDK paginator to `onPage` until it answers true
 * (found what it needed: no further page is requested) or the pages end.
 */
export async function eachPage<P>(
  pages: AsyncIterable<P>,
  onPage: (page: P) => boolean,
): Promise<void> {
  const tokens = new Set<string>();
  let count = 0;
  for await (const page of pages) {
    if (onPage(page)) return;
    // An endpoint that hands back a token it already gave (or never stops)
    // would page forever: an error for the source, not an endless run.
    const token = nextToken(page);
    if (token !== undefined) {
      if (tokens.has(token))
        throw problem('PaginationLoop', 'the service returned a NextToken it had already returned');
      tokens.add(token);
    }
    if (++count >= MAX_PAGES)
      throw problem('PaginationLimit', `more than ${MAX_PAGES} pages: stopped`);
  }
}

/** No list leavegate reads has more pages than this (10,000 accounts at 20 a page is 500). */
const MAX_PAGES = 10_000;

function nextToken(page: unknown): string | undefined {
  if (typeof page !== 'object' || page === null) return undefined;
  const p = page as Record<string, unknown>;
  const t = p.NextToken ?? p.nextToken ?? p.Marker ?? p.NextMarker;
  return typeof t === 'string' && t !== '' ? t : undefined;
}
