/**
 * The small set of errors leavegate raises. Each has a stable `code` that
 * pipelines and tests can rely on, and the exit code the CLI maps it to.
 * Messages name the subject first: `rules/x.json: /conditions/all/0: must be ...`.
 */

export type ErrorCode =
  | 'usage'
  | 'config.invalid'
  | 'rule.invalid'
  | 'snapshot.invalid'
  | 'attestations.invalid'
  | 'waivers.invalid'
  | 'report.invalid'
  | 'plugin.invalid'
  | 'collect.failed'
  | 'execute.refused'
  | 'io.failed';

/** One problem in an input file: where (file + JSON pointer) and what. */
export interface Issue {
  file?: string | undefined;
  /** JSON pointer into the file, e.g. `/accounts/3/id`; empty string for the whole document. */
  path: string;
  message: string;
}

/** Result of a validation: a value, or every problem found. */
export type Result<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

/** Formats an issue as `file: /json/path: message`. */
export function formatIssue(issue: Issue): string {
  const where = [issue.file, issue.path === '' ? '/' : issue.path].filter(
    (s): s is string => s !== undefined,
  );
  return `${where.join(': ')}: ${issue.message}`;
}

/** Base class: carries a stable code and the CLI exit code. */
export class LeavegateError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly issues: readonly Issue[];

  constructor(
    code: ErrorCode,
    message: string,
    options?: { issues?: Issue[]; exitCode?: number; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options?.exitCode ?? 2;
    this.issues = options?.issues ?? [];
  }
}

/**
 * Bad input: a file that cannot be read or parsed, a schema violation, a
 * semantic error. Always exit 2, always names the file and JSON path.
 */
export class InputError extends LeavegateError {
  constructor(code: ErrorCode, issues: Issue[], options?: { cause?: unknown }) {
    const lines = issues.slice(0, 20).map(formatIssue);
    if (issues.length > 20) lines.push(`... and ${issues.length - 20} more`);
    super(code, lines.join('\n'), { issues, exitCode: 2, ...options });
  }
}

/** Wrong command-line usage (exit 2). */
export class UsageError extends LeavegateError {
  constructor(message: string) {
    super('usage', message, { exitCode: 2 });
  }
}

/** Collection could not even start (no credentials, not an organization). */
export class CollectError extends LeavegateError {
  constructor(message: string, options?: { cause?: unknown; exitCode?: number }) {
    super('collect.failed', message, { exitCode: options?.exitCode ?? 2, cause: options?.cause });
  }
}

/** The executor refused to act. exitCode: 1 blocked, 3 unknown, 2 usage/unconfirmed. */
export class ExecuteRefusedError extends LeavegateError {
  constructor(message: string, exitCode: number, options?: { cause?: unknown }) {
    super('execute.refused', message, { exitCode, cause: options?.cause });
  }
}
