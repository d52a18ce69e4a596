/**
 * One verdict over several actions (a transfer needs AcceptHandshake, LeaveOrganization and
 * iam:CreateServiceLinkedRole): the worst action decides, and the words name it, since
 * "explicit Deny in p-123" alone would not say which of the calls is blocked.
 */
import type { ResolvedRequest } from './actions.js';
import type { ActionOutcome, Decision, Verdict } from './types.js';

/** How bad a decision is for the combination: error over any deny over conditional over allowed. */
const RANK: Record<Decision, number> = {
  allowed: 0,
  conditional: 1,
  implicitDeny: 2,
  explicitDeny: 3,
  error: 4,
};

function outcomeOf(request: ResolvedRequest, verdict: Verdict): ActionOutcome {
  const { trace: _trace, actions: _actions, ...rest } = verdict;
  return { action: request.action, resource: request.resource, ...rest };
}

function listed(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

/** The texts, each once, in order. */
function distinct(texts: ReadonlyArray<string | undefined>): string[] {
  return [...new Set(texts.filter((t): t is string => t !== undefined))];
}

/**
 * Combines per-action verdicts into one in the same shape: decision and fields of the first
 * worst action (its trace included), the summary prefixed with that action's name, the other
 * actions that are not allowed named after it, and every action's verdict in `actions`.
 */
export function combineVerdicts(
  items: ReadonlyArray<{ request: ResolvedRequest; verdict: Verdict }>,
): Verdict {
  const first = items[0];
  if (first === undefined)
    return {
      decision: 'error',
      summary: 'no action to evaluate',
      error: { reason: 'no action to evaluate' },
    };
  const actions = items.map((i) => outcomeOf(i.request, i.verdict));
  let decidingIndex = 0;
  items.forEach((it, i) => {
    if (RANK[it.verdict.decision] > RANK[items[decidingIndex]!.verdict.decision]) decidingIndex = i;
  });
  const deciding = items[decidingIndex]!;
  const { actions: _nested, ...base } = deciding.verdict;
  const names = actions.map((a) => a.action);
  if (deciding.verdict.decision === 'allowed') {
    const why = distinct(actions.map((a) => a.notApplicable));
    const reason = why.length === 1 && actions.every((a) => a.notApplicable) ? `: ${why[0]}` : '';
    return {
      ...base,
      summary: `allowed: ${listed(names)} ${names.length === 1 ? 'is' : names.length === 2 ? 'are both' : 'are all'} allowed${reason}`,
      actions,
    };
  }
  const others = actions
    .filter((a, i) => i !== decidingIndex && a.decision !== 'allowed')
    .map((a) => `${a.action} (${a.decision})`);
  const also = others.length > 0 ? `; also not allowed: ${others.join(', ')}` : '';
  const denied = actions.filter(
    (a) => a.decision === 'explicitDeny' || a.decision === 'implicitDeny',
  );
  const fixes = distinct(denied.map((a) => a.remediation));
  const remediation =
    fixes.length <= 1
      ? fixes[0]
      : denied
          .filter((a) => a.remediation !== undefined)
          .map((a) => `${a.action}: ${a.remediation ?? ''}`)
          .join('; ');
  const dependsOn = distinct(
    actions.filter((a) => a.decision === 'conditional').flatMap((a) => a.dependsOn ?? []),
  );
  return {
    ...base,
    summary: `${deciding.request.action}: ${deciding.verdict.summary}${also}`,
    ...(remediation !== undefined ? { remediation } : {}),
    ...(base.decision === 'conditional' ? { dependsOn } : {}),
    actions,
  };
}
