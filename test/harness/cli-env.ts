/**
 * Running the built CLI against moto through the loopback proxy: its
 * environment (the SDK's own endpoint variables, management credentials, no
 * ambient AWS_* settings), and what moto cannot be told about time.
 */
const DAY = 86_400_000;

/** The environment of a CLI run whose SDK talks to `endpoint` as `credentials`. */
export function cliEnv(
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
  return Object.assign(env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken ?? '',
    NO_COLOR: '1',
    CI: '',
  });
}

/**
 * Accounts created in moto joined just now, and leave/transfer evaluate on the
 * real clock (they refuse --now): a proxy rewrite that moves moto's
 * JoinedTimestamp 5 days back (waiting period 4 days).
 */
export function joinedDaysAgo(body: Record<string, unknown>): Record<string, unknown> {
  const shift = (a: unknown) => {
    const account = a as { JoinedTimestamp?: number | string };
    if (account.JoinedTimestamp !== undefined) {
      const t =
        typeof account.JoinedTimestamp === 'number'
          ? account.JoinedTimestamp * 1000
          : Date.parse(account.JoinedTimestamp);
      account.JoinedTimestamp = (t - 5 * DAY) / 1000;
    }
  };
  if (Array.isArray(body.Accounts)) body.Accounts.forEach(shift);
  if (body.Account !== undefined) shift(body.Account);
  return body;
}

/** The proxy `rewrite` option that applies joinedDaysAgo to every account read. */
export const JOINED_DAYS_AGO = {
  'organizations:ListAccounts': joinedDaysAgo,
  'organizations:ListAccountsForParent': joinedDaysAgo,
  'organizations:DescribeAccount': joinedDaysAgo,
};
