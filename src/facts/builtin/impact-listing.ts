/**
 * The shape every list-valued impact fact (DESIGN §7) answers, and a per-run
 * index for the organization-wide ones: a snapshot of 10,000 accounts must
 * not be scanned once per account.
 */
import type { Index } from '../snapshot-index.js';

/**
 * `items`: what the rule decides on (it fails when there is any); `summary`:
 * the same items in one line, as rule messages and reports name them
 * (`none` when empty).
 */
export interface Listing<T> {
  items: T[];
  summary: string;
}

export function listing<T>(items: T[], line: (item: T) => string): Listing<T> {
  return { items, summary: items.length === 0 ? 'none' : items.map(line).join('; ') };
}

/** `build` runs once per derivation run (per snapshot index), then answers from its result. */
export function perRun<T>(build: (index: Index) => T): (index: Index) => T {
  const memo = new WeakMap<Index, T>();
  return (index) => {
    let value = memo.get(index);
    if (value === undefined) memo.set(index, (value = build(index)));
    return value;
  };
}

/** Appends `value` to the list of `key`. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
