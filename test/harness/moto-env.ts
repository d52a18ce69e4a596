/**
 * How tests find moto: global-setup.js puts its URL in MOTO_URL. Without it
 * the moto suites are skipped with a visible message (global setup already
 * fails the run under CI=true).
 */
import { describe } from '@jest/globals';

/** moto's base URL, or undefined when moto is not running. */
export const motoUrl: string | undefined = process.env.MOTO_URL;

/** `describe` when moto runs, otherwise `describe.skip` plus a warning naming the suite. */
export function describeWithMoto(name: string, fn: () => void): void {
  if (motoUrl === undefined) {
    process.stderr.write(`[leavegate tests] SKIPPED (moto_server not running): ${name}\n`);
    describe.skip(name, fn);
  } else {
    describe(name, fn);
  }
}

/**
 * Points the AWS SDK at `endpoint` through its own conventions and gives it
 * dummy credentials; returns a function restoring the previous values.
 */
export function useAwsEnv(
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): () => void {
  const keys = [
    'AWS_ENDPOINT_URL',
    'AWS_REGION',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
  ] as const;
  const saved = new Map(keys.map((k) => [k, process.env[k]]));
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  if (credentials.sessionToken === undefined) delete process.env.AWS_SESSION_TOKEN;
  else process.env.AWS_SESSION_TOKEN = credentials.sessionToken;
  delete process.env.AWS_PROFILE;
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
