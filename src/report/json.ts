/**
 * report.json: the full, machine-readable report (contract, DESIGN §4.6).
 * Validated against schemas/report.schema.json and checked for internal
 * consistency before it is returned, so a pipeline never reads a report that
 * contradicts itself (e.g. `ready` next to a failed rule).
 */
import { InputError, type Issue, type Result } from '../errors.js';
import { readJsonFile, valueOrThrow } from '../io.js';
import { loadSchema, validateSchema } from '../schema.js';
import { countWarnings, verdictOf } from '../gate/verdict.js';
import { accountImpact, impactSection } from './impact.js';
import { catalogOf, restoreFromCatalog, writtenAccount } from './json-catalog.js';
import { compileOrder, ordered, type OrderPlan } from './json-order.js';
import type { AccountReport, Report, RuleInfo } from './types.js';

/**
 * Checks the schema cannot express: verdicts follow from statuses under the
 * report's `failOn`, summary counts add up (the warnings count too, when
 * present), an account's impact section is the one its results give, and — when the report carries its rule catalog — every
 * account has a result for every catalog rule and no rule the catalog calls
 * unwaivable is waived (either would let an account read ready that the gate
 * would not pass).
 */
function consistencyIssues(report: Report, file: string | undefined): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const catalog = catalogOf(report);
  report.accounts.forEach((account, i) => {
    issues.push(...accountIssues(account, `/accounts/${i}`, report.failOn, file));
    if (seen.has(account.accountId)) {
      issues.push({
        file,
        path: `/accounts/${i}/accountId`,
        message: `duplicate account ${account.accountId}`,
      });
    }
    seen.add(account.accountId);
    if (catalog !== undefined) {
      issues.push(...catalogIssues(account, `/accounts/${i}`, catalog, file));
    }
  });
  issues.push(...summaryIssues(report, file));
  return issues;
}

/** The section is the one the results give (or, in a report of an earlier version, the full one). */
function impactFollows(
  impact: NonNullable<AccountReport['impact']>,
  account: AccountReport,
): boolean {
  const want = impactSection(account);
  const same =
    impact.findings.length === want.findings.length &&
    impact.checklist.length === want.checklist.length &&
    impact.checklist.every((step, i) => step === want.checklist[i]) &&
    impact.findings.every((f, i) => {
      const w = want.findings[i]!;
      return (
        f.rule === w.rule &&
        f.severity === w.severity &&
        f.status === w.status &&
        f.title === undefined &&
        f.message === undefined &&
        Object.keys(f).length === 3
      );
    });
  return same || JSON.stringify(impact) === JSON.stringify(accountImpact(account));
}

/** The account against itself: its verdict and impact section follow from its results. */
function accountIssues(
  account: AccountReport,
  at: string,
  failOn: Report['failOn'],
  file: string | undefined,
): Issue[] {
  const issues: Issue[] = [];
  const expected = verdictOf(account, failOn);
  if (account.verdict !== expected) {
    issues.push({
      file,
      path: `${at}/verdict`,
      message: `is "${account.verdict}" but its rule results make it "${expected}"`,
    });
  }
  if (account.impact !== undefined && !impactFollows(account.impact, account)) {
    issues.push({
      file,
      path: `${at}/impact`,
      message: "does not follow from the account's impact rule results",
    });
  }
  return issues;
}

/** The account against the report's rule catalog: a result for every rule, no unwaivable rule waived. */
function catalogIssues(
  account: AccountReport,
  at: string,
  catalog: ReadonlyMap<string, RuleInfo>,
  file: string | undefined,
): Issue[] {
  const issues: Issue[] = [];
  const results = new Set(account.rules.map((r) => r.id));
  const missing = [...catalog.keys()].filter((id) => !results.has(id));
  if (missing.length > 0) {
    issues.push({
      file,
      path: `${at}/rules`,
      message: `has no result for ${missing.join(', ')}: every rule of the report must have one`,
    });
  }
  account.rules.forEach((r, j) => {
    if (r.status === 'waived' && catalog.get(r.id)?.waivable === false) {
      issues.push({
        file,
        path: `${at}/rules/${j}/status`,
        message: `is "waived" but rule ${r.id} cannot be waived`,
      });
    }
  });
  return issues;
}

