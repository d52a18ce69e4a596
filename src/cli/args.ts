/**
 * Parsing and checking of command-line values: each returns the value or
 * throws UsageError (exit 2) naming the flag.
 */
import { resolve } from 'node:path';
import { parseIamPrincipalArn } from '../arn.js';
import { UsageError } from '../errors.js';
import type { FailOn } from '../gate/verdict.js';
import type { ReportFormat } from '../report/write.js';
import { FORMAT_NAMES, isFormatName, STDOUT_FORMATS } from './formats.js';

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * `--now`: strict ISO 8601 date-time with a zone (`2026-11-28T12:00:00Z`,
 * `2026-11-28T13:00+01:00`). A date alone, a time without a zone, or a
 * calendar impossibility (`2026-02-30`, `T24:00`) is refused rather than
 * read in some local time or rolled over to another day.
 */
export function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const m = ISO_DATE_TIME.exec(value);
  const bad = () =>
    new UsageError(
      `--now: "${value}" is not an ISO 8601 date-time with a zone (e.g. 2026-11-28T12:00:00Z)`,
    );
  if (m === null) throw bad();
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const offsetOk = m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
  if (
    month! < 1 ||
    month! > 12 ||
    day! < 1 ||
    day! > daysInMonth(year!, month!) ||
    hour! > 23 ||
    minute! > 59 ||
    second! > 59 ||
    !offsetOk
  )
    throw bad();
  return new Date(Date.parse(value));
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `--max-snapshot-age`: `24h`, `90m`, `1d12h`, `2w` (positive). */
export function parseDuration(flag: string, value: string): number {
  const parts = /^(?:\d+(?:ms|s|m|h|d|w))+$/.test(value)
    ? [...value.matchAll(/(\d+)(ms|s|m|h|d|w)/g)]
    : [];
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
  if (parts.length === 0 || ms <= 0 || !Number.isSafeInteger(ms))
    throw new UsageError(`${flag}: "${value}" is not a duration (e.g. 24h, 90m, 1d12h, 2w)`);
  return ms;
}

/** `--fail-on blocker|warning`. */
export function parseFailOn(value: string | undefined): FailOn | undefined {
  if (value === undefined) return undefined;
  if (value === 'blocker' || value === 'warning') return value;
  throw new UsageError(`--fail-on: "${value}" must be blocker or warning`);
}

/** Flags whose value is a secret or close to one: never written into a report or log. */
const SECRET_FLAG = /^--?(external-id|.*(secret|token|password|credential|session).*)$/i;
/** AWS access key ids and anything shaped like a secret access key. */
const SECRET_VALUE = /\b(AKIA|ASIA)[A-Z0-9]{16}\b|\b[A-Za-z0-9/+]{40}\b/g;

/**
 * The command line as the report records it: values of secret-bearing flags
 * and anything that looks like an AWS key replaced by `***`.
 */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  let hideNext = false;
  for (const arg of argv) {
    if (hideNext) {
      out.push('***');
      hideNext = false;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('-') ? (eq === -1 ? arg : arg.slice(0, eq)) : undefined;
    if (flag !== undefined && SECRET_FLAG.test(flag)) {
      if (eq === -1) hideNext = true;
      out.push(eq === -1 ? arg : `${flag}=***`);
      continue;
    }
    out.push(arg.replace(SECRET_VALUE, '***'));
  }
  return out;
}

/** `--format json,html` (repeatable, comma-separated). */
export function parseFormats(
  value: string | string[] | undefined,
  fallback: ReportFormat[],
): ReportFormat[] {
  if (value === undefined) return fallback;
  const names = (Array.isArray(value) ? value : [value])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !isFormatName(n));
  if (bad.length > 0)
    throw new UsageError(
      `--format: unknown format ${bad.join(', ')} (known: ${FORMAT_NAMES.join(', ')})`,
    );
  return names as ReportFormat[];
}

/** `--account ID` (repeatable, comma-separated): 12-digit ids. */
export function accountIds(value: unknown): string[] {
  const list = (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((v) =>
    String(v).split(','),
  );
  for (const id of list) {
    if (!/^\d{12}$/.test(id))
      throw new UsageError(`--account: "${id}" is not a 12-digit AWS account id`);
  }
  return list;
}

/**
 * `--principal` must be an IAM role or user ARN with its path: a session ARN
 * (`arn:aws:sts::…:assumed-role/Name/session`) hides the role's path, and SCP
 * conditions on aws:PrincipalArn depend on it — evaluating a guess could pass.
 */
export function parsePrincipal(value: string): string;
export function parsePrincipal(value: string | undefined): string | undefined;
export function parsePrincipal(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (parseIamPrincipalArn(value) === undefined) {
    throw new UsageError(
      `--principal: "${value}" is not an IAM role or user ARN (e.g. arn:aws:iam::123456789012:role/ops/Leaver); ` +
        'give the role ARN with its path, not a session ARN',
    );
  }
  return value;
}

/** `--transfer-to`: an organization id as AWS writes it (`o-` and 10 to 32 lowercase letters or digits). */
export function parseOrganizationId(flag: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^o-[a-z0-9]{10,32}$/.test(value))
    throw new UsageError(
      `${flag}: ${JSON.stringify(value) ?? 'nothing'} is not an organization id (o- followed by 10 to 32 lowercase letters or digits)`,
    );
  return value;
}

/** `--handshake`: a handshake id as AWS writes it (`h-` and 8 to 32 lowercase letters or digits). */
export function parseHandshakeId(value: unknown): string {
  if (typeof value !== 'string' || !/^h-[0-9a-z]{8,32}$/.test(value))
    throw new UsageError(
      `--handshake: ${JSON.stringify(value) ?? 'nothing'} is not a handshake id (h- followed by 8 to 32 lowercase letters or digits)`,
    );
  return value;
}

/** Where reports go: files in a directory, or one format on stdout (`--out -`). */
export type ReportOutput =
  | { kind: 'dir'; dir: string; formats: ReportFormat[] }
  | { kind: 'stdout'; format: (typeof STDOUT_FORMATS)[number] };

/**
 * `--out DIR|-` with `--format`: `-` takes exactly one of json, sarif, junit
 * or md (stdout then carries that document and nothing else); several
 * formats, or html, cannot share one stream and are a usage error.
 */
export function parseOutput(out: string, formats: ReportFormat[], cwd: string): ReportOutput {
  if (out !== '-') return { kind: 'dir', dir: resolve(cwd, out), formats };
  const unique = [...new Set(formats)];
  const only = unique[0];
  if (unique.length !== 1 || only === undefined)
    throw new UsageError(
      `--out -: writes one format to stdout; give exactly one of --format ${STDOUT_FORMATS.join('|')} (got ${unique.length === 0 ? 'none' : unique.join(',')})`,
    );
  if (!(STDOUT_FORMATS as readonly string[]).includes(only))
    throw new UsageError(
      `--out -: ${only} cannot be written to stdout (one of ${STDOUT_FORMATS.join(', ')}); write it to a directory with --out DIR`,
    );
  return { kind: 'stdout', format: only as (typeof STDOUT_FORMATS)[number] };
}
