/**
 * `leavegate transfer` end to end (DESIGN §8): the built CLI against moto
 * through the loopback proxy. moto has no handshakes: the proxy answers
 * InviteAccountToOrganization, ListHandshakesForAccount, DescribeHandshake and
 * AcceptHandshake for a fake target organization (test/harness/handshakes.ts),
 * and DescribeOrganization as a member whose invitation was accepted (moto
 * still has it in the old organization). When AcceptHandshake arrives, the
 * handler checks that the tag export and the audit record naming the
 * handshake are already on disk.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import {
  InviteAccountToOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { startAwsProxy } from '../harness/aws-proxy.js';
import type { AwsProxy, ProxyRequest } from '../harness/aws-proxy.js';
import { missingOperationHandlers } from '../harness/aws-fakes.js';
import { cliEnv, JOINED_DAYS_AGO } from '../harness/cli-env.js';
import { handshakeFakes } from '../harness/handshakes.js';
import type { FakeHandshake, HandshakeFakes } from '../harness/handshakes.js';
import { describeWithMoto, motoUrl } from '../harness/moto-env.js';
import { seedOrganization } from '../harness/moto-seed.js';
import type { OrgSpec, SeededOrg } from '../harness/moto-seed.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'leavegate.js');
const TARGET = {
  id: 'o-target12345',
  managementAccountId: '999999999999',
  managementEmail: 'root@target.example',
};

const transferRole = {
  inline: {
    Transfer: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'organizations:AcceptHandshake',
            'organizations:LeaveOrganization',
            'organizations:DescribeOrganization',
            'organizations:ListHandshakesForAccount',
            'iam:CreateServiceLinkedRole',
          ],
          Resource: '*',
        },
      ],
    },
  },
};

const SPEC: OrgSpec = {
  ous: [{ name: 'Prod' }, { name: 'Sandbox' }],
  accounts: [
    {
      name: 'mover',
      parent: 'Prod',
      tags: { CostCenter: '7', Owner: 'payments' },
      role: transferRole,
    },
    { name: 'blocked', parent: 'Sandbox', tags: { Owner: 'sandbox' }, role: transferRole },
  ],
  policies: [
    {
      name: 'DenyLeave',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyLeave',
            Effect: 'Deny',
            Action: 'organizations:LeaveOrganization',
            Resource: '*',
          },
        ],
      },
      targets: ['Sandbox'],
    },
  ],
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  outDir: string;
  auditFile: string;
}

interface Arrival {
  accountId: string | undefined;
  handshakeId: string | undefined;
  problems: string[];
}

describeWithMoto('leavegate transfer (built CLI) against moto', () => {
  let org: SeededOrg;
  let proxy: AwsProxy;
  let fakes: HandshakeFakes;
  let work: string;
  const invitations: Record<string, FakeHandshake> = {};
  const arrivals: Arrival[] = [];
  let current: { outDir: string; auditFile: string } | undefined;
  const id = (name: string) => org.accounts[name]!;
  const accepts = () => proxy.count('organizations:AcceptHandshake');

  /** What must be on disk when AcceptHandshake arrives: the tag export and the audit record naming the handshake. */
  function inspect(req: ProxyRequest, h: FakeHandshake | undefined): Promise<undefined> {
    const problems: string[] = [];
    const handshakeId = (req.json as { HandshakeId?: string } | undefined)?.HandshakeId;
    arrivals.push({ accountId: req.callerAccountId, handshakeId, problems });
    if (current === undefined || h === undefined) {
      problems.push('no run in progress or unknown handshake');
      return Promise.resolve(undefined);
    }
    const tags = JSON.parse(readFileSync(join(current.outDir, 'tags.json'), 'utf8')) as {
      accounts: { accountId: string; tags?: { Key: string; Value: string }[] }[];
    };
    const entry = tags.accounts.find((a) => a.accountId === h.accountId);
    if (!(entry?.tags ?? []).some((t) => t.Key === 'CostCenter' && t.Value === '7'))
      problems.push(`tags.json: ${JSON.stringify(entry)}`);
    const last = JSON.parse(
      readFileSync(current.auditFile, 'utf8').trim().split('\n').at(-1)!,
    ) as Record<string, unknown>;
    const expected = {
      event: 'transfer.decision',
      decision: 'transfer',
      accountId: h.accountId,
      handshakeId: h.id,
      targetOrganizationId: TARGET.id,
      organizationId: org.organizationId,
    };
    for (const [k, v] of Object.entries(expected))
      if (last[k] !== v) problems.push(`audit ${k} = ${JSON.stringify(last[k])}`);
    return Promise.resolve(undefined);
  }

  beforeAll(async () => {
    org = await seedOrganization(motoUrl!, SPEC);
    fakes = handshakeFakes(TARGET, inspect);
    proxy = await startAwsProxy({
      target: motoUrl!,
      handlers: {
        ...missingOperationHandlers(() => undefined, org.managementAccountId),
        ...fakes.handlers,
      },
      rewrite: JOINED_DAYS_AGO,
    });
    // The target's management account invites through the proxy (moto cannot).
    const inviter = new OrganizationsClient({
      endpoint: proxy.url,
      region: 'us-east-1',
      credentials: org.credentials,
      maxAttempts: 1,
    });
    for (const name of ['mover', 'blocked']) {
      await inviter.send(
        new InviteAccountToOrganizationCommand({ Target: { Id: id(name), Type: 'ACCOUNT' } }),
      );
      invitations[name] = fakes.handshakes.at(-1)!;
    }
    inviter.destroy();
    work = mkdtempSync(join(tmpdir(), 'leavegate-transfer-e2e-'));
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  let runs = 0;
  function cli(command: string, args: string[]): Promise<Run> {
    const dir = join(work, `run-${++runs}`);
    const outDir = join(dir, 'out');
    const auditFile = join(dir, 'audit.jsonl');
    current = { outDir, auditFile };
    const full = [
      BIN,
      command,
      ...args,
      '--out',
      outDir,
      ...(command === 'transfer' ? ['--audit-log', auditFile] : []),
    ];
    return new Promise((resolve) => {
      // stdin is not a terminal here, as in CI.
      execFile(
        process.execPath,
        full,
        { cwd: work, env: cliEnv(proxy.url, org.credentials), timeout: 60_000 },
        (err, stdout, stderr) => {
          const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
          resolve({ code, stdout, stderr, outDir, auditFile });
        },
      );
    });
  }
  const audit = (file: string) =>
    existsSync(file)
      ? readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Record<string, unknown>)
      : [];

  test('check --transfer-to names the open invitation (handshakes collected as the member)', async () => {
    const r = await cli('check', [
      '--account',
      id('mover'),
      '--account',
      id('blocked'),
      '--transfer-to',
      TARGET.id,
      '--format',
      'json',
    ]);
    const report = JSON.parse(readFileSync(join(r.outDir, 'report.json'), 'utf8')) as {
      mode: unknown;
      accounts: {
        accountId: string;
        verdict: string;
        rules: { id: string; status: string; message: string }[];
      }[];
    };
    expect(report.mode).toEqual({ kind: 'transfer', targetOrganizationId: TARGET.id });
    const mover = report.accounts.find((a) => a.accountId === id('mover'))!;
    expect(mover.verdict).toBe('ready');
    expect(mover.rules.find((x) => x.id === 'invitation-open')!.message).toContain(
      invitations.mover!.id,
    );
    const blocked = report.accounts.find((a) => a.accountId === id('blocked'))!;
    expect(blocked.rules.find((x) => x.id === 'scp-allows-transfer')!.status).toBe('fail');
    expect(r.code).toBe(1);
    // Member-side reads: signed by the member's assumed role, not the management account.
    const lists = proxy.calls.filter((c) => c.key === 'organizations:ListHandshakesForAccount');
    expect(lists.map((c) => c.callerAccountId).sort()).toEqual([id('mover'), id('blocked')].sort());
  }, 60_000);

  test('--now is refused with no AWS call at all', async () => {
    const before = proxy.calls.length;
    const r = await cli('transfer', [
      '--account',
      id('mover'),
      '--handshake',
      invitations.mover!.id,
      '--yes',
      '--now',
      '2026-01-01T00:00:00Z',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--now: transfer evaluates on the real clock/);
    expect(proxy.calls.length).toBe(before);
  }, 60_000);

  test('without a terminal and without --yes: exit 2 and no AWS call at all', async () => {
    const before = proxy.calls.length;
    const r = await cli('transfer', [
      '--account',
      id('mover'),
      '--handshake',
      invitations.mover!.id,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--yes/);
    expect(proxy.calls.length).toBe(before);
  }, 60_000);

  test('dry run: exit 0, says what would happen, no AcceptHandshake', async () => {
    const r = await cli('transfer', [
      '--account',
      id('mover'),
      '--handshake',
      invitations.mover!.id,
      '--dry-run',
    ]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/would call AcceptHandshake as arn:aws:sts::/);
    expect(accepts()).toBe(0);
    expect(audit(r.auditFile).map((a) => [a.decision, a.handshakeId])).toEqual([
      ['dry-run', invitations.mover!.id],
    ]);
  }, 60_000);

  test('refused accounts: an SCP denying LeaveOrganization, and a handshake that is not the invitation — no call', async () => {
    const blocked = await cli('transfer', [
      '--account',
      id('blocked'),
      '--handshake',
      invitations.blocked!.id,
      '--yes',
    ]);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(/scp-allows-transfer/);
    const wrong = await cli('transfer', [
      '--account',
      id('mover'),
      '--handshake',
      invitations.blocked!.id,
      '--yes',
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/invitation-open/);
    expect(accepts()).toBe(0);
    expect(audit(wrong.auditFile)).toEqual([
      expect.objectContaining({ decision: 'refused', handshakeId: invitations.blocked!.id }),
    ]);
  }, 60_000);

  test('a ready account: exactly one AcceptHandshake, as the member, after the tag export and the audit record; verified in the target', async () => {
    const h = invitations.mover!;
    const r = await cli('transfer', ['--account', id('mover'), '--handshake', h.id, '--yes']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(accepts()).toBe(1);
    expect(arrivals).toEqual([{ accountId: id('mover'), handshakeId: h.id, problems: [] }]);
    expect(h.state).toBe('ACCEPTED');
    const records = audit(r.auditFile);
    expect(records.map((a) => a.decision ?? a.outcome)).toEqual(['transfer', 'transferred']);
    expect(records[1]).toMatchObject({ verified: true, attempts: 1 });
    expect(r.stdout).toContain(`moved from organization ${org.organizationId} to ${TARGET.id}`);
  }, 60_000);
});
