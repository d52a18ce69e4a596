/**
 * "What changes when this account leaves" (DESIGN §7), shared by every
 * format: what the impact rules found (their results that did not pass,
 * with the message that names the StackSets, permission sets, shares,
 * policies, services and Savings Plans), and the checklist for after the
 * call. A pure function of one account's results: strings stay raw here,
 * each format escapes them.
 */
import type { AccountImpact, AccountReport, RuleResult } from './types.js';

/** One impact rule that did not pass, with what it found (its result's title and message). */
export interface ImpactFinding {
  rule: string;
  title: string;
  severity: RuleResult['severity'];
  status: Exclude<RuleResult['status'], 'pass'>;
  message: string;
}

/** The section as people read it: the findings in full and the whole checklist. */
export interface ImpactView {
  findings: ImpactFinding[];
  checklist: string[];
}

/** The built-in impact pack (rules/leave-impact/pack.json). */
export const IMPACT_PACK = 'leave-impact';

/** The role the old management account can still assume after the account left. */
export const MANAGEMENT_ROLE = 'OrganizationAccountAccessRole';

/** What to do after every successful leave or transfer, whatever the impact rules found. */
export const AFTER_LEAVING: readonly string[] = [
  `Delete or re-trust the member role the old management account still holds (${MANAGEMENT_ROLE}, where it exists): detach its policies and \`aws iam delete-role --role-name ${MANAGEMENT_ROLE}\`, or \`aws iam update-assume-role-policy --role-name ${MANAGEMENT_ROLE} --policy-document file://trust.json\` to trust only the new owners`,
  'Re-point the alternate contacts (billing, operations, security) to the new owners, from the account itself: `aws account put-alternate-contact --alternate-contact-type BILLING --name … --email-address … --phone-number … --title …` (and OPERATIONS, SECURITY)',
  "Export the account's billing data the old management account keeps (consolidated bills, Cost and Usage Reports, Cost Explorer filtered on the linked account); from now on the account is billed on its own",
];

function isImpact(rule: RuleResult): boolean {
  return rule.pack === IMPACT_PACK;
}

/**
 * The impact rules that did not pass (a waived one still happens: it is
 * listed), blockers first, otherwise in the pack's order.
 */
export function impactFindings(account: Pick<AccountReport, 'rules'>): ImpactFinding[] {
  return account.rules
    .flatMap((r): ImpactFinding[] =>
      !isImpact(r) || r.status === 'pass'
        ? []
        : [
            {
              rule: r.id,
              title: r.title,
              severity: r.severity,
              status: r.status,
              message: r.message,
            },
          ],
    )
    .sort((a, b) => Number(a.severity !== 'blocker') - Number(b.severity !== 'blocker'));
}

/** One checklist line per finding: what must be re-created, replaced or checked (and, in full, what it found). */
function findingStep(f: Pick<ImpactFinding, 'rule' | 'status'>, found?: string): string {
  const step =
    f.status === 'unknown'
      ? `Find out what ${f.rule} could not read, and re-create it`
      : `Re-create or hand over what ${f.rule} listed`;
  return found === undefined ? step : `${step}: ${found}`;
}

/** The impact section of one account as people read it (every format but JSON). */
export function accountImpact(account: Pick<AccountReport, 'rules'>): ImpactView {
  const findings = impactFindings(account);
  return {
    findings,
    checklist: [...AFTER_LEAVING, ...findings.map((f) => findingStep(f, f.message))],
  };
}

/**
 * The impact section as report.json carries it: nothing the report already
 * says elsewhere (each finding's title and message are in the account's rule
 * result of that id; the steps for every account are once in `afterLeaving`),
 * so 10,000 accounts do not repeat them 10,000 times.
 */
export function impactSection(account: Pick<AccountReport, 'rules'>): AccountImpact {
  const findings = impactFindings(account);
  return {
    findings: findings.map((f) => ({ rule: f.rule, severity: f.severity, status: f.status })),
    checklist: findings.map((f) => findingStep(f)),
  };
}

/** Whether the impact pack was evaluated for the account. */
function hasImpact(account: Pick<AccountReport, 'rules'>): boolean {
  return account.rules.some(isImpact);
}

/**
 * The account with its impact section when the impact pack was evaluated for
 * it (a report without that pack, e.g. only `--rules`, has none to give).
 */
export function withImpact(account: AccountReport): AccountReport {
  return hasImpact(account) ? { ...account, impact: impactSection(account) } : account;
}

/**
 * Whether the people-facing formats show the section: for accounts that are
 * not ready or have impact findings (a ready account with nothing found
 * needs only the generic checklist, printed by `leave`).
 */
export function showsImpact(account: AccountReport, impact: ImpactView): boolean {
  return account.verdict !== 'ready' || impact.findings.length > 0;
}

export const IMPACT_TITLE = 'What changes when this account leaves';
export const CHECKLIST_TITLE = 'After the call';
export const NOTHING_FOUND = 'The impact rules found nothing that changes.';
