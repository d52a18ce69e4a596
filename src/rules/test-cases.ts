/**
 * Rule test cases (`<id>.test.json` beside `<id>.json`,
 * schemas/rule-test.schema.json): read, validate, and turn each case into the
 * documents `check --snapshot` reads — a snapshot of the one account, its
 * attestations and waivers — each validated by the same code as those files.
 * A problem anywhere is an issue naming the case file and the JSON pointer
 * inside it (`/cases/3/account/state`), never a silently skipped case.
 */
import { validateAttestations } from '../facts/load-attestations.js';
import type { Attestations, TransferTarget } from '../facts/types.js';
import type { Issue } from '../errors.js';
import type { RuleTestCase, RuleTestFile } from '../generated/rule-test.js';
import { validateWaivers } from '../gate/waivers.js';
import { readJsonFile } from '../io.js';
import { validateSchema } from '../schema.js';
import { validateSnapshot } from '../snapshot/load.js';
import type { Snapshot } from '../snapshot/types.js';
import type { Waivers } from './types.js';

export type { RuleTestCase, RuleTestFile } from '../generated/rule-test.js';

/** The evaluation time (and collectedAt) of a case without `now`. */
export const DEFAULT_CASE_NOW = '2026-11-28T12:00:00Z';

/** Snapshot parts a case gives elsewhere (`account`, `organization`, `now`). */
const NOT_IN_SNAPSHOT_PART = ['schemaVersion', 'collectedAt', 'organization', 'accounts'];

/** One case, ready for the pipeline. */
export interface PreparedCase {
  file: string;
  /** JSON pointer of the case in its file (`/cases/3`). */
  pointer: string;
  name: string;
  rule: string;
  expected: RuleTestCase['expected'];
  messageIncludes?: string;
  snapshot: Snapshot;
  attestations: Attestations | undefined;
  waivers: Waivers | undefined;
  transfer: TransferTarget | undefined;
  principal: string | undefined;
}

/** What a case file needs from the pack it tests. */
export interface CaseContext {
  /** Rule ids of the pack. */
  rules: ReadonlySet<string>;
  /** Attestable facts the loaded packs declare. */
  attestableFacts: readonly string[];
}

/** Snapshot pointer -> pointer in the case (`/accounts/0/state` -> `/cases/3/account/state`). */
function snapshotPointer(at: string, path: string): string {
  if (path === '') return at;
  if (path === '/accounts') return `${at}/account`;
  if (path.startsWith('/accounts/0')) return `${at}/account${path.slice('/accounts/0'.length)}`;
  if (path === '/collectedAt') return `${at}/now`;
  if (path.startsWith('/organization')) return `${at}${path}`;
  return `${at}/snapshot${path}`;
}

/** Issues of a document built from the case, re-pointed into the case file. */
function repoint(issues: Issue[], file: string, map: (path: string) => string): Issue[] {
  return issues.map((i) => ({ file, path: map(i.path), message: i.message }));
}

function buildSnapshot(c: RuleTestCase, at: string, file: string, issues: Issue[]): Snapshot {
  const parts = c.snapshot ?? {};
  for (const key of Object.keys(parts)) {
    if (NOT_IN_SNAPSHOT_PART.includes(key))
      issues.push({
        file,
        path: `${at}/snapshot/${key}`,
        message: `give ${key} as the case's ${key === 'accounts' ? '"account"' : key === 'collectedAt' ? '"now"' : `"${key}"`}, not inside "snapshot"`,
      });
  }
  const value = {
    schemaVersion: 1,
    collectedAt: c.now ?? DEFAULT_CASE_NOW,
    ...(c.organization !== undefined && { organization: c.organization }),
    errors: [],
    ...Object.fromEntries(Object.entries(parts).filter(([k]) => !NOT_IN_SNAPSHOT_PART.includes(k))),
    accounts: [c.account],
  };
  const checked = validateSnapshot(value, file);
  if (!checked.ok) issues.push(...repoint(checked.issues, file, (p) => snapshotPointer(at, p)));
  return value as unknown as Snapshot;
}

function buildAttestations(
  c: RuleTestCase,
  at: string,
  file: string,
  context: CaseContext,
  issues: Issue[],
): Attestations | undefined {
  if (c.attestations === undefined) return undefined;
  const doc = { schemaVersion: 1, attestations: c.attestations };
  const checked = validateAttestations(doc, file, undefined, context.attestableFacts);
  if (!checked.ok) {
    issues.push(...repoint(checked.issues, file, (p) => `${at}${p}`));
    return undefined;
  }
  checked.value.attestations.forEach((a, i) => {
    if (a.accountId !== c.account.id)
      issues.push({
        file,
        path: `${at}/attestations/${i}/accountId`,
        message: `attests account ${a.accountId}, not the case's account ${String(c.account.id)}`,
      });
  });
  return checked.value;
}

function buildWaivers(c: RuleTestCase, at: string, file: string, issues: Issue[]) {
  if (c.waivers === undefined) return undefined;
  const checked = validateWaivers({ schemaVersion: 1, waivers: c.waivers }, file);
  if (checked.ok) return checked.value;
  issues.push(...repoint(checked.issues, file, (p) => `${at}${p}`));
  return undefined;
}

/** Validates one case and builds its documents; problems go to `issues`. */
function prepareCase(
  c: RuleTestCase,
  index: number,
  file: string,
  context: CaseContext,
  issues: Issue[],
): PreparedCase {
  const at = `/cases/${index}`;
  if (!context.rules.has(c.rule))
    issues.push({
      file,
      path: `${at}/rule`,
      message: `rule "${c.rule}" is not in this directory (its rules: ${[...context.rules].join(', ')})`,
    });
  if (c.expected === 'waived' && c.waivers === undefined)
    issues.push({ file, path: `${at}/expected`, message: '"waived" needs the case\'s "waivers"' });
  return {
    file,
    pointer: at,
    name: c.name,
    rule: c.rule,
    expected: c.expected,
    ...(c.messageIncludes !== undefined && { messageIncludes: c.messageIncludes }),
    snapshot: buildSnapshot(c, at, file, issues),
    attestations: buildAttestations(c, at, file, context, issues),
    waivers: buildWaivers(c, at, file, issues),
    transfer: c.transfer,
    principal: c.principal,
  };
}

/**
 * Reads and validates a case file (`path`; messages name it `file`, as the
 * user gave it). Returns its cases, or the issues that
 * make it unusable (every one, each with the file and a JSON pointer).
 */
export async function loadCaseFile(
  path: string,
  context: CaseContext,
  file: string = path,
): Promise<{ ok: true; cases: PreparedCase[] } | { ok: false; issues: Issue[] }> {
  let value: unknown;
  try {
    value = (await readJsonFile(path, 'rule.invalid')).value;
  } catch (err) {
    const issues = (err as { issues?: Issue[] }).issues;
    if (issues === undefined) throw err;
    return { ok: false, issues: issues.map((i) => ({ ...i, file })) };
  }
  const shape = validateSchema<RuleTestFile>('rule-test', value, file);
  if (!shape.ok) return shape;
  const issues: Issue[] = [];
  const names = new Map<string, number>();
  const cases = shape.value.cases.map((c, i) => {
    const other = names.get(c.name);
    if (other !== undefined)
      issues.push({
        file,
        path: `/cases/${i}/name`,
        message: `duplicate case name (also /cases/${other}/name)`,
      });
    else names.set(c.name, i);
    return prepareCase(c, i, file, context, issues);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, cases };
}
