/**
 * Reading input documents (snapshot, attestations, waivers, config, rules):
 * every way a file can be unreadable or not JSON becomes an `InputError`
 * (exit 2) that names the file and, for a syntax error, the line, column and
 * JSON pointer of the problem. Also the checks every versioned document
 * shares. The atomic write every output file goes through is ./write-file.ts.
 */
import { createHash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { open } from 'node:fs/promises';
import jsonc from 'jsonc-parser';
import { InputError, formatIssue, type Issue, type Result } from './errors.js';
import { findDuplicateKeys } from './json.js';
import { validateSchema, type SchemaName } from './schema.js';

/** The error codes an input file can fail with; the caller says which document it reads. */
export type InputErrorCode =
  | 'snapshot.invalid'
  | 'attestations.invalid'
  | 'waivers.invalid'
  | 'config.invalid'
  | 'rule.invalid'
  | 'report.invalid';

export interface JsonFile {
  /** The parsed document, untrusted until validated. */
  value: unknown;
  /** The decoded text (without a leading byte-order mark). */
  text: string;
  /** Hex SHA-256 of the raw bytes, as they are on disk. */
  sha256: string;
}

/** The schema version every leavegate v1 document carries. */
export const SCHEMA_VERSION = 1;

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many levels of symbolic links (a symlink loop?)',
  ENAMETOOLONG: 'file name too long',
};

/**
 * The largest input file leavegate reads (bytes): a 10,000-account snapshot
 * is ~80 MB; past ~512 MB the text no longer fits one JavaScript string.
 * `LEAVEGATE_MAX_INPUT_BYTES` lowers or raises it.
 */
export function maxInputBytes(): number {
  const env = Number(process.env.LEAVEGATE_MAX_INPUT_BYTES);
  return Number.isSafeInteger(env) && env > 0 ? env : 512 * 1024 * 1024;
}

/**
 * Reads an input file whole, only if it is a regular file within the size
 * limit: a FIFO, a device (`/dev/zero`), a socket or a directory is refused
 * at once instead of blocking or growing without bound. The file is opened
 * non-blocking (so opening a FIFO cannot hang) and checked on the open handle.
 */
export async function readInputFile(path: string, what: InputErrorCode): Promise<Buffer> {
  const fail = (message: string, cause?: unknown): InputError =>
    new InputError(what, [{ file: path, path: '', message }], { cause });
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (err) {
    throw fail(describeReadError(err), err);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw fail('cannot read file: is a directory, not a file (EISDIR)');
    if (!info.isFile())
      throw fail('not a regular file (a pipe, device or socket): give a file on disk');
    const limit = maxInputBytes();
    if (info.size > limit)
      throw fail(`file is ${info.size} bytes, more than the ${limit} bytes leavegate reads`);
    const bytes = await handle.readFile();
    if (bytes.length > limit)
      throw fail(`file grew past the ${limit} bytes leavegate reads while being read`);
    return bytes;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw fail(describeReadError(err), err);
  } finally {
    await handle.close();
  }
}

