/**
 * runTransfer in-process (DESIGN §8): the leave pipeline with AcceptHandshake
 * as the call. The real transfer pack, engine, gate and report writer on the
 * demo organization, whose collection fakes add the member's handshakes; AWS
 * is a fake port that records what was called. The built CLI against moto is
 * test/integration/transfer-moto.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { runTransfer } from '../../src/execute/index.js';
import type { HandshakeRecord, Snapshot } from '../../src/snapshot/types.js';
import { awsErr, fakeIo } from './helpers.js';
import { runHarness } from './run-harness.js';

const READY = '200000000002';
const SCP_BLOCKED = '300000000005';
const TARGET = 'o-target12345';
const HS = 'h-abcdef1234';

const invite = (over: Partial<HandshakeRecord> = {}): HandshakeRecord => ({
  id: HS,
  arn: `arn:aws:organizations::999999999999:handshake/${TARGET}/invite/${HS}`,
  action: 'INVITE',
  state: 'OPEN',
  organizationId: TARGET,
  requestedBy: '999999999999',
  expirationTimestamp: '2026-12-12T00:00:00Z',
  ...over,
});
/** Every collected account has the invitation (or `over`). */
const withInvite =
  (over: Partial<HandshakeRecord> = {}) =>
  (s: Snapshot) => {
    for (const a of s.accounts) a.handshakes = [invite(over)];
  };

const { harness } = runHarness('leavegate-run-transfer-', {
  mode: 'transfer',
  transfer: { handshakeId: HS },
});

const accepts = (calls: string[]) => calls.filter((c) => c.startsWith('accept:'));

