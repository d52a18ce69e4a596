/** A JSON value as it comes out of JSON.parse: nothing more is assumed. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A key that occurs twice in one JSON object. */
export interface DuplicateKey {
  /** Path to the duplicated member (`['accounts', 0, 'state']`). */
  path: (string | number)[];
  /** The key, decoded. */
  key: string;
  /** Offset of the later occurrence in the text. */
  offset: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** An open object (keys seen so far) or array (index of the current element). */
interface Frame {
  isObject: boolean;
  /** The object's keys so far. */
  keys: string[];
  /** The same keys as a set, once there are too many to search the array. */
  set: Set<string> | undefined;
  key: string;
  index: number;
  expectKey: boolean;
}

/** Most objects have a handful of keys: an array search beats a Set up to about this many. */
const SMALL_OBJECT = 16;

/** Records `key` in the object `frame`; true when it was already there. */
function repeated(frame: Frame, key: string): boolean {
  if (frame.set !== undefined) {
    if (frame.set.has(key)) return true;
    frame.set.add(key);
    return false;
  }
  if (frame.keys.includes(key)) return true;
  frame.keys.push(key);
  if (frame.keys.length > SMALL_OBJECT) frame.set = new Set(frame.keys);
  return false;
}

/**
 * Keys that occur more than once in the same object, in document order (at
 * most `limit`). JSON.parse keeps the last occurrence without a word, so a
 * hand-edited `"state": "SUSPENDED"` can be shadowed by a later
 * `"state": "ACTIVE"`.
 *
 * `text` must be JSON that JSON.parse accepted: the scan then only needs to
 * track structure. One pass; string values are skipped with indexOf, and
 * only keys are sliced: on an 80 MB snapshot it costs about a quarter of
 * what JSON.parse does.
 */
export function findDuplicateKeys(text: string, limit = 100): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  // One frame per nesting depth, reused: a snapshot opens about a million objects.
  const frames: Frame[] = [];
  let depth = 0;
  let top: Frame | undefined;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = closingQuote(text, i);
      if (top?.expectKey === true) {
        const raw = text.slice(i + 1, end);
        // Escapes are rare in keys; decode them so "a" and "\u0061" are one key.
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (repeated(top, key) && found.length < limit) {
          found.push({ path: [...frames.slice(0, depth - 1).map(position), key], key, offset: i });
        }
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const isObject = c === OPEN_BRACE;
      top = frames[depth];
      if (top === undefined) {
        top = { isObject, keys: [], set: undefined, key: '', index: 0, expectKey: isObject };
        frames.push(top);
      } else {
        top.isObject = isObject;
        top.keys.length = 0;
        top.set = undefined;
        top.index = 0;
        top.expectKey = isObject;
      }
      depth += 1;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth -= 1;
      top = depth > 0 ? frames[depth - 1] : undefined;
    } else if (c === COMMA && top !== undefined) {
      if (top.isObject) top.expectKey = true;
      else top.index += 1;
    }
  }
  return found;
}

function position(frame: Frame): string | number {
  return frame.isObject ? frame.key : frame.index;
}

/** Offset of the quote that closes the string opening at `open` (the text's length if none). */
function closingQuote(text: string, open: number): number {
  let q = text.indexOf('"', open + 1);
  while (q !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return q;
    q = text.indexOf('"', q + 1);
  }
  return text.length;
}
