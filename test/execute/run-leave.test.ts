/**
 * runLeave end to end in-process: the real rule packs, engine, gate and
 * report writer on the demo organization; collection and AWS are fakes that
 * record what was called. The AWS-facing e2e run of the built CLI is in
 * test/integration/leave-moto.test.ts.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runLeave } from '../../src/execute/index.js';
import { awsErr, DEMO_DIR, demoSnapshot, fakeIo } from './helpers.js';
import { runHarness } from './run-harness.js';

const READY = '200000000002'; // retail-storefront-prod, 4 tags
const READY2 = '200000000003';
const SCP_BLOCKED = '300000000005';
const UNKNOWN = '300000000009';
const MGMT = '100000000001';

const { harness } = runHarness('leavegate-run-leave-', {
  attestationsFile: join(DEMO_DIR, 'attestations.json'),
});

describe('runLeave', () => {
  it('refuses without a terminal and without --yes: exit 2, nothing called or collected', async () => {
    const h = harness([READY]);
    const io = fakeIo({ isTTY: false });
    expect(await runLeave(h.options, io, h.deps)).toBe(2);
    expect(h.portCreated()).toBe(false);
    expect(h.collects).toHaveLength(0);
    expect(io.errs.join('')).toMatch(/pass --yes/);
    expect(existsSync(h.outDir)).toBe(false);
  });

  it('leaves a ready account: exactly one call, after the report, tag export and audit record are on disk', async () => {
    const h = harness([READY], { options: { yes: true } });
    const io = fakeIo();
    const seen: Record<string, unknown> = {};
    h.port.onLeave = (id) => {
      seen.account = id;
      seen.report = JSON.parse(readFileSync(join(h.outDir, 'report.json'), 'utf8'));
      seen.reportSha = createHash('sha256')
        .update(readFileSync(join(h.outDir, 'report.json')))
        .digest('hex');
      seen.tags = JSON.parse(readFileSync(join(h.outDir, 'tags.json'), 'utf8'));
      seen.script = readFileSync(join(h.outDir, 'restore-tags.sh'), 'utf8');
      seen.audit = h.audit();
    };
    const code = await runLeave(h.options, io, h.deps);
    expect(io.errs.join('')).not.toMatch(/error/);
    expect(code).toBe(0);
    expect(h.port.leaveCalls()).toBe(1);
    expect(seen.account).toBe(READY);

    const tags = (
      seen.tags as { accounts: { accountId: string; tags: unknown[]; restoreCommand: string }[] }
    ).accounts;
    const expectedTags = demoSnapshot().accounts.find((a) => a.id === READY)!.tags!;
    expect(tags.find((a) => a.accountId === READY)?.tags).toEqual(
      expectedTags.map((t) => ({ Key: t.key, Value: t.value })),
    );
    expect(seen.script).toContain(`aws organizations tag-resource --resource-id '${READY}'`);
    expect(
      (seen.report as { accounts: { accountId: string; verdict: string }[] }).accounts,
    ).toEqual([expect.objectContaining({ accountId: READY, verdict: 'ready' })]);

    const before = seen.audit as Record<string, unknown>[];
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({
      event: 'leave.decision',
      decision: 'leave',
      accountId: READY,
      organizationId: 'o-demo12345ab',
      callerArn: `arn:aws:sts::${READY}:assumed-role/OrganizationAccountAccessRole/leavegate-leave`,
      operatorArn: 'arn:aws:iam::100000000001:user/operator',
      rulePacks: [
        expect.objectContaining({ name: 'leave-organization', rules: 12 }),
        expect.objectContaining({ name: 'leave-impact', rules: 8 }),
      ],
      reportSha256: seen.reportSha,
      tagCount: expectedTags.length,
      tags: expectedTags,
      rules: expect.objectContaining({ 'member-account': 'pass', 'scp-allows-leave': 'pass' }),
    });
    expect(before[0]!.factsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(before[0]!.recheckFactsSha256).toBe(before[0]!.factsSha256);
    expect(before[0]!.snapshotSha256).toBe(
      createHash('sha256')
        .update(readFileSync(join(h.outDir, 'snapshot.json')))
        .digest('hex'),
    );

    const after = h.audit();
    expect(after[1]).toMatchObject({
      event: 'leave.outcome',
      outcome: 'left',
      requestId: `req-${READY}-1`,
      verified: true,
    });
    expect(after[1]!.runId).toBe(before[0]!.runId);
    // One fresh collection for the evaluation, one scoped recheck right before the call.
    expect(h.collects.map((c) => c.scope)).toEqual([{ accounts: [READY] }, { accounts: [READY] }]);
    expect(io.stdoutText()).toMatch(new RegExp(`${READY}  left  request id req-${READY}-1`));
    expect(h.port.closed).toBe(true);
  });

  it.each([
    ['blocked by an SCP', SCP_BLOCKED, 1, /scp-allows-leave \(fail\): .*p-denyleave01[\s\S]*fix: /],
    ['unknown (no payment attestation)', UNKNOWN, 3, /payment-method-present \(unknown\)/],
    ['the management account', MGMT, 1, /management account/],
  ])(
    'refuses an account that is %s without calling LeaveOrganization',
    async (_name, id, exit, says) => {
      const h = harness([id], { options: { yes: true } });
      const io = fakeIo();
      expect(await runLeave(h.options, io, h.deps)).toBe(exit);
      expect(h.port.leaveCalls()).toBe(0);
      expect(io.stdoutText()).toMatch(says);
      expect(h.audit()).toEqual([
        expect.objectContaining({ decision: 'refused', accountId: id, exitCode: exit }),
      ]);
      // The evidence is still written.
      expect(existsSync(join(h.outDir, 'report.json'))).toBe(true);
    },
  );

  it('dry run: evaluates, exports and rechecks, says what would happen, never calls', async () => {
    const h = harness([READY], { options: { dryRun: true } });
    const io = fakeIo({ isTTY: false });
    expect(await runLeave(h.options, io, h.deps)).toBe(0);
    expect(h.port.leaveCalls()).toBe(0);
    expect(io.stdoutText()).toMatch(/would call LeaveOrganization/);
    expect(io.stdoutText()).toMatch(/dry run: LeaveOrganization was not called/);
    expect(existsSync(join(h.outDir, 'tags.json'))).toBe(true);
    expect(h.audit().map((r) => r.decision)).toEqual(['dry-run']);
  });

  it('on a terminal, leaves only when the user types the account id', async () => {
    const wrong = harness([READY]);
    const io = fakeIo({ isTTY: true, answers: ['yes'] });
    expect(await runLeave(wrong.options, io, wrong.deps)).toBe(2);
    expect(io.prompts[0]).toMatch(new RegExp(`Type the account id ${READY}`));
    expect(wrong.port.leaveCalls()).toBe(0);
    expect(wrong.audit().map((r) => r.decision)).toEqual(['not-confirmed']);

    const right = harness([READY]);
    expect(
      await runLeave(right.options, fakeIo({ isTTY: true, answers: [` ${READY}\n`] }), right.deps),
    ).toBe(0);
    expect(right.port.leaveCalls()).toBe(1);
  });

  it('prints what changes before the confirmation, and the checklist only after the call', async () => {
    const h = harness([READY]);
    const io = fakeIo({ isTTY: true, answers: [READY] });
    let atPrompt = '';
    const prompt = io.prompt.bind(io);
    io.prompt = (q) => {
      atPrompt = io.stdoutText();
      return prompt(q);
    };
    expect(await runLeave(h.options, io, h.deps)).toBe(0);
    // Before the confirmation: every impact finding, named, each once.
    expect(atPrompt).toContain('What changes when this account leaves:');
    expect(atPrompt).toContain(
      'warning (fail): identity-center-access: 1 IAM Identity Center permission set(s) lose access: RetailDevelopers to GROUP:g-retail-developers',
    );
    expect(atPrompt).toContain('ram-shares-retained');
    expect(atPrompt).toContain('acme-shared-vpc-subnets (shared by 300000000013)');
    expect(atPrompt).toContain('RetailCostAllocationTags (TAG_POLICY');
    expect(atPrompt.split('identity-center-access:')).toHaveLength(2);
    expect(atPrompt).not.toContain('after the call, do this');
    // After the call: the checklist, with the member role, contacts, billing and the findings.
    const after = io.stdoutText().slice(atPrompt.length);
    expect(after).toContain(`account ${READY}: after the call, do this:`);
    expect(after).toMatch(/1\. Delete or re-trust the member role .*OrganizationAccountAccessRole/);
    expect(after).toMatch(/2\. Re-point the alternate contacts/);
    expect(after).toMatch(/3\. Export the account's billing data/);
    expect(after).toMatch(
      /Re-create or hand over what identity-center-access listed: .*RetailDevelopers/,
    );
  });

  it('prints no checklist when nothing was called (dry run, refusal)', async () => {
    const dry = harness([READY], { options: { dryRun: true } });
    const io = fakeIo();
    expect(await runLeave(dry.options, io, dry.deps)).toBe(0);
    expect(io.stdoutText()).toContain('What changes when this account leaves:');
    expect(io.stdoutText()).not.toContain('after the call, do this');
    const refused = harness([SCP_BLOCKED], { options: { yes: true } });
    const io2 = fakeIo();
    expect(await runLeave(refused.options, io2, refused.deps)).toBe(1);
    expect(io2.stdoutText()).not.toContain('after the call, do this');
  });

  it('refuses when the organization changed between the evaluation and the call', async () => {
    const h = harness([READY], {
      options: { yes: true },
      snapshots: [
        () => undefined,
        (s) => s.policies!.find((p) => p.id === 'p-denyleave01')!.targets.push('ou-demo-rtl00001'),
      ],
    });
    const io = fakeIo();
    expect(await runLeave(h.options, io, h.deps)).toBe(1);
    expect(h.port.leaveCalls()).toBe(0);
    expect(io.stdoutText()).toMatch(
      /the organization changed since the evaluation \(policies: SCPs attached on its path\)/,
    );
    expect(h.audit().map((r) => r.decision)).toEqual(['drifted']);
  });

  it('refuses (exit 3) when an attestation expires between the evaluation and the call, though no fact changed', async () => {
    // The demo attestations of READY expire 2027-02-20; the recheck runs after that
    // on the real clock (leave has no --now), which the fake io moves on.
    const io = fakeIo();
    const h = harness([READY], {
      options: { yes: true },
      snapshots: [
        () => undefined,
        (s) => {
          s.collectedAt = '2027-03-01T00:00:00Z';
          io.clock.ms = Date.parse('2027-03-01T00:00:00Z');
        },
      ],
    });
    expect(await runLeave(h.options, io, h.deps)).toBe(3);
    expect(h.port.leaveCalls()).toBe(0);
    expect(io.stdoutText()).toMatch(/no longer passes the gate at the recheck/);
    expect(io.stdoutText()).toMatch(/payment-method-present \(unknown\)/);
    const audit = h.audit();
    expect(audit).toEqual([expect.objectContaining({ decision: 'drifted', exitCode: 3 })]);
    expect(audit[0]!.recheckFactsSha256).toBe(audit[0]!.factsSha256);
  });

  it('says so and exits 0 when the account already left, without collecting or calling', async () => {
    const h = harness([READY], {
      fake: { [READY]: { membership: { status: 'not-in-organization' } } },
      options: { yes: true },
    });
    const io = fakeIo();
    expect(await runLeave(h.options, io, h.deps)).toBe(0);
    expect(h.collects).toHaveLength(0);
    expect(h.port.leaveCalls()).toBe(0);
    expect(io.stdoutText()).toMatch(/already left/);
    expect(h.audit().map((r) => r.decision)).toEqual(['already-out']);
  });

  it('refuses member credentials of another account (exit 2)', async () => {
    const h = harness([READY], {
      fake: { [READY]: { callerAccount: '999999999999' } },
      options: { yes: true },
    });
    expect(await runLeave(h.options, fakeIo(), h.deps)).toBe(2);
    expect(h.port.leaveCalls()).toBe(0);
  });

  it('refuses (exit 2) when credentials of another account see no organization: the target is not "already out"', async () => {
    const h = harness([READY], {
      fake: {
        [READY]: { callerAccount: '999999999999', membership: { status: 'not-in-organization' } },
      },
      options: { yes: true },
    });
    const io = fakeIo();
    expect(await runLeave(h.options, io, h.deps)).toBe(2);
    expect(io.stdoutText()).not.toMatch(/already left/);
    expect(h.port.leaveCalls()).toBe(0);
    expect(h.audit().map((r) => r.decision)).toEqual(['refused']);
  });

  it('exits non-zero with AWS reason when AWS refuses', async () => {
    const h = harness([READY], {
      fake: {
        [READY]: {
          leave: [
            awsErr('ConstraintViolationException', 'phone', {
              Reason: 'ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION',
            }),
          ],
        },
      },
      options: { yes: true },
    });
    const io = fakeIo();
    expect(await runLeave(h.options, io, h.deps)).toBe(1);
    expect(h.port.leaveCalls()).toBe(1);
    expect(io.stdoutText()).toMatch(
      /phone number is not verified\. Rule phone-verified should have caught this/,
    );
    expect(io.stdoutText()).toMatch(/refused-by-aws/);
    expect(h.audit().at(-1)).toMatchObject({
      outcome: 'refused-by-aws',
      error: { rules: ['phone-verified'] },
    });
  });

  it('stops at the first failure unless --keep-going, and spaces calls 200 ms apart', async () => {
    const stop = harness([SCP_BLOCKED, READY], { options: { yes: true } });
    const io = fakeIo();
    expect(await runLeave(stop.options, io, stop.deps)).toBe(1);
    expect(stop.port.leaveCalls()).toBe(0);
    expect(io.stdoutText()).toMatch(new RegExp(`${READY}  skipped`));

    const go = harness([SCP_BLOCKED, READY, READY2], { options: { yes: true, keepGoing: true } });
    const io2 = fakeIo();
    expect(await runLeave(go.options, io2, go.deps)).toBe(1);
    expect(go.port.calls.filter((c) => c.startsWith('leave:'))).toEqual([
      `leave:${READY}`,
      `leave:${READY2}`,
    ]);
    // The fake clock only moves when slept: the second call waited the full interval.
    expect(io2.sleeps).toContain(200);
  });

  it('refuses when --principal names another principal than the member role that would call (exit 2)', async () => {
    const h = harness([READY], {
      options: {
        yes: true,
        gate: {
          attestationsFile: join(DEMO_DIR, 'attestations.json'),
          principalArn: `arn:aws:iam::${READY}:role/BreakGlass`,
        },
      },
    });
    const io = fakeIo();
    expect(await runLeave(h.options, io, h.deps)).toBe(2);
    expect(h.port.leaveCalls()).toBe(0);
    expect(io.stdoutText()).toMatch(/evaluated for arn:aws:iam::200000000002:role\/BreakGlass/);
  });

  it('keeps the tag export of an account that left in an earlier run in the same --out', async () => {
    const first = harness([READY], { options: { yes: true } });
    expect(await runLeave(first.options, fakeIo(), first.deps)).toBe(0);
    const second = harness([READY2], { options: { yes: true, outDir: first.outDir } });
    expect(await runLeave(second.options, fakeIo(), second.deps)).toBe(0);
    const doc = JSON.parse(readFileSync(join(first.outDir, 'tags.json'), 'utf8')) as {
      accounts: { accountId: string; tags: unknown[] }[];
    };
    expect(doc.accounts.map((a) => a.accountId)).toEqual([READY, READY2]);
    expect(doc.accounts[0]!.tags).toHaveLength(4);
    const script = readFileSync(join(first.outDir, 'restore-tags.sh'), 'utf8');
    expect(script).toContain(`--resource-id '${READY}'`);
    expect(script).toContain(`--resource-id '${READY2}'`);
  });

  it('refuses to overwrite an unreadable earlier tag export (exit 2, no call)', async () => {
    const h = harness([READY], { options: { yes: true } });
    mkdirSync(h.outDir, { recursive: true });
    writeFileSync(join(h.outDir, 'tags.json'), '{"not": "an export"');
    const io = fakeIo();
    expect(await runLeave(h.options, io, h.deps)).toBe(2);
    expect(io.errs.join('')).toMatch(/tags\.json: not a leavegate tags export/);
    expect(h.port.leaveCalls()).toBe(0);
    expect(readFileSync(join(h.outDir, 'tags.json'), 'utf8')).toBe('{"not": "an export"');
  });

  it('rejects bad account ids before anything else (exit 2)', async () => {
    const h = harness(['12345'], { options: { yes: true } });
    const io = fakeIo();
    expect(await runLeave(h.options, io, h.deps)).toBe(2);
    expect(io.errs.join('')).toMatch(/12-digit/);
    expect(h.portCreated()).toBe(false);
  });
});
