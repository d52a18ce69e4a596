/**
 * The same ARN in another account: an org-wide `--principal` or an ARN-form
 * `--member-role` names one role, meant in every account. Collection and the
 * facts layer must agree on it exactly (the facts layer compares the evaluated
 * principal with the collected one), so there is one implementation.
 */
export function arnInAccount(arn: string, accountId: string): string {
  const parts = arn.split(':');
  if (parts.length < 6) return arn;
  parts[4] = accountId;
  return parts.join(':');
}
