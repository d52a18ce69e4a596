/**
 * What to do about a deny, written from the statements that decided it: remove the
 * Deny (or add the missing Allow) where it is, or call as a principal it exempts.
 */
import {
  caseNotes,
  describeLevel,
  describePolicy,
  describeStatement,
  who,
  type Located,
} from './explain-terms.js';
import type { EvaluationTrace, LevelTrace } from './types.js';

/** Remove the Deny, or — only when every denying statement exempts someone — call as one of them. */
export function denyRemediation(trace: EvaluationTrace, denies: Located[]): string {
  const fixes: string[] = [];
  if (trace.subject === 'scp') {
    const seen = new Set<string>();
    for (const { level, st } of denies) {
      const key = `${st.policyId} ${level.id ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const move = level.kind === 'ou' ? ' or move the account to an OU without it' : '';
      fixes.push(
        `detach ${describePolicy(st.policyId, st.policyName)} from ${describeLevel(level)} (\`aws organizations detach-policy --policy-id ${st.policyId} --target-id ${level.id ?? ''}\`)${move}`,
      );
    }
  } else {
    fixes.push(
      `remove or narrow ${denies.map((l) => `the Deny in ${describeStatement(l.st)}`).join(' and ')}`,
    );
  }
  // A principal "the SCP exempts" exists only if each denying statement names whom it leaves out.
  const exempting = denies.map(
    (l) => `${describeStatement(l.st)} exempts ${(l.st.exemptions ?? []).map(who).join(' and ')}`,
  );
  if (denies.every((l) => (l.st.exemptions ?? []).length > 0))
    fixes.push(
      denies.length === 1
        ? `call ${trace.action} as a principal the Deny exempts (${exempting.join('')}; pass it with --principal)`
        : `call ${trace.action} as a principal every denying statement exempts (${exempting.join('; ')}; pass it with --principal)`,
    );
  const notes = denies.flatMap((l) => caseNotes(l.st, trace.principalArn));
  return [fixes.join('; or '), ...notes].join('. ');
}

/** Where to add the Allow a gate lacks. */
export function allowRemediation(trace: EvaluationTrace, level: LevelTrace): string {
  const on = trace.resource === '*' ? '' : ` on ${trace.resource}`;
  if (level.kind === 'identity')
    return `grant ${trace.action}${on} to ${trace.principalArn} in an identity policy`;
  if (level.kind === 'boundary')
    return `allow ${trace.action}${on} in ${describeLevel(level)}, or remove the boundary`;
  return `attach an SCP that allows ${trace.action} to ${describeLevel(level)} (\`aws organizations attach-policy --policy-id p-FullAWSAccess --target-id ${level.id ?? ''}\`)`;
}
