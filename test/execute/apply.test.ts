/**
 * applyLeave: recheck, audit-before-call, retries with bounded backoff, rate
 * limit, verification and outcomes. LeaveOrganization goes through the real
 * AWS port and SDK client (aws-sdk-client-mock); the clock is fake.
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  AccessDeniedException,
  AWSOrganizationsNotInUseException,
  ConcurrentModificationException,
  ConstraintViolationException,
  DescribeOrganizationCommand,
  LeaveOrganizationCommand,
  OrganizationsClient,
  ServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { applyLeave } from '../../src/execute/apply.js';
import type { ApplyContext, ApplyDeps } from '../../src/execute/apply.js';
import type { AuditRecord } from '../../src/execute/audit.js';
import { createAwsPort } from '../../src/execute/aws-port.js';
import { factsFingerprint } from '../../src/execute/drift.js';
import type { LeavePlan } from '../../src/execute/gate.js';
import { backoffDelay, RateGate, withRetry } from '../../src/execute/retry.js';
import { demoSnapshot, sdkSource } from './helpers.js';

const ACCOUNT = '200000000002';
const meta = (requestId: string, httpStatusCode = 400) => ({
  $metadata: { requestId, httpStatusCode },
});

const orgs = mockClient(OrganizationsClient);
beforeEach(() => {
  orgs.reset();
});

const plan: LeavePlan = {
  accountId: ACCOUNT,
  accountName: 'retail-storefront-prod',
  organizationId: 'o-demo12345ab',
  managementAccountId: '100000000001',
  callerArn: `arn:aws:sts::${ACCOUNT}:assumed-role/OrganizationAccountAccessRole/leavegate-leave`,
  rulePacks: [{ name: 'leave-organization', version: '1.0.0', rules: 12 }],
  tags: [{ key: 'CostCenter', value: '42' }],
  warnings: [],
  waived: [],
  ruleStatuses: { 'member-account': 'pass' },
  impact: { findings: [], checklist: [] },
};

function setup(overrides: Partial<ApplyDeps> = {}, ctxOverrides: Partial<ApplyContext> = {}) {
  const snapshot = demoSnapshot();
  const before = factsFingerprint(snapshot, ACCOUNT);
  const audit: AuditRecord[] = [];
  const sleeps: number[] = [];
  const logs: string[] = [];
  const clock = { ms: 0 };
  const port = createAwsPort(sdkSource());
  const deps: ApplyDeps = {
    member: port.member(ACCOUNT),
    recheck: () => Promise.resolve({ facts: factsFingerprint(demoSnapshot(), ACCOUNT) }),
    audit: (r) => {
      audit.push(r);
      return Promise.resolve();
    },
    rateGate: new RateGate(
      200,
      () => clock.ms,
      (ms) => {
        clock.ms += ms;
        return Promise.resolve();
      },
    ),
    retry: { attempts: 5, baseDelayMs: 500, maxDelayMs: 8000 },
    verify: { attempts: 3, delayMs: 1000 },
    sleep: (ms) => {
      sleeps.push(ms);
      clock.ms += ms;
      return Promise.resolve();
    },
    now: () => new Date(Date.UTC(2026, 10, 28, 13) + clock.ms),
    random: () => 1,
    log: (l) => void logs.push(l),
    ...overrides,
  };
  const ctx: ApplyContext = {
    runId: 'run-1',
    toolVersion: '0.1.0',
    operatorArn: 'arn:aws:iam::100000000001:user/op',
    snapshotSha256: 'snap',
    reportSha256: 'rep',
    reportFile: '/tmp/report.json',
    tagsFile: '/tmp/tags.json',
    factsBefore: before,
    dryRun: false,
    ...ctxOverrides,
  };
  return { deps, ctx, audit, sleeps, logs };
}

const notInUse = () =>
  new AWSOrganizationsNotInUseException({ message: 'not in use', ...meta('d') });
const member = { Organization: { Id: 'o-demo12345ab', MasterAccountId: '100000000001' } };

describe('applyLeave', () => {
  it('audits the decision before the call, calls once, verifies, and audits the outcome with the request id', async () => {
    const { deps, ctx, audit } = setup();
    let auditedBeforeCall = 0;
    orgs.on(LeaveOrganizationCommand).callsFake(() => {
      auditedBeforeCall = audit.length;
      return { $metadata: { requestId: 'req-leave-1' } };
    });
    orgs.on(DescribeOrganizationCommand).rejects(notInUse());
    const result = await applyLeave(plan, ctx, deps);
    expect(result).toMatchObject({
      outcome: 'left',
      exitCode: 0,
      attempts: 1,
      requestId: 'req-leave-1',
    });
    expect(orgs.commandCalls(LeaveOrganizationCommand)).toHaveLength(1);
    expect(auditedBeforeCall).toBe(1);
    expect(audit[0]).toMatchObject({
      event: 'leave.decision',
      decision: 'leave',
      accountId: ACCOUNT,
      callerArn: plan.callerArn,
      operatorArn: 'arn:aws:iam::100000000001:user/op',
      rulePacks: plan.rulePacks,
      factsSha256: ctx.factsBefore.sha256,
      recheckFactsSha256: ctx.factsBefore.sha256,
      snapshotSha256: 'snap',
      reportSha256: 'rep',
      tagCount: 1,
      tags: [{ key: 'CostCenter', value: '42' }],
      rules: { 'member-account': 'pass' },
    });
    expect(audit[1]).toMatchObject({
      event: 'leave.outcome',
      outcome: 'left',
      requestId: 'req-leave-1',
      verified: true,
      attempts: 1,
    });
  });

  it('retries TooManyRequests, ConcurrentModification and ServiceException with exponential backoff, then succeeds', async () => {
    const { deps, ctx, sleeps, audit, logs } = setup();
    orgs
      .on(LeaveOrganizationCommand)
      .rejectsOnce(new TooManyRequestsException({ message: 'rate', ...meta('r1') }))
      .rejectsOnce(new ConcurrentModificationException({ message: 'busy', ...meta('r2') }))
      .rejectsOnce(new ServiceException({ message: 'fault', ...meta('r3', 500) }))
      .resolves({ $metadata: { requestId: 'req-ok' } });
    orgs.on(DescribeOrganizationCommand).rejects(notInUse());
    const result = await applyLeave(plan, ctx, deps);
    expect(result).toMatchObject({
      outcome: 'left',
      exitCode: 0,
      attempts: 4,
      requestId: 'req-ok',
    });
    expect(orgs.commandCalls(LeaveOrganizationCommand)).toHaveLength(4);
    // random() = 1: the full exponential delay each time.
    expect(sleeps).toEqual([500, 1000, 2000]);
    expect(logs.join('\n')).toMatch(
      /attempt 1 failed \(TooManyRequestsException\); retrying in 500 ms/,
    );
    expect(audit.filter((r) => r.event === 'leave.decision')).toHaveLength(1);
    expect(audit[1]).toMatchObject({ outcome: 'left', attempts: 4 });
  });

  it('gives up after the bounded number of attempts and reports failure (never success)', async () => {
    const { deps, ctx, sleeps, audit } = setup();
    orgs
      .on(LeaveOrganizationCommand)
      .rejects(new TooManyRequestsException({ message: 'rate', ...meta('r-last') }));
    const result = await applyLeave(plan, ctx, deps);
    expect(orgs.commandCalls(LeaveOrganizationCommand)).toHaveLength(5);
    expect(sleeps).toEqual([500, 1000, 2000, 4000]);
    expect(result).toMatchObject({
      outcome: 'failed',
      exitCode: 1,
      attempts: 5,
      requestId: 'r-last',
    });
    expect(result.message).toMatch(/TooManyRequestsException.*after 5 attempts/);
    expect(audit[1]).toMatchObject({
      outcome: 'failed',
      verified: false,
      requestId: 'r-last',
      error: { code: 'TooManyRequestsException' },
    });
    // No verification call for a failure.
    expect(orgs.commandCalls(DescribeOrganizationCommand)).toHaveLength(0);
  });

  it('does not retry a refusal: one call, exit 1, the rule that should have caught it', async () => {
    const { deps, ctx, sleeps, audit } = setup();
    orgs.on(LeaveOrganizationCommand).rejects(
      new ConstraintViolationException({
        message: 'wait',
        Reason: 'WAIT_PERIOD_ACTIVE',
        ...meta('r-cv'),
      }),
    );
    const result = await applyLeave(plan, ctx, deps);
    expect(orgs.commandCalls(LeaveOrganizationCommand)).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(result).toMatchObject({ outcome: 'refused-by-aws', exitCode: 1, requestId: 'r-cv' });
    expect(result.error?.rules).toEqual(['waiting-period-elapsed']);
    expect(result.message).toMatch(/Next: wait until/);
    expect(audit[1]).toMatchObject({
      outcome: 'refused-by-aws',
      error: {
        code: 'ConstraintViolationException:WAIT_PERIOD_ACTIVE',
        rules: ['waiting-period-elapsed'],
      },
    });
  });

  it('stops retrying when a retry meets a refusal', async () => {
    const { deps, ctx } = setup();
    orgs
      .on(LeaveOrganizationCommand)
      .rejectsOnce(new ServiceException({ message: 'fault', ...meta('r1', 500) }))
      .rejects(
        new AccessDeniedException({
          message: 'explicit deny in a service control policy',
          ...meta('r2'),
        }),
      );
    const result = await applyLeave(plan, ctx, deps);
    expect(orgs.commandCalls(LeaveOrganizationCommand)).toHaveLength(2);
    expect(result).toMatchObject({ outcome: 'refused-by-aws', exitCode: 1, attempts: 2 });
    expect(result.error?.rules).toEqual(['scp-allows-leave']);
  });

  it('treats "not in an organization" after a failed attempt as out only once DescribeOrganization confirms it', async () => {
    const { deps, ctx } = setup();
    orgs
      .on(LeaveOrganizationCommand)
      .rejectsOnce(new ServiceException({ message: 'timeout', ...meta('r1', 500) }))
      .rejects(notInUse());
    orgs.on(DescribeOrganizationCommand).rejects(notInUse());
    const out = await applyLeave(plan, ctx, deps);
    expect(out).toMatchObject({ outcome: 'already-out', exitCode: 0, attempts: 2 });

    orgs.reset();
    const second = setup();
    orgs.on(LeaveOrganizationCommand).rejects(notInUse());
    orgs.on(DescribeOrganizationCommand).resolves(member);
    const unverified = await applyLeave(plan, second.ctx, second.deps);
    expect(unverified.exitCode).not.toBe(0);
    expect(second.audit[1]).toMatchObject({ outcome: 'failed', verified: false });
  });

  it('reports "unverified" (exit 1) when AWS accepted the call but the member still sees its organization', async () => {
    const { deps, ctx, sleeps, audit } = setup();
    orgs.on(LeaveOrganizationCommand).resolves({ $metadata: { requestId: 'req-ok' } });
    orgs.on(DescribeOrganizationCommand).resolves(member);
    const result = await applyLeave(plan, ctx, deps);
    expect(result).toMatchObject({ outcome: 'unverified', exitCode: 1, requestId: 'req-ok' });
    expect(orgs.commandCalls(DescribeOrganizationCommand)).toHaveLength(3);
    expect(sleeps).toEqual([1000, 1000]);
    expect(audit[1]).toMatchObject({ outcome: 'unverified', verified: false, requestId: 'req-ok' });
  });

  it('refuses without calling when the facts changed since the evaluation, naming what changed', async () => {
    const changed = demoSnapshot();
    changed.accounts.find((a) => a.id === ACCOUNT)!.tags!.push({ key: 'new', value: 'tag' });
    const { deps, ctx, audit } = setup({
      recheck: () => Promise.resolve({ facts: factsFingerprint(changed, ACCOUNT) }),
    });
    const result = await applyLeave(plan, ctx, deps);
    expect(result).toMatchObject({
      outcome: 'drifted',
      exitCode: 1,
      attempts: 0,
      changed: ['account'],
    });
    expect(result.message).toContain('the organization changed since the evaluation');
    expect(orgs.commandCalls(LeaveOrganizationCommand)).toHaveLength(0);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ decision: 'drifted', exitCode: 1 });
  });

  it('refuses without calling when the gate, run again at the recheck, no longer lets the account leave', async () => {
    const { deps, ctx, audit } = setup({
      recheck: () =>
        Promise.resolve({
          facts: factsFingerprint(demoSnapshot(), ACCOUNT),
          refusal: {
            kind: 'unknown',
            exitCode: 3,
            summary: `account ${ACCOUNT}: readiness unknown for 1 rule(s): payment-method-present`,
            reasons: [
              { rule: 'payment-method-present', status: 'unknown', message: 'attestation expired' },
            ],
          },
        }),
    });
    const result = await applyLeave(plan, ctx, deps);
    expect(result).toMatchObject({ outcome: 'drifted', exitCode: 3, attempts: 0 });
    expect(result.message).toContain('payment-method-present (unknown): attestation expired');
    expect(orgs.commandCalls(LeaveOrganizationCommand)).toHaveLength(0);
    expect(audit).toEqual([expect.objectContaining({ decision: 'drifted', exitCode: 3 })]);
  });

  it('refuses (exit 3) when the recheck cannot be made', async () => {
    const { deps, ctx, audit } = setup({
      recheck: () => Promise.reject(new Error('throttled out')),
    });
    const result = await applyLeave(plan, ctx, deps);
    expect(result).toMatchObject({ outcome: 'recheck-failed', exitCode: 3 });
    expect(orgs.commandCalls(LeaveOrganizationCommand)).toHaveLength(0);
    expect(audit[0]).toMatchObject({ decision: 'refused' });
  });

  it('dry run: rechecks and audits, but never calls', async () => {
    const { deps, ctx, audit } = setup({}, { dryRun: true });
    const result = await applyLeave(plan, ctx, deps);
    expect(result).toMatchObject({ outcome: 'dry-run', exitCode: 0, attempts: 0 });
    expect(result.message).toMatch(/would call LeaveOrganization as arn:aws:sts::200000000002/);
    expect(orgs.commandCalls(LeaveOrganizationCommand)).toHaveLength(0);
    expect(audit.map((r) => ('decision' in r ? r.decision : r.outcome))).toEqual(['dry-run']);
  });

  it('does not call when the audit record cannot be written', async () => {
    const { deps, ctx } = setup({ audit: () => Promise.reject(new Error('EROFS')) });
    orgs.on(LeaveOrganizationCommand).resolves({ $metadata: { requestId: 'x' } });
    await expect(applyLeave(plan, ctx, deps)).rejects.toThrow('EROFS');
    expect(orgs.commandCalls(LeaveOrganizationCommand)).toHaveLength(0);
  });
});

describe('retry primitives', () => {
  it('backoff doubles from the base, is capped, and jitters within [half, full]', () => {
    const p = { attempts: 10, baseDelayMs: 500, maxDelayMs: 3000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(p, a, () => 1))).toEqual([
      500, 1000, 2000, 3000, 3000,
    ]);
    expect(backoffDelay(p, 1, () => 0)).toBe(250);
  });

  it('withRetry never throws and counts attempts', async () => {
    const sleeps: number[] = [];
    const r = await withRetry(
      () => Promise.reject(new Error('x')),
      () => true,
      { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
      {
        sleep: (ms) => {
          sleeps.push(ms);
          return Promise.resolve();
        },
        random: () => 1,
      },
    );
    expect(r).toMatchObject({ ok: false, attempts: 3 });
    expect(sleeps).toEqual([10, 20]);
  });

  it('RateGate spaces calls at least 200 ms apart (5 per second)', async () => {
    const clock = { ms: 1000 };
    const waits: number[] = [];
    const gate = new RateGate(
      200,
      () => clock.ms,
      (ms) => {
        waits.push(ms);
        clock.ms += ms;
        return Promise.resolve();
      },
    );
    const starts: number[] = [];
    for (let i = 0; i < 6; i++) {
      await gate.take();
      starts.push(clock.ms);
      clock.ms += 30; // the call itself
    }
    expect(waits).toEqual([170, 170, 170, 170, 170]);
    for (let i = 1; i < starts.length; i++)
      expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(200);
    // Any 1-second window holds at most 5 call starts.
    expect(starts.filter((s) => s < starts[0]! + 1000)).toHaveLength(5);
  });
});
