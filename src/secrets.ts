/**
 * The credentials this process holds — the caller's and every member
 * session's access key id, secret key and session token — are remembered as
 * they are resolved, so that text from outside (an AWS error message, which
 * an endpoint may make echo request headers) is cleaned of them before it
 * reaches a terminal, snapshot.json or any report.
 */
const SECRETS = new Set<string>();

/** Short values cannot be secrets and would redact ordinary words. */
const MIN_SECRET_LENGTH = 12;

/** Remembers the values of a credentials object (undefined fields are skipped). */
export function rememberCredentials(c: {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}): void {
  for (const v of [c.accessKeyId, c.secretAccessKey, c.sessionToken])
    if (typeof v === 'string' && v.length >= MIN_SECRET_LENGTH) SECRETS.add(v);
}

/** `text` with every remembered credential value replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  if (SECRETS.size === 0) return text;
  let out = text;
  for (const s of SECRETS) if (out.includes(s)) out = out.split(s).join('[redacted]');
  return out;
}