/** Plain-words reason a file could not be read, from a Node.js fs error. */
export function describeReadError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    const known = READ_ERRORS[code];
    return `cannot read file: ${known ?? (err as Error).message} (${code})`;
  }
  return `cannot read file: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * Reads and parses a JSON file. Throws `InputError` with the code `what` when
 * the file cannot be read (missing, permission, a directory), is not UTF-8,
 * or is not valid JSON (with line, column and JSON pointer of the problem).
 */
export async function readJsonFile(path: string, what: InputErrorCode): Promise<JsonFile> {
  const bytes = await readInputFile(path, what);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let text: string;
  try {
    // fatal: bytes that are not UTF-8 would otherwise turn silently into U+FFFD.
    // The decoder also drops a leading BOM, which editors on Windows like to add.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new InputError(what, [{ file: path, path: '', message: 'not valid UTF-8 text' }], {
      cause: err,
    });
  }
  return { value: parseJsonText(text, path, what), text, sha256 };
}

const SYNTAX_ERRORS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a double-quoted property name',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':' after the property name",
  CommaExpected: "expected ',' or the end of the object or array",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'unexpected content after the JSON document',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'control character in a string',
};

/**
 * Parses JSON text strictly (JSON.parse). On a syntax error, throws
 * `InputError` naming the file, the JSON pointer where parsing stopped, and
 * the line and column. A key that occurs twice in one object is an error too
 * (JSON.parse would silently keep the last one), named by the JSON pointer of
 * the member.
 */
export function parseJsonText(text: string, file: string, what: InputErrorCode): unknown {
  const deep = tooDeep(text);
  if (deep !== undefined) {
    const { line, column } = lineColumn(text, deep.offset);
    throw new InputError(what, [
      {
        file,
        path: jsonPointer(deep.path),
        message: `nesting deeper than ${MAX_DEPTH} levels at line ${line} column ${column}: no leavegate document is shaped like this`,
      },
    ]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    throw new InputError(what, [syntaxIssue(text, file, err)], { cause: err });
  }
  const duplicates = findDuplicateKeys(text);
  if (duplicates.length > 0) {
    throw new InputError(
      what,
      duplicates.map(({ path, key, offset }) => {
        const { line, column } = lineColumn(text, offset);
        return {
          file,
          path: jsonPointer(path),
          message: `duplicate key ${JSON.stringify(key)} at line ${line} column ${column}: which value was meant is unclear`,
        };
      }),
    );
  }
  return value;
}

/** Deeper than any leavegate document (rule conditions included) is ever nested. */
export const MAX_DEPTH = 200;

/**
 * The first place where arrays and objects nest deeper than MAX_DEPTH, found
 * by one linear scan that skips strings, before any recursive parser or
 * validator sees the text (they would overflow the stack).
 */
function tooDeep(text: string): { offset: number; path: (string | number)[] } | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string, escapes included.
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++)
        if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      // jsonc-parser walks only the MAX_DEPTH levels up to here: no overflow.
      if (++depth > MAX_DEPTH) return { offset: i, path: jsonc.getLocation(text, i).path };
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return undefined;
}

function syntaxIssue(text: string, file: string, err: unknown): Issue {
  if (text.trim() === '') return { file, path: '', message: 'the file is empty, expected JSON' };
  // JSON.parse is the authority on validity but its messages do not always
  // carry a position; jsonc-parser (in strict mode) locates the first error
  // and the property path leading to it.
  const errors: jsonc.ParseError[] = [];
  jsonc.parse(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  let offset: number | undefined;
  let what: string;
  if (first !== undefined) {
    offset = first.offset;
    const name = jsonc.printParseErrorCode(first.error);
    what = SYNTAX_ERRORS[name] ?? name;
    if (offset + first.length >= text.length && /^(Unexpected|Close|Value|Comma)/.test(name)) {
      what += ' (the file ends early: truncated?)';
    }
  } else {
    const message = err instanceof Error ? err.message : String(err);
    const position = /at position (\d+)/.exec(message)?.[1];
    offset = position === undefined ? undefined : Number(position);
    what = message.replace(/ in JSON at position \d+.*$/s, '');
  }
  if (offset === undefined) return { file, path: '', message: `invalid JSON: ${what}` };
  const { line, column } = lineColumn(text, offset);
  const location = jsonc.getLocation(text, offset);
  // Where a property name is expected but none has begun, jsonc reports an empty key: drop it.
  const segments =
    location.isAtPropertyKey && location.path.at(-1) === ''
      ? location.path.slice(0, -1)
      : location.path;
  return {
    file,
    path: jsonPointer(segments),
    message: `invalid JSON at line ${line} column ${column}: ${what}`,
  };
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** RFC 6901 JSON pointer from path segments (`['accounts', 3, 'id']` -> `/accounts/3/id`). */
export function jsonPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** The value at a JSON pointer, or undefined. */
export function valueAt(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  let current = value;
  for (const raw of pointer.slice(1).split('/')) {
    if (current === null || typeof current !== 'object') return undefined;
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * True when `s` is a date-time that the schema's `date-time` format accepts
 * AND that Date.parse understands: RFC 3339 admits forms (a leap second,
 * `+01` offsets) that JavaScript cannot turn into an instant.
 */
export function isParseableDateTime(s: string): boolean {
  return !Number.isNaN(Date.parse(s));
}

/** An issue for a date string that cannot be turned into an instant, else undefined. */
export function dateIssue(s: string, path: string, file: string | undefined): Issue | undefined {
  if (isParseableDateTime(s)) return undefined;
  return { file, path, message: unparseableDate(s) };
}

function unparseableDate(s: unknown): string {
  return `unparseable date-time ${JSON.stringify(s)}: expected RFC 3339, e.g. 2026-11-28T12:00:00Z`;
}

/**
 * Validates a versioned document against its bundled schema. An unknown
 * `schemaVersion` is reported alone (the rest of a newer document's errors
 * would be noise); date-format violations say what was found.
 */
export function validateVersioned<T>(name: SchemaName, value: unknown, file?: string): Result<T> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const version = (value as Record<string, unknown>).schemaVersion;
    if (typeof version === 'number' && version !== SCHEMA_VERSION) {
      return {
        ok: false,
        issues: [
          {
            file,
            path: '/schemaVersion',
            message: `unsupported schemaVersion ${version}; this leavegate reads ${SCHEMA_VERSION}`,
          },
        ],
      };
    }
  } else {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
    return {
      ok: false,
      issues: [
        { file, path: '', message: `expected a JSON object with schemaVersion, found ${kind}` },
      ],
    };
  }
  const result = validateSchema<T>(name, value, file);
  if (result.ok) return result;
  return {
    ok: false,
    issues: result.issues.map((issue) =>
      issue.message === 'must match format "date-time"'
        ? { ...issue, message: unparseableDate(valueAt(value, issue.path)) }
        : issue,
    ),
  };
}

/** A validation result that also carries warnings (problems that change no verdict), formatted `file: /pointer: message`. */
export type ValidationWithWarnings<T> = Result<T> & { warnings: string[] };

/**
 * Validates a versioned document: the schema first (validateVersioned), then,
 * only if the shape is right, `check` for what the schema cannot say. Issues
 * fail the document; warnings are returned formatted either way.
 */
export function validateDocument<T>(
  name: SchemaName,
  value: unknown,
  file: string | undefined,
  check: (document: T) => { issues: Issue[]; warnings: Issue[] },
): ValidationWithWarnings<T> {
  const shape = validateVersioned<T>(name, value, file);
  if (!shape.ok) return { ...shape, warnings: [] };
  const { issues, warnings } = check(shape.value);
  const formatted = warnings.map(formatIssue);
  if (issues.length > 0) return { ok: false, issues, warnings: formatted };
  return { ok: true, value: shape.value, warnings: formatted };
}

/** Returns the value of a successful result, or throws `InputError` with every issue. */
export function valueOrThrow<T>(result: Result<T>, code: InputErrorCode): T {
  if (result.ok) return result.value;
  throw new InputError(code, result.issues);
}
