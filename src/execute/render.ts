/**
 * What an executor run prints about a refusal and a plan. Untrusted strings
 * (account names, messages, waiver texts) go through printable().
 */
import { CHECKLIST_TITLE, IMPACT_TITLE, NOTHING_FOUND } from '../report/impact.js';
import type { ImpactView } from '../report/impact.js';
import { printable } from '../text.js';
import type { MembershipChange } from './change.js';
import { reasonLine } from './gate.js';
import type { LeavePlan, Refusal } from './gate.js';

export function renderRefusal(refusal: Refusal): string {
  const lines = [printable(refusal.summary)];
  for (const r of refusal.reasons) {
    lines.push(`  - ${printable(reasonLine(r))}`);
    if (r.remediation !== undefined) lines.push(`    fix: ${printable(r.remediation)}`);
  }
  return lines.join('\n');
}

export function renderPlan(change: MembershipChange, plan: LeavePlan, dryRun: boolean): string {
  const name = plan.accountName === undefined ? '' : ` (${printable(plan.accountName)})`;
  const lines = [
    `account ${plan.accountId}${name} is ready: every blocking rule passes${plan.waived.length > 0 ? ` or is waived` : ''}.`,
    `  ${dryRun ? 'would' : 'will'} ${change.describe(plan)} (management account ${plan.managementAccountId}) as ${printable(plan.callerArn)}`,
    `  ${plan.tags.length} tag(s) exported (AWS deletes them on leaving)`,
  ];
  for (const w of plan.waived) {
    lines.push(
      `  waived: ${w.id}: ${printable(w.waiver?.reason ?? '')} (owner ${printable(w.waiver?.owner ?? '')}, expires ${w.waiver?.expiresAt ?? ''})`,
    );
  }
  // Warnings never block, but whoever confirms must have read them (impact warnings below).
  const impact = new Set(plan.impact.findings.map((f) => f.rule));
  for (const w of plan.warnings) {
    if (!impact.has(w.id)) lines.push(`  warning (${w.status}): ${w.id}: ${printable(w.message)}`);
  }
  lines.push(...impactLines(plan.impact));
  return lines.join('\n');
}

/** "What changes when this account leaves": every impact rule that did not pass, before the confirmation. */
function impactLines(impact: ImpactView): string[] {
  const lines = [`  ${IMPACT_TITLE}:`];
  if (impact.findings.length === 0) lines.push(`    ${NOTHING_FOUND}`);
  for (const f of impact.findings)
    lines.push(`    ${f.severity} (${f.status}): ${f.rule}: ${printable(f.message)}`);
  return lines;
}

/** The checklist to work through after a successful call (DESIGN §7). */
export function renderChecklist(accountId: string, impact: ImpactView): string {
  return [
    `account ${accountId}: ${CHECKLIST_TITLE.toLowerCase()}, do this:`,
    ...impact.checklist.map((step, i) => `  ${i + 1}. ${printable(step)}`),
  ].join('\n');
}