describe('runTransfer', () => {
  it('a ready account: exactly one AcceptHandshake of the named handshake, audited before, verified after', async () => {
    const h = harness([READY], {
      options: { yes: true },
      snapshots: [withInvite(), withInvite()],
    });
    const io = fakeIo();
    expect(await runTransfer(h.options, io, h.deps)).toBe(0);
    expect(accepts(h.port.calls)).toEqual([`accept:${READY}:${HS}`]);
    expect(h.port.leaveCalls()).toBe(0);
    expect(h.collects.every((c) => c.handshakes === true)).toBe(true);
    const audit = h.audit();
    expect(audit.map((r) => [r.event, r.decision ?? r.outcome])).toEqual([
      ['transfer.decision', 'transfer'],
      ['transfer.outcome', 'transferred'],
    ]);
    expect(audit[0]).toMatchObject({ handshakeId: HS, targetOrganizationId: TARGET });
    expect(audit[1]).toMatchObject({ verified: true, requestId: `req-${READY}-1` });
    expect(io.stdoutText()).toContain(`moved from organization o-demo12345ab to ${TARGET}`);
    // Warnings never block but are shown before the confirmation.
    expect(io.stdoutText()).toMatch(/warning \(unknown\): target-organization-eligible/);
  });

  it('refuses a handshake that is not the open invitation (no call)', async () => {
    const h = harness([READY], {
      options: { yes: true, gate: { mode: 'transfer', transfer: { handshakeId: 'h-other00001' } } },
      snapshots: [withInvite()],
    });
    const io = fakeIo();
    expect(await runTransfer(h.options, io, h.deps)).toBe(1);
    expect(accepts(h.port.calls)).toEqual([]);
    expect(io.stdoutText()).toContain('h-other00001 is not among the handshakes');
    expect(h.audit()).toEqual([
      expect.objectContaining({ decision: 'refused', handshakeId: 'h-other00001' }),
    ]);
  });

  it.each([
    ['an expired invitation', READY, { state: 'EXPIRED' }, /invitation-open/],
    ['an SCP denying LeaveOrganization', SCP_BLOCKED, {}, /scp-allows-transfer/],
  ])('refuses %s without calling', async (_name, id, over, says) => {
    const h = harness([id], { options: { yes: true }, snapshots: [withInvite(over)] });
    const io = fakeIo();
    expect(await runTransfer(h.options, io, h.deps)).toBe(1);
    expect(accepts(h.port.calls)).toEqual([]);
    expect(io.stdoutText()).toMatch(says);
  });

  it('dry run and a run without terminal or --yes never call', async () => {
    const dry = harness([READY], {
      options: { dryRun: true },
      snapshots: [withInvite(), withInvite()],
    });
    const io = fakeIo();
    expect(await runTransfer(dry.options, io, dry.deps)).toBe(0);
    expect(io.stdoutText()).toMatch(/would call AcceptHandshake/);
    expect(accepts(dry.port.calls)).toEqual([]);

    const unconfirmed = harness([READY], { snapshots: [withInvite()] });
    expect(await runTransfer(unconfirmed.options, fakeIo({ isTTY: false }), unconfirmed.deps)).toBe(
      2,
    );
    expect(unconfirmed.port.calls).toEqual([]);
  });

  it('refuses when the invitation is no longer open at the recheck', async () => {
    const h = harness([READY], {
      options: { yes: true },
      snapshots: [withInvite(), withInvite({ state: 'CANCELED' })],
    });
    const io = fakeIo();
    expect(await runTransfer(h.options, io, h.deps)).toBe(1);
    expect(accepts(h.port.calls)).toEqual([]);
    // The handshakes are part of the account record: the drift refusal names it.
    expect(io.stdoutText()).toMatch(/the organization changed since the evaluation \(account/);
    expect(h.audit()).toEqual([expect.objectContaining({ decision: 'drifted', handshakeId: HS })]);
  });

  it('retries throttling only; maps a handshake constraint to its meaning', async () => {
    const throttled = harness([READY], {
      options: { yes: true },
      snapshots: [withInvite(), withInvite()],
      fake: { [READY]: { accept: [awsErr('TooManyRequestsException', 'slow down')] } },
    });
    expect(await runTransfer(throttled.options, fakeIo(), throttled.deps)).toBe(0);
    expect(accepts(throttled.port.calls)).toHaveLength(2);

    const limited = harness([READY], {
      options: { yes: true },
      snapshots: [withInvite(), withInvite()],
      fake: {
        [READY]: {
          accept: [
            awsErr('HandshakeConstraintViolationException', 'too soon', {
              Reason: 'ORGANIZATION_MEMBERSHIP_CHANGE_RATE_LIMIT_EXCEEDED',
            }),
          ],
        },
      },
    });
    const io = fakeIo();
    expect(await runTransfer(limited.options, io, limited.deps)).toBe(1);
    expect(accepts(limited.port.calls)).toHaveLength(1);
    expect(io.stdoutText()).toMatch(/changed organizations too recently/);
    expect(limited.audit().at(-1)).toMatchObject({
      outcome: 'refused-by-aws',
      error: expect.objectContaining({
        code: 'HandshakeConstraintViolationException:ORGANIZATION_MEMBERSHIP_CHANGE_RATE_LIMIT_EXCEEDED',
      }),
    });
  });

  it('unverified when DescribeOrganization does not name the target after the call', async () => {
    const h = harness([READY], {
      options: { yes: true },
      snapshots: [withInvite(), withInvite()],
      fake: { [READY]: { stickyMembership: true } },
    });
    const io = fakeIo();
    expect(await runTransfer(h.options, io, h.deps)).not.toBe(0);
    expect(io.stdoutText()).toMatch(/does not name the target organization/);
    expect(h.audit().at(-1)).toMatchObject({ outcome: 'unverified', verified: false });
  });

  it('a transfer without --handshake is a usage error before any AWS call', async () => {
    const h = harness([READY], { options: { yes: true, gate: { mode: 'leave' } } });
    expect(await runTransfer(h.options, fakeIo(), h.deps)).toBe(2);
    expect(h.portCreated()).toBe(false);
  });
});
