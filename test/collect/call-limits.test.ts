/**
 * The call limits (src/collect/call-limits.ts): two pools that are really
 * independent — a saturated management pool does not hold member calls, nor
 * the reverse — each bound respected (the most calls seen in flight at once is
 * exactly the limit), a cap per member account (not on the STS calls that
 * open member sessions), and the same through the
 * client pool's real SDK clients against a loopback server that counts the
 * requests it holds. Nothing leaves the machine.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  createCallLimits,
  createClientPool,
  MANAGEMENT_CONCURRENCY,
  MEMBER_CONCURRENCY,
} from '../../src/collect/index.js';
import type { CallLimits, CallSide, MemberSession } from '../../src/collect/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `count` calls of `ms` each on `side`, recording the most in flight at once (overall, per account). */
async function burst(limits: CallLimits, sides: CallSide[], ms: number) {
  let now = 0;
  let peak = 0;
  const perAccount = new Map<string, number>();
  let accountPeak = 0;
  await Promise.all(
    sides.map((side) =>
      limits.run(side, async () => {
        const key = side.kind === 'member' ? (side.accountId ?? 'sts') : '';
        now += 1;
        perAccount.set(key, (perAccount.get(key) ?? 0) + 1);
        peak = Math.max(peak, now);
        accountPeak = Math.max(accountPeak, perAccount.get(key)!);
        await sleep(ms);
        now -= 1;
        perAccount.set(key, perAccount.get(key)! - 1);
      }),
    ),
  );
  return { peak, accountPeak };
}

const management = (n: number): CallSide[] =>
  Array.from({ length: n }, (): CallSide => ({ kind: 'management' }));
const members = (accounts: number, each: number): CallSide[] =>
  Array.from({ length: accounts * each }, (_, i) => ({
    kind: 'member',
    accountId: String(100000000000 + (i % accounts)),
  }));

