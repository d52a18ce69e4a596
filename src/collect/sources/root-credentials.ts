/**
 * Whether the account's root user still has a password (DESIGN §7
 * root-credentials-recoverable). Null when centralized root credentials
 * management is off (members keep their own root credentials). Otherwise the
 * management account assumes the member's root with the audit task policy
 * (sts:AssumeRoot) and reads iam:GetAccountSummary with that session.
 */
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { problem, read, SourceError } from '../errors.js';
import { accountSource } from './types.js';

export const ROOT_AUDIT_TASK_POLICY =
  'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials';
const FEATURE = 'RootCredentialsManagement';

export default accountSource({
  id: 'sts:AssumeRoot',
  scope: 'account',
  vantage: 'management',
  field: 'rootCredentials',
  operations: ['sts:AssumeRoot', 'iam:GetAccountSummary'],
  async collect(ctx) {
    // The management account's root is not centrally managed, and it cannot leave.
    if (ctx.isManagement) return {};
    const features = ctx.rootAccessFeatures;
    if (features === undefined) {
      const why = problem('Unknown', 'iam:ListOrganizationsFeatures was not read');
      return { errors: [new SourceError('sts:AssumeRoot', why)] };
    }
    if (!features.includes(FEATURE)) return { value: null };
    const root = ctx.rootSession(ROOT_AUDIT_TASK_POLICY);
    // Assumed first so that a refused AssumeRoot is not reported as the IAM read.
    await read('sts:AssumeRoot', () => root.credentials());
    const out = await read('iam:GetAccountSummary', () =>
      ctx.client(IAMClient, root).send(new GetAccountSummaryCommand({})),
    );
    const map = out.SummaryMap ?? {};
    const password = map.AccountPasswordPresent;
    if (password === undefined) {
      const why = problem('IncompleteResult', 'GetAccountSummary without AccountPasswordPresent');
      return { errors: [new SourceError('iam:GetAccountSummary', why)] };
    }
    const mfa = map.AccountMFAEnabled;
    return {
      value: {
        passwordPresent: password > 0,
        ...(mfa === undefined ? {} : { mfaPresent: mfa > 0 }),
      },
    };
  },
});
