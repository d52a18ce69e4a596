/**
 * The built CLI end to end against the seeded moto organization: `leavegate
 * check --all` collects through the proxy (which adds the operations moto
 * lacks), writes the snapshot beside the reports, and gives each account
 * exactly the verdict its seeded situation calls for.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { validateSchema } from '../../src/schema.js';
import type { Report } from '../../src/report/types.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { startAwsProxy } from '../harness/aws-proxy.js';
import { repo, runCli } from '../harness/cli.js';
import type { AwsProxy } from '../harness/aws-proxy.js';
import { describeWithMoto, motoUrl } from '../harness/moto-env.js';
import type { SeededOrg } from '../harness/moto-seed.js';
import { scenarioHandlers, seedScenario } from '../harness/scenario.js';

// The built CLI in a child process (test/harness/cli.ts).
const run = runCli;

describeWithMoto('leavegate check --all against moto (built CLI)', () => {
  let org: SeededOrg;
  let proxy: AwsProxy;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const now = new Date(Date.now() + 10 * 86_400_000).toISOString();

  beforeAll(async () => {
    if (!existsSync(join(repo, 'dist', 'src', 'cli', 'main.js'))) {
      throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    }
    org = await seedScenario(motoUrl!);
    proxy = await startAwsProxy({
      target: motoUrl!,
      handlers: scenarioHandlers(org),
      accounts: { [org.credentials.accessKeyId]: org.managementAccountId },
    });
    dir = mkdtempSync(join(tmpdir(), 'leavegate-check-live-'));
    // Only the SDK's own conventions point it at the proxy; no user config is read.
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL: proxy.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: org.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: org.credentials.secretAccessKey,
      AWS_SESSION_TOKEN: org.credentials.sessionToken,
      NO_COLOR: '1',
    };
    const attestedAt = new Date().toISOString();
    const expiresAt = new Date(Date.now() + 60 * 86_400_000).toISOString();
    const attestations = [org.managementAccountId, ...Object.values(org.accounts)].flatMap(
      (accountId) =>
        ['paymentMethodPresent', 'billingAccessEnabled'].map((fact) => ({
          accountId,
          fact,
          value: true,
          attestedBy: 'finance@example.com',
          attestedAt,
          expiresAt,
          evidence: 'TICKET-1',
        })),
    );
    writeFileSync(
      join(dir, 'attestations.json'),
      JSON.stringify({ schemaVersion: 1, attestations }),
    );
  });

  afterAll(async () => {
    await proxy?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  test('exact verdict per account, snapshot written beside the reports, calls counted', async () => {
    const out = join(dir, 'out');
    const result = await run(
      [
        'check',
        '--all',
        '--out',
        out,
        '--attestations',
        join(dir, 'attestations.json'),
        '--now',
        now,
        '--format',
        'json',
      ],
      env,
    );
    expect({
      code: result.code,
      stderr: result.stderr.replace(/\(node:\d+\)[^\n]*\n/g, ''),
    }).toMatchObject({ code: 1 });

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    const verdicts = Object.fromEntries(report.accounts.map((a) => [a.accountId, a.verdict]));
    expect(verdicts).toEqual({
      [org.managementAccountId]: 'blocked',
      [org.accounts.ready!]: 'ready',
      [org.accounts.delegated!]: 'blocked',
      [org.accounts['no-role']!]: 'unknown',
      [org.accounts['scp-blocked']!]: 'blocked',
      [org.accounts.restricted!]: 'blocked',
      [org.accounts['no-contact']!]: 'blocked',
    });
    const status = (account: string, rule: string) =>
      report.accounts
        .find((a) => a.accountId === org.accounts[account])!
        .rules.find((r) => r.id === rule)!.status;
    // Each blocked account is blocked for the reason seeded, not by accident.
    expect(status('delegated', 'not-delegated-admin')).toBe('fail');
    expect(status('scp-blocked', 'scp-allows-leave')).toBe('fail');
    expect(status('restricted', 'scp-allows-leave')).toBe('fail');
    expect(status('no-contact', 'contact-info-complete')).toBe('fail');
    expect(status('no-role', 'principal-allowed-to-leave')).toBe('unknown');
    expect(status('ready', 'scp-allows-leave')).toBe('pass');
    expect(status('ready', 'support-plan-chosen')).toBe('pass');
    expect(report.summary).toMatchObject({ accounts: 7, ready: 1, blocked: 5, unknown: 1 });

    const snapshot = JSON.parse(readFileSync(join(out, 'snapshot.json'), 'utf8')) as Snapshot;
    expect(validateSchema('snapshot', snapshot).ok).toBe(true);
    expect(snapshot.organization!.id).toBe(org.organizationId);
    expect(snapshot.accounts).toHaveLength(7);
    expect(snapshot.errors).toEqual([
      expect.objectContaining({
        accountId: org.accounts['no-role'],
        source: 'sts:AssumeRole',
        code: 'AccessDenied',
      }),
    ]);
    // The report's call counts are the collector's, which are what the proxy saw.
    const seen: Record<string, number> = {};
    for (const c of proxy.calls) seen[c.key] = (seen[c.key] ?? 0) + 1;
    expect(snapshot.collector!.apiCalls).toEqual(seen);
    expect(report.stats.apiCalls).toEqual(seen);
  });

  test('collect --account writes a snapshot of just that account', async () => {
    const file = join(dir, 'one.json');
    const result = await run(['collect', '--account', org.accounts.ready!, '--out', file], env);
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
    expect(snapshot.accounts.map((a) => a.id)).toEqual([org.accounts.ready]);
    expect(snapshot.collector).toMatchObject({ scope: 'accounts' });
    expect(snapshot.collector!.apiCalls!['organizations:ListAccountsForParent']).toBeUndefined();
  });

  test('the single-account snapshot evaluates offline to the same verdict', async () => {
    const file = join(dir, 'one.json');
    const live = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
    const offline = join(dir, 'offline-one');
    await run(
      [
        'check',
        '--snapshot',
        file,
        '--attestations',
        join(dir, 'attestations.json'),
        '--now',
        now,
        '--out',
        offline,
      ],
      env,
    );
    const report = JSON.parse(readFileSync(join(offline, 'report.json'), 'utf8')) as Report;
    const want = live.accounts.find((a) => a.accountId === org.accounts.ready)!;
    expect(report.accounts.map((a) => [a.accountId, a.verdict])).toEqual([
      [want.accountId, want.verdict],
    ]);
  });

  test('a progress bar on a terminal, none when stderr is not one', async () => {
    const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const args = [
      process.execPath,
      join(repo, 'bin', 'leavegate.js'),
      'collect',
      '--all',
      '--out',
      join(dir, 'tty.json'),
    ];
    const output = await new Promise<string>((resolve) => {
      // util-linux `script` gives the CLI a pseudo-terminal for stdout and stderr.
      const child = spawn('script', ['-qec', args.map(quote).join(' '), '/dev/null'], { env });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stdin.end();
      child.on('close', () => resolve(text));
    });
    expect(output).toMatch(/collect \[.*\] \d+\/\d+ accounts \| \d+ errors/);
    const piped = await run(['collect', '--all', '--out', join(dir, 'piped.json')], env);
    expect(piped.code).toBe(0);
    expect(piped.stderr).not.toMatch(/accounts \|/);
  });
});
