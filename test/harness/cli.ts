/** The built CLI as a child process, pointed at a loopback proxy through the SDK's own variables only. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TestCredentials } from './moto-seed.js';

export const repo = join(import.meta.dirname, '..', '..');

/** Runs `bin/leavegate.js args` with exactly `env`. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repo, 'bin', 'leavegate.js'), ...args], {
      cwd: repo,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** An environment that reads no user configuration and sends every AWS call to `endpoint`. */
export function cliEnv(
  endpoint: string,
  credentials: TestCredentials,
  home: string,
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined
      ? {}
      : { AWS_SESSION_TOKEN: credentials.sessionToken }),
    NO_COLOR: '1',
  };
}
