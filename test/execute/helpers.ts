/** Test doubles for the executor: an in-memory AWS port, an io with a fake clock, the demo snapshot. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsPort, ClientSource, Membership, MemberPort } from '../../src/execute/aws-port.js';
import type { LeaveIo } from '../../src/execute/index.js';
import { packageRoot } from '../../src/paths.js';
import type { Snapshot } from '../../src/snapshot/types.js';

export const DEMO_DIR = join(packageRoot(), 'examples', 'demo');
/** The demo organization's evaluation time (its collectedAt). */
export const DEMO_NOW = new Date('2026-11-28T12:00:00Z');

/** A fresh deep copy of the demo snapshot (o-demo12345ab, management 100000000001). */
export function demoSnapshot(): Snapshot {
  return JSON.parse(readFileSync(join(DEMO_DIR, 'snapshot.json'), 'utf8')) as Snapshot;
}

export interface FakeAccount {
  /** What GetCallerIdentity answers (default: the account itself). */
  callerAccount?: string;
  /** Throw on GetCallerIdentity (assume-role failure). */
  callerError?: Error;
  membership?: Membership;
  /** Outcomes of successive LeaveOrganization attempts: an Error is thrown, anything else succeeds. */
  leave?: (Error | { requestId?: string })[];
  /** Set to keep answering "member" after a successful leave (verification fails). */
  stickyMembership?: boolean;
  /** Outcomes of successive AcceptHandshake attempts, as `leave`. */
  accept?: (Error | { requestId?: string })[];
  /** The organization DescribeOrganization names after an accepted handshake (default o-target12345). */
  joins?: string;
}

export interface FakePort extends AwsPort {
  /** `op:account` in call order. */
  calls: string[];
  leaveCalls(accountId?: string): number;
  /** Hook run when LeaveOrganization arrives, before it answers. */
  onLeave?: (accountId: string) => void | Promise<void>;
  close: () => void;
  closed: boolean;
}

const ORG: Membership = {
  status: 'member',
  organizationId: 'o-demo12345ab',
  managementAccountId: '100000000001',
};

/** An AwsPort backed by a table of accounts; unknown accounts are members of the demo org. */
export function fakePort(accounts: Record<string, FakeAccount> = {}): FakePort {
  const calls: string[] = [];
  const left = new Set<string>();
  const joined = new Map<string, string>();
  const attempts = new Map<string, number>();
  const port: FakePort = {
    calls,
    closed: false,
    leaveCalls: (id) =>
      calls.filter((c) => c === `leave:${id ?? ''}` || (id === undefined && c.startsWith('leave:')))
        .length,
    close: () => {
      port.closed = true;
    },
    operatorIdentity: () => {
      calls.push('operator');
      return Promise.resolve({
        arn: 'arn:aws:iam::100000000001:user/operator',
        account: '100000000001',
      });
    },
    member(accountId: string): MemberPort {
      const a = accounts[accountId] ?? {};
      return {
        getCallerIdentity() {
          calls.push(`caller:${accountId}`);
          if (a.callerError !== undefined) return Promise.reject(a.callerError);
          const account = a.callerAccount ?? accountId;
          return Promise.resolve({
            account,
            arn: `arn:aws:sts::${account}:assumed-role/OrganizationAccountAccessRole/leavegate-leave`,
          });
        },
        describeOrganization() {
          calls.push(`describe:${accountId}`);
          if (left.has(accountId) && a.stickyMembership !== true)
            return Promise.resolve({ status: 'not-in-organization' });
          const org = joined.get(accountId);
          if (org !== undefined && a.stickyMembership !== true)
            return Promise.resolve({
              status: 'member',
              organizationId: org,
              managementAccountId: '999999999999',
            });
          return Promise.resolve(a.membership ?? ORG);
        },
        async leaveOrganization() {
          calls.push(`leave:${accountId}`);
          await port.onLeave?.(accountId);
          const n = attempts.get(accountId) ?? 0;
          attempts.set(accountId, n + 1);
          const outcome = a.leave?.[n] ?? { requestId: `req-${accountId}-${n + 1}` };
          if (outcome instanceof Error) throw outcome;
          left.add(accountId);
          return outcome;
        },
        acceptHandshake(handshakeId: string) {
          calls.push(`accept:${accountId}:${handshakeId}`);
          const n = attempts.get(accountId) ?? 0;
          attempts.set(accountId, n + 1);
          const outcome = a.accept?.[n] ?? { requestId: `req-${accountId}-${n + 1}` };
          if (outcome instanceof Error) return Promise.reject(outcome);
          joined.set(accountId, a.joins ?? 'o-target12345');
          return Promise.resolve(outcome);
        },
      };
    },
  };
  return port;
}

/** Real SDK clients (for aws-sdk-client-mock) as the client pool hands them to createAwsPort. */
export function sdkSource(): ClientSource {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' };
  const sts = new STSClient({ region: 'us-east-1', credentials });
  const organizations = new OrganizationsClient({ region: 'us-east-1', credentials });
  return { sts, member: () => ({ credentials, sts, organizations }) };
}

/** An AWS-style error as the SDK raises it. */
export function awsErr(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), {
    name,
    $metadata: { requestId: `rid-${name}`, httpStatusCode: 400 },
    ...extra,
  });
}

export interface FakeIo extends LeaveIo {
  out: string[];
  errs: string[];
  sleeps: number[];
  prompts: string[];
  stdoutText(): string;
  clock: { ms: number };
}

/** An io with a fake clock: sleep advances it instantly. */
export function fakeIo(opts: { isTTY?: boolean; answers?: string[] } = {}): FakeIo {
  const out: string[] = [];
  const errs: string[] = [];
  const sleeps: number[] = [];
  const prompts: string[] = [];
  const answers = [...(opts.answers ?? [])];
  const clock = { ms: Date.parse('2026-11-28T13:00:00Z') };
  return {
    out,
    errs,
    sleeps,
    prompts,
    clock,
    stdout: { write: (t) => void out.push(t) },
    stderr: { write: (t) => void errs.push(t) },
    isTTY: opts.isTTY ?? false,
    prompt: (q) => {
      prompts.push(q);
      return Promise.resolve(answers.shift() ?? '');
    },
    now: () => new Date(clock.ms),
    sleep: (ms) => {
      sleeps.push(ms);
      clock.ms += ms;
      return Promise.resolve();
    },
    stdoutText: () => out.join(''),
  };
}