describe('call limits', () => {
  test('defaults: 8 management and 32 member calls in flight, at most 4 per account', () => {
    const limits = createCallLimits();
    expect([limits.management, limits.member, limits.perAccount]).toEqual([8, 32, 4]);
    expect([MANAGEMENT_CONCURRENCY, MEMBER_CONCURRENCY]).toEqual([8, 32]);
    expect(limits.serial).toBe(false);
    // Enough accounts at once to keep both pools busy.
    expect(limits.accounts).toBe(8 + 32 / 4);
    expect(createCallLimits({ management: 1, member: 1 }).serial).toBe(true);
    expect(createCallLimits({ management: 1, member: 2 }).serial).toBe(false);
    // The cap per account never exceeds the pool.
    expect(createCallLimits({ member: 2 }).perAccount).toBe(2);
  });

  test('the management bound is respected: the most in flight is exactly the limit', async () => {
    const limits = createCallLimits({ management: 3, member: 5 });
    const seen = await burst(limits, management(20), 5);
    expect(seen.peak).toBe(3);
    expect(limits.peaks().management).toBe(3);
    expect(limits.peaks().member).toBe(0);
  });

  test('the member bound holds across accounts, and each account stays under its cap', async () => {
    const limits = createCallLimits({ management: 2, member: 6, perAccount: 2 });
    const seen = await burst(limits, members(5, 6), 5);
    expect(seen.peak).toBe(6);
    expect(seen.accountPeak).toBe(2);
    expect(limits.peaks()).toEqual({ management: 0, member: 6, perAccount: 2 });
    // One account alone never takes more than its cap, however many calls it queues.
    const one = createCallLimits({ management: 2, member: 6, perAccount: 2 });
    expect((await burst(one, members(1, 12), 5)).peak).toBe(2);
  });

  test("STS calls (the caller's, opening member sessions) take member slots under no account's cap", async () => {
    const limits = createCallLimits({ management: 2, member: 6, perAccount: 2 });
    const sts: CallSide[] = Array.from({ length: 12 }, (): CallSide => ({ kind: 'member' }));
    expect((await burst(limits, sts, 5)).peak).toBe(6);
    expect(limits.peaks()).toEqual({ management: 0, member: 6, perAccount: 0 });
  });

  test('a saturated management pool does not hold member calls', async () => {
    const limits = createCallLimits({ management: 2, member: 4 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // Every management slot taken, and more queued behind them, none finishing.
    const blocked = management(6).map((side) => limits.run(side, () => gate));
    const started = Date.now();
    const done = await Promise.all(
      members(4, 2).map((side) => limits.run(side, () => sleep(5).then(() => Date.now()))),
    );
    expect(done).toHaveLength(8);
    expect(Math.max(...done) - started).toBeLessThan(2_000);
    expect(limits.peaks().management).toBe(2);
    release();
    await Promise.all(blocked);
  });

  test('a saturated member pool does not hold management calls', async () => {
    const limits = createCallLimits({ management: 2, member: 3 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const blocked = members(3, 4).map((side) => limits.run(side, () => gate));
    const answers = await Promise.all(
      management(4).map((side) => limits.run(side, () => sleep(1))),
    );
    expect(answers).toHaveLength(4);
    expect(limits.peaks().member).toBe(3);
    release();
    await Promise.all(blocked);
  });

  test('a failed call frees its slot', async () => {
    const limits = createCallLimits({ management: 1, member: 1 });
    const denied = Object.assign(new Error('denied'), { name: 'AccessDenied' });
    await expect(limits.run({ kind: 'management' }, () => Promise.reject(denied))).rejects.toBe(
      denied,
    );
    await expect(limits.run({ kind: 'management' }, () => Promise.resolve(7))).resolves.toBe(7);
    const member: CallSide = { kind: 'member', accountId: '222222222222' };
    await expect(limits.run(member, () => Promise.reject(denied))).rejects.toBe(denied);
    await expect(limits.run(member, () => Promise.resolve(8))).resolves.toBe(8);
  });
});

describe('the client pool applies the limits to every SDK call', () => {
  // A loopback Organizations endpoint that holds every request until released
  // (management ones) or for 20 ms (members), counting what it holds at once.
  let url: string;
  let server: ReturnType<typeof createServer>;
  const inFlight = { management: 0, member: 0 };
  const peak = { management: 0, member: 0 };
  const held: (() => void)[] = [];
  let holdManagement = false;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      const side = /Credential=AKIDMEMBER/.test(String(req.headers.authorization))
        ? 'member'
        : 'management';
      inFlight[side] += 1;
      peak[side] = Math.max(peak[side], inFlight[side]);
      const answer = () => {
        inFlight[side] -= 1;
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ Organization: { Id: 'o-abc1234567' } }));
      };
      if (side === 'management' && holdManagement) held.push(answer);
      else setTimeout(answer, 20);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const answer of held.splice(0)) answer();
    await new Promise((r) => server.close(r));
  });

  test('held management calls stay at their bound while member calls run at theirs', async () => {
    const before = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = url;
    const limits = createCallLimits({ management: 2, member: 6, perAccount: 3 });
    const pool = createClientPool({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDMANAGEMENT', secretAccessKey: 'x' },
      limits,
      maxAttempts: 1,
    });
    try {
      holdManagement = true;
      const orgs = pool.client(OrganizationsClient);
      const managementCalls = Array.from({ length: 5 }, () =>
        orgs.send(new DescribeOrganizationCommand({})),
      );
      const session = (accountId: string): MemberSession => ({
        kind: 'member',
        accountId,
        roleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
        credentials: () => Promise.resolve({ accessKeyId: 'AKIDMEMBER', secretAccessKey: 'x' }),
      });
      const accounts = ['222222222222', '333333333333', '444444444444'];
      // Every management slot is held: the member calls still all complete.
      const memberCalls = accounts.flatMap((id) =>
        Array.from({ length: 6 }, () =>
          pool.client(OrganizationsClient, session(id)).send(new DescribeOrganizationCommand({})),
        ),
      );
      await Promise.all(memberCalls);
      expect(peak.member).toBe(6);
      expect(limits.peaks().perAccount).toBe(3);
      // Two management requests reached the server; three wait for a slot.
      expect(peak.management).toBe(2);
      expect(held).toHaveLength(2);
      holdManagement = false;
      for (const answer of held.splice(0)) answer();
      await Promise.all(managementCalls);
      expect(peak.management).toBe(2);
      // Every attempt is still counted once.
      expect(pool.apiCalls()).toEqual({ 'organizations:DescribeOrganization': 5 + 18 });
    } finally {
      pool.destroy();
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = before;
    }
  });
});