/** The summary against the accounts: every count adds up. */
function summaryIssues(report: Report, file: string | undefined): Issue[] {
  const issues: Issue[] = [];
  const { summary } = report;
  if (summary.accounts !== report.accounts.length) {
    issues.push({
      file,
      path: '/summary/accounts',
      message: `is ${summary.accounts} but the report lists ${report.accounts.length} accounts`,
    });
  }
  for (const v of ['ready', 'blocked', 'unknown'] as const) {
    const count = report.accounts.filter((a) => a.verdict === v).length;
    if (summary[v] !== count) {
      issues.push({
        file,
        path: `/summary/${v}`,
        message: `is ${summary[v]} but ${count} accounts are ${v}`,
      });
    }
  }
  if (summary.warnings !== undefined) {
    const warnings = countWarnings(report.accounts);
    if (summary.warnings !== warnings) {
      issues.push({
        file,
        path: '/summary/warnings',
        message: `is ${summary.warnings} but ${warnings} warning results failed or are unknown`,
      });
    }
  }
  return issues;
}

/**
 * Validates an untrusted value as a report v1: the schema, then (only if the
 * shape is right) its own consistency. Every issue names `file` and a JSON
 * pointer. Anything that reads a report from disk should use this, not the
 * schema alone: a schema-valid report can still call a failing account ready.
 */
export function validateReport(value: unknown, file = 'report.json'): Result<Report> {
  const result = validateSchema<Report>('report', value, file);
  if (!result.ok) return result;
  const report = restoreFromCatalog(result.value);
  const issues = consistencyIssues(report, file);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: report };
}

/**
 * Validates a report against the report v1 schema and its own consistency.
 * Throws an InputError with code `report.invalid` naming every JSON path.
 */
export function assertValidReport(value: unknown, file = 'report.json'): asserts value is Report {
  const result = validateReport(value, file);
  if (!result.ok) throw new InputError('report.invalid', result.issues);
}

/**
 * Reads and validates a report.json (schema and consistency). Throws
 * `InputError` ('report.invalid', exit 2) naming the file and JSON pointer of
 * every problem.
 */
export async function loadReportFile(path: string): Promise<Report> {
  const { value } = await readJsonFile(path, 'report.invalid');
  return valueOrThrow(validateReport(value, path), 'report.invalid');
}

let reportOrder: OrderPlan | undefined;

/** The report schema's key order, compiled once. */
function order(): OrderPlan | undefined {
  return (reportOrder ??= compileOrder(loadSchema('report')));
}

/** Above this many accounts each account is written on one line (see renderJsonChunks). */
export const PRETTY_ACCOUNTS_LIMIT = 1000;

/**
 * report.json: the report validated (schema + consistency), with a stable key
 * order and a final newline; pretty-printed with two spaces, except that in a
 * report of more than PRETTY_ACCOUNTS_LIMIT accounts each account is one line
 * (greppable, diffable per account, and several times faster to write).
 * @throws InputError `report.invalid` naming the JSON path of every problem.
 */
export function renderJson(report: Report): string {
  assertValidReport(report);
  return [...renderJsonChunks(report)].join('');
}

/**
 * The bytes of `renderJson`, produced in pieces: the report without its
 * accounts, then one account at a time, so writing 10,000 accounts never
 * holds a copy of the whole report or one giant string.
 * The caller validates first (`assertValidReport`).
 */
export function* renderJsonChunks(report: Report): Generator<string> {
  const plan = order();
  const marker = '"accounts": []';
  const head = JSON.stringify(ordered({ ...report, accounts: [] }, plan), null, 2);
  const at = head.indexOf(marker);
  if (at < 0) throw new Error('internal: accounts missing from the report skeleton');
  if (report.accounts.length === 0) {
    yield `${head}\n`;
    return;
  }
  yield `${head.slice(0, at)}"accounts": [\n`;
  const item = plan?.props.get('accounts')?.items;
  const catalog = catalogOf(report);
  const pretty = report.accounts.length <= PRETTY_ACCOUNTS_LIMIT;
  const last = report.accounts.length - 1;
  for (let i = 0; i <= last; i++) {
    const value = ordered(writtenAccount(report.accounts[i]!, catalog), item);
    const text = pretty
      ? JSON.stringify(value, null, 2).replace(/\n/g, '\n    ')
      : JSON.stringify(value);
    yield `    ${text}${i < last ? ',' : ''}\n`;
  }
  yield `  ]${head.slice(at + marker.length)}\n`;
}
