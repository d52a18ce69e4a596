/**
 * `leavegate leave` end to end: the built CLI (npm test builds first) against
 * moto through the loopback proxy. moto has no LeaveOrganization, so the
 * proxy answers it with a recording handler that, when the call arrives,
 * checks that the tag export and the audit record are already on disk and
 * complete, and then removes the account from moto's organization so the
 * CLI's verification (DescribeOrganization as the member) sees it gone.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import {
  ListTagsForResourceCommand,
  OrganizationsClient,
  RemoveAccountFromOrganizationCommand,
  TagResourceCommand,
} from '@aws-sdk/client-organizations';
import { awsError, jsonResponse, startAwsProxy } from '../harness/aws-proxy.js';
import type { AwsProxy, ProxyRequest, ProxyResponse } from '../harness/aws-proxy.js';
import { cliEnv, JOINED_DAYS_AGO } from '../harness/cli-env.js';
import { describeWithMoto, motoUrl } from '../harness/moto-env.js';
import { seedOrganization } from '../harness/moto-seed.js';
import type { OrgSpec, SeededOrg } from '../harness/moto-seed.js';
import { SCENARIO_SPEC, scenarioHandlers } from '../harness/scenario.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'leavegate.js');
const DAY = 86_400_000;
const readyRole = SCENARIO_SPEC.accounts!.find((a) => a.name === 'ready')!.role!;
/** The shared scenario plus a second ready account whose LeaveOrganization AWS refuses. */
const SPEC: OrgSpec = {
  ...SCENARIO_SPEC,
  accounts: [
    ...SCENARIO_SPEC.accounts!,
    { name: 'ready-refused', parent: 'Prod', tags: { Owner: 'billing' }, role: readyRole },
    { name: 'ready-2', parent: 'Prod', tags: { Owner: 'two' }, role: readyRole },
    { name: 'ready-3', parent: 'Prod', tags: { Owner: 'three' }, role: readyRole },
    { name: 'ready-tty', parent: 'Prod', tags: { Owner: 'tty' }, role: readyRole },
  ],
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** What the LeaveOrganization handler saw when a call arrived. */
interface LeaveArrival {
  accountId: string | undefined;
  /** Problems with the files that must exist before the call (empty = all complete). */
  problems: string[];
  exportedTags: unknown;
  auditRecord: Record<string, unknown> | undefined;
}

describeWithMoto('leavegate leave (built CLI) against moto', () => {
  let org: SeededOrg;
  let proxy: AwsProxy;
  let mgmt: OrganizationsClient;
  let work: string;
  const arrivals: LeaveArrival[] = [];
  /** The files of the run in progress (the handler inspects them). */
  let current: { outDir: string; auditFile: string } | undefined;
  /** Tag the account in moto when its tags are listed for the Nth time (the recheck). */
  let drift: { accountId: string; atCall: number; seen: number } | undefined;
  let requestCounter = 0;
  /** The --out of the run in which `ready` left. */
  let readyLeaveOut: string | undefined;

  const id = (name: string) => org.accounts[name]!;

  async function motoTags(accountId: string) {
    const out = await mgmt.send(new ListTagsForResourceCommand({ ResourceId: accountId }));
    return (out.Tags ?? []).map((t) => ({ Key: t.Key!, Value: t.Value! }));
  }

  /** Every check the issue asks for at the moment LeaveOrganization arrives. */
  async function inspect(accountId: string | undefined): Promise<LeaveArrival> {
    const problems: string[] = [];
    const arrival: LeaveArrival = {
      accountId,
      problems,
      exportedTags: undefined,
      auditRecord: undefined,
    };
    if (current === undefined || accountId === undefined) {
      problems.push('no run in progress or unsigned call');
      return arrival;
    }
    const { outDir, auditFile } = current;
    for (const f of ['report.json', 'snapshot.json', 'tags.json', 'restore-tags.sh']) {
      if (!existsSync(join(outDir, f))) problems.push(`${f} missing`);
    }
    if (problems.length > 0) return arrival;
    const tags = JSON.parse(readFileSync(join(outDir, 'tags.json'), 'utf8')) as {
      accounts: { accountId: string; tags?: unknown[]; restoreCommand?: string }[];
    };
    const entry = tags.accounts.find((a) => a.accountId === accountId);
    arrival.exportedTags = entry?.tags;
    const actual = await motoTags(accountId);
    const sortTags = (t: unknown) =>
      [...((t ?? []) as { Key: string }[])].sort((a, b) => a.Key.localeCompare(b.Key));
    if (JSON.stringify(sortTags(entry?.tags)) !== JSON.stringify(sortTags(actual))) {
      problems.push(
        `tags.json ${JSON.stringify(entry?.tags)} != account tags ${JSON.stringify(actual)}`,
      );
    }
    const script = readFileSync(join(outDir, 'restore-tags.sh'), 'utf8');
    if (entry?.restoreCommand === undefined || !script.includes(entry.restoreCommand))
      problems.push('restore command missing');
    if (!existsSync(auditFile)) {
      problems.push('audit log missing');
      return arrival;
    }
    const lines = readFileSync(auditFile, 'utf8').trim().split('\n');
    const last = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    arrival.auditRecord = last;
    const reportSha = createHash('sha256')
      .update(readFileSync(join(outDir, 'report.json')))
      .digest('hex');
    const snapshotSha = createHash('sha256')
      .update(readFileSync(join(outDir, 'snapshot.json')))
      .digest('hex');
    const checks: Record<string, (v: unknown) => boolean> = {
      event: (v) => v === 'leave.decision',
      decision: (v) => v === 'leave',
      accountId: (v) => v === accountId,
      organizationId: (v) => v === org.organizationId,
      callerArn: (v) =>
        typeof v === 'string' &&
        v.includes(`::${accountId}:`) &&
        v.includes('OrganizationAccountAccessRole'),
      operatorArn: (v) => typeof v === 'string' && v.includes(org.managementAccountId),
      time: (v) => typeof v === 'string' && Date.parse(v) <= Date.now(),
      rulePacks: (v) =>
        Array.isArray(v) &&
        v.some(
          (p: { name?: string; rules?: number }) =>
            p.name === 'leave-organization' && p.rules === 12,
        ),
      factsSha256: (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v),
      recheckFactsSha256: (v) => v === last.factsSha256,
      reportSha256: (v) => v === reportSha,
      snapshotSha256: (v) => v === snapshotSha,
      tagCount: (v) => v === actual.length,
    };
    for (const [key, ok] of Object.entries(checks)) {
      if (!ok(last[key])) problems.push(`audit ${key} = ${JSON.stringify(last[key])}`);
    }
    return arrival;
  }

  async function onLeave(req: ProxyRequest): Promise<ProxyResponse> {
    const arrival = await inspect(req.callerAccountId);
    arrivals.push(arrival);
    const requestId = `req-e2e-${++requestCounter}`;
    if (req.callerAccountId === id('ready-refused')) {
      return {
        status: 400,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-errortype': 'ConstraintViolationException',
          'x-amzn-requestid': requestId,
        },
        body: {
          __type: 'ConstraintViolationException',
          Message: 'The account requires a verified phone number before it can leave.',
          Reason: 'ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION',
        },
      };
    }
    if (req.callerAccountId === undefined)
      return awsError(req, 'AccessDeniedException', 'unsigned', 403);
    await mgmt.send(new RemoveAccountFromOrganizationCommand({ AccountId: req.callerAccountId }));
    return {
      ...jsonResponse({}),
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
    };
  }

  async function onListTags(req: ProxyRequest): Promise<undefined> {
    const resource = (req.json as { ResourceId?: string } | undefined)?.ResourceId;
    if (drift !== undefined && resource === drift.accountId && ++drift.seen === drift.atCall) {
      await mgmt.send(
        new TagResourceCommand({
          ResourceId: resource,
          Tags: [{ Key: 'Drift', Value: 'added mid-run' }],
        }),
      );
    }
    return undefined;
  }

  beforeAll(async () => {
    org = await seedOrganization(motoUrl!, SPEC);
    mgmt = new OrganizationsClient({
      endpoint: motoUrl!,
      region: 'us-east-1',
      credentials: org.credentials,
      maxAttempts: 1,
    });
    proxy = await startAwsProxy({
      target: motoUrl!,
      handlers: {
        ...scenarioHandlers(org),
        'organizations:LeaveOrganization': onLeave,
        'organizations:ListTagsForResource': onListTags,
      },
      rewrite: JOINED_DAYS_AGO,
    });
    work = mkdtempSync(join(tmpdir(), 'leavegate-leave-e2e-'));
    const attest = (accountId: string, fact: string) => ({
      accountId,
      fact,
      value: true,
      attestedBy: 'jane@example.com',
      attestedAt: new Date(Date.now() - DAY).toISOString(),
      expiresAt: new Date(Date.now() + 60 * DAY).toISOString(),
      evidence: 'TICKET-1',
    });
    const attested = [
      'ready',
      'ready-refused',
      'ready-2',
      'ready-3',
      'ready-tty',
      'scp-blocked',
    ].flatMap((n) =>
      ['paymentMethodPresent', 'billingAccessEnabled', 'supportPlanChosen'].map((f) =>
        attest(id(n), f),
      ),
    );
    writeFileSync(
      join(work, 'attestations.json'),
      JSON.stringify({ schemaVersion: 1, attestations: attested }),
    );
  }, 120_000);

  afterAll(async () => {
    mgmt?.destroy();
    await proxy?.close();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  let runs = 0;
  /** Runs the built CLI with the management credentials, SDK pointed at the proxy. */
  function leave(
    args: string[],
    opts: { attestations?: boolean; tty?: string } = {},
  ): Promise<Run & { outDir: string; auditFile: string }> {
    const dir = join(work, `run-${++runs}`);
    const outDir = join(dir, 'out');
    const auditFile = join(dir, 'audit.jsonl');
    current = { outDir, auditFile };
    const env = cliEnv(proxy.url, org.credentials);
    const full = [
      BIN,
      'leave',
      ...args,
      '--out',
      outDir,
      '--audit-log',
      auditFile,
      ...(opts.attestations === false ? [] : ['--attestations', join(work, 'attestations.json')]),
    ];
    if (opts.tty !== undefined) {
      // A real terminal: util-linux `script` runs the CLI on a pseudo-terminal
      // and forwards what we type (the answer to the confirmation prompt).
      const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
      const command = [process.execPath, ...full].map(quote).join(' ');
      return new Promise((resolve) => {
        const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: work, env });
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stdin.end(opts.tty);
        child.on('close', (code) =>
          resolve({ code: code ?? -1, stdout, stderr: stdout, outDir, auditFile }),
        );
      });
    }
    return new Promise((resolve) => {
      // stdin is not a terminal here, as in CI.
      execFile(
        process.execPath,
        full,
        { cwd: work, env, timeout: 60_000 },
        (err, stdout, stderr) => {
          const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
          resolve({ code, stdout, stderr, outDir, auditFile });
        },
      );
    });
  }

  const auditLines = (file: string) =>
    existsSync(file)
      ? readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Record<string, unknown>)
      : [];
  const leaveCount = () => proxy.count('organizations:LeaveOrganization');

  test('blocked account (deny-leave SCP): exit 1, the rule and its remediation, no call', async () => {
    const r = await leave(['--account', id('scp-blocked'), '--yes']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/scp-allows-leave \(fail\)/);
    expect(r.stdout).toMatch(/fix: /);
    expect(leaveCount()).toBe(0);
    expect(auditLines(r.auditFile)).toEqual([
      expect.objectContaining({ decision: 'refused', exitCode: 1 }),
    ]);
  }, 60_000);

  test('unknown readiness (no attestations): exit 3, no call', async () => {
    const r = await leave(['--account', id('ready'), '--yes'], { attestations: false });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/payment-method-present \(unknown\)/);
    expect(leaveCount()).toBe(0);
  }, 60_000);

  test('management account: refused, no call', async () => {
    const r = await leave(['--account', org.managementAccountId, '--yes']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/management account/);
    expect(leaveCount()).toBe(0);
  }, 60_000);

  test('dry run of a ready account: exit 0, says what would happen, no call', async () => {
    const r = await leave(['--account', id('ready'), '--dry-run']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/would call LeaveOrganization as arn:aws:sts::/);
    expect(leaveCount()).toBe(0);
    expect(existsSync(join(r.outDir, 'tags.json'))).toBe(true);
    expect(auditLines(r.auditFile).map((a) => a.decision)).toEqual(['dry-run']);
  }, 60_000);

  test('unconfirmed (no terminal, no --yes): exit 2 and no AWS call at all', async () => {
    const before = proxy.calls.length;
    const r = await leave(['--account', id('ready')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--yes/);
    expect(proxy.calls.length).toBe(before);
  }, 60_000);

  test('organization changed between evaluation and call: refused, no call', async () => {
    drift = { accountId: id('ready'), atCall: 2, seen: 0 };
    try {
      const r = await leave(['--account', id('ready'), '--yes']);
      expect(drift.seen).toBeGreaterThanOrEqual(2);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /the organization changed since the evaluation \(account: the account record/,
      );
      expect(leaveCount()).toBe(0);
      expect(auditLines(r.auditFile).map((a) => a.decision)).toEqual(['drifted']);
    } finally {
      drift = undefined;
    }
  }, 60_000);

  test('AWS refuses: exit 1 with its reason and the rule that should have caught it', async () => {
    const r = await leave(['--account', id('ready-refused'), '--yes']);
    expect(r.code).toBe(1);
    expect(leaveCount()).toBe(1);
    expect(r.stdout).toMatch(
      /phone number is not verified\. Rule phone-verified should have caught this/,
    );
    expect(r.stdout).toMatch(/ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION/);
    expect(r.stdout).not.toMatch(/ left organization/);
    const audit = auditLines(r.auditFile);
    expect(audit.map((a) => a.decision ?? a.outcome)).toEqual(['leave', 'refused-by-aws']);
    expect(audit[1]).toMatchObject({ requestId: `req-e2e-${requestCounter}`, verified: false });
  }, 60_000);

  test('ready account: exactly one call, signed by the member, after a complete tag export and audit record; verified out', async () => {
    const before = arrivals.length;
    const r = await leave(['--account', id('ready'), '--yes']);
    readyLeaveOut = r.outDir;
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(arrivals.length - before).toBe(1);
    const arrival = arrivals.at(-1)!;
    expect(arrival.accountId).toBe(id('ready'));
    expect(arrival.problems).toEqual([]);
    // The drift test added a tag in moto: the export is of the account as it is now.
    expect(arrival.exportedTags).toEqual(
      expect.arrayContaining([
        { Key: 'CostCenter', Value: '42' },
        { Key: 'Owner', Value: 'payments' },
        { Key: 'Drift', Value: 'added mid-run' },
      ]),
    );
    const audit = auditLines(r.auditFile);
    expect(audit.map((a) => a.decision ?? a.outcome)).toEqual(['leave', 'left']);
    // The decision was taken on the real clock, and the record says so.
    const clock = audit[0]!.clock as { now: string; source: string };
    expect(clock.source).toBe('clock');
    expect(Math.abs(Date.parse(clock.now) - Date.now())).toBeLessThan(120_000);
    expect(audit[1]).toMatchObject({
      requestId: `req-e2e-${requestCounter}`,
      verified: true,
      attempts: 1,
    });
    expect(r.stdout).toMatch(
      new RegExp(`${id('ready')}  left  request id req-e2e-${requestCounter}`),
    );

    // Leaving again: already out, nothing called, exit 0.
    const again = await leave(['--account', id('ready'), '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already left/);
    expect(arrivals.length - before).toBe(1);
  }, 90_000);

  test('member role cannot be assumed: readiness unknown (exit 3), no call', async () => {
    const r = await leave(['--account', id('no-role'), '--yes']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/cannot establish the member identity/);
    expect(arrivals.filter((a) => a.accountId === id('no-role'))).toEqual([]);
  }, 60_000);

  test('several accounts with --keep-going: each ready one leaves with its own audit trail, the blocked one is refused', async () => {
    const before = arrivals.length;
    const r = await leave([
      '--account',
      id('ready-2'),
      '--account',
      id('scp-blocked'),
      '--account',
      id('ready-3'),
      '--yes',
      '--keep-going',
    ]);
    expect(r.code).toBe(1);
    const mine = arrivals.slice(before);
    expect(mine.map((a) => a.accountId)).toEqual([id('ready-2'), id('ready-3')]);
    for (const a of mine) expect(a.problems).toEqual([]);
    const audit = auditLines(r.auditFile);
    expect(audit.map((a) => `${String(a.accountId)}:${String(a.decision ?? a.outcome)}`)).toEqual([
      `${id('ready-2')}:leave`,
      `${id('ready-2')}:left`,
      `${id('scp-blocked')}:refused`,
      `${id('ready-3')}:leave`,
      `${id('ready-3')}:left`,
    ]);
    const tags = JSON.parse(readFileSync(join(r.outDir, 'tags.json'), 'utf8')) as {
      accounts: { accountId: string }[];
    };
    expect(tags.accounts.map((a) => a.accountId).sort()).toEqual(
      [id('ready-2'), id('ready-3'), id('scp-blocked')].sort(),
    );
  }, 90_000);

  test('on a terminal: a wrong answer to the prompt calls nothing; typing the account id confirms', async () => {
    const before = arrivals.length;
    const wrong = await leave(['--account', id('ready-tty')], { tty: '111111111111\n' });
    expect(wrong.stdout).toContain(id('ready-tty'));
    expect(wrong.code).not.toBe(0);
    expect(arrivals.length).toBe(before);
    const right = await leave(['--account', id('ready-tty')], { tty: `${id('ready-tty')}\n` });
    expect(right.code).toBe(0);
    expect(arrivals.slice(before).map((a) => a.accountId)).toEqual([id('ready-tty')]);
    expect(arrivals.at(-1)!.problems).toEqual([]);
  }, 90_000);

  test('the restore script exported before leaving re-applies the tags', () => {
    const script = readFileSync(join(readyLeaveOut!, 'restore-tags.sh'), 'utf8');
    expect(script).toContain(`--resource-id '${id('ready')}'`);
    const line = script.split('\n').find((l) => l.includes(id('ready')) && l.startsWith('aws '))!;
    const json = /--tags '(.*)'$/.exec(line)![1]!;
    expect(JSON.parse(json)).toEqual(expect.arrayContaining([{ Key: 'CostCenter', Value: '42' }]));
  });
});
