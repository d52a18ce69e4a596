/**
 * Live collection benchmark: a synthetic organization in a private moto
 * (200 accounts, 20 OUs, 6 SCPs; 1,000 accounts with BENCH_LARGE=1, N with
 * BENCH_ACCOUNTS=N for a quick check of the call budget), collected
 * by the built `leavegate check --all` (a child process) through the loopback
 * proxy with 30 ms added to every call (BENCH_LATENCY_MS=N to change it).
 * Prints the Organizations calls against the bound, the management-
 * and member-side calls per account, the wall time at the default call limits
 * and one call at a time (`--concurrency 1 --member-concurrency 1`), the
 * speed-up, and what 10,000 accounts would take at 100 ms per call.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANAGEMENT_CONCURRENCY, MEMBER_CONCURRENCY } from '../src/collect/call-limits.js';
import type { Snapshot } from '../src/snapshot/types.js';
import { missingOperationHandlers } from '../test/harness/aws-fakes.js';
import {
  IMPACT_SHARED,
  impactBudget,
  managementSide,
  memberBudget,
} from '../test/harness/call-budget.js';
import { startAwsProxy } from '../test/harness/aws-proxy.js';
import { seedOrganization, syntheticOrgSpec } from '../test/harness/moto-seed.js';
import { startMotoServer } from '../test/harness/moto-server.js';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? '') || 30;
// The projection: an organization of this size at this latency per call.
const PROJECTED_ACCOUNTS = 10_000;
const PROJECTED_LATENCY_MS = 100;

function sum(calls: Record<string, number>, pred: (key: string) => boolean): number {
  return Object.entries(calls)
    .filter(([k]) => pred(k))
    .reduce((s, [, v]) => s + v, 0);
}

/** How long the CLI's collection itself took (the rest of a run is start, evaluation and reports). */
const seconds = (s: Snapshot): string => ((s.collector?.durationMs ?? NaN) / 1000).toFixed(2);

/** The bench's AWS settings over this process's environment, without a profile that could point elsewhere. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete out.AWS_PROFILE;
  return out;
}

/** Runs the built `leavegate check` with the given AWS environment; returns its snapshot and wall time. */
async function checkCli(
  env: Record<string, string>,
  args: string[],
): Promise<{ snapshot: Snapshot; ms: number }> {
  const out = mkdtempSync(join(tmpdir(), 'leavegate-bench-check-'));
  const bin = fileURLToPath(new URL('../../bin/leavegate.js', import.meta.url));
  const start = performance.now();
  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      [bin, 'check', ...args, '--quiet', '--format', 'json', '--out', out],
      { env: childEnv(env), stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.on('close', (c) => resolve(c ?? -1));
  });
  const ms = performance.now() - start;
  if (code === 2 || code < 0) throw new Error(`leavegate check exited ${code}`);
  const snapshot = JSON.parse(readFileSync(join(out, 'snapshot.json'), 'utf8')) as Snapshot;
  rmSync(out, { recursive: true, force: true });
  return { snapshot, ms };
}

/** Prints the call counts against the budget, per account and projected; answers the total. */
function reportCalls(snapshot: Snapshot): number {
  const calls = snapshot.collector!.apiCalls!;
  const policies = snapshot.policies ?? [];
  const p = policies.length;
  const a = policies.reduce((n, pol) => n + pol.targets.length, 0);
  const ous = snapshot.organizationalUnits?.length ?? 0;
  const accounts = snapshot.accounts.length;
  const orgCalls = sum(calls, (key) => key.startsWith('organizations:'));
  const impact = impactBudget(snapshot);
  const bound =
    1.1 *
    (7 +
      2 * ous +
      Math.ceil(accounts / 20) +
      2 * p +
      Math.ceil(a / 20) +
      accounts +
      impact.organizations);
  const impactCalls = sum(calls, (key) => IMPACT_SHARED.test(key));
  const isManagement = managementSide(snapshot);
  const management = sum(calls, isManagement);
  const member = sum(calls, (key) => !isManagement(key));
  console.log(
    `accounts ${accounts}, OUs ${ous}, SCPs ${p} (incl. FullAWSAccess), attachments ${a}, errors ${snapshot.errors.length}`,
  );
  console.log(
    `organizations calls: ${orgCalls} vs bound ${Math.floor(bound)} = 1.1 x (7 + 2K + ceil(N/20) + 2P + ceil(A/20) + N) -> ${orgCalls <= bound ? 'OK' : 'OVER'}`,
  );
  console.log(
    `impact shared calls (cloudformation, sso-admin, service-catalog, iam:ListOrganizationsFeatures): ${impactCalls} vs bound ${Math.floor(1.1 * impact.shared)} = 1.1 x (1 + 2S + 2 + 2PS + X + [1 + E] + 1) -> ${impactCalls <= 1.1 * impact.shared ? 'OK' : 'OVER'}`,
  );
  const memberBound = 1.1 * memberBudget(snapshot);
  console.log(
    `member-side calls: ${member} vs bound ${Math.floor(memberBound)} = 1.1 x (1 + M x (AssumeRole + principal + 2 RAM + Savings Plans + Support [+ contact] [+ 2 root]) + own shares + 2 x AWS managed policies) -> ${member <= memberBound ? 'OK' : 'OVER'}`,
  );
  const perManagement = management / accounts;
  const perMember = member / accounts;
  console.log(
    `calls per account: ${perManagement.toFixed(2)} management-side (organizations, account, shared impact reads) + ${perMember.toFixed(2)} member-side (sts, iam, ram, savingsplans, support) = ${((management + member) / accounts).toFixed(2)}`,
  );
  console.log(`calls by operation: ${JSON.stringify(calls)}`);
  // The pools run side by side, so the sum is the pessimistic end (the larger term alone the optimistic one).
  const m = (perManagement * PROJECTED_ACCOUNTS) / MANAGEMENT_CONCURRENCY;
  const u = (perMember * PROJECTED_ACCOUNTS) / MEMBER_CONCURRENCY;
  const minutes = (rounds: number) => ((rounds * PROJECTED_LATENCY_MS) / 60_000).toFixed(1);
  console.log(
    `projection, ${PROJECTED_ACCOUNTS.toLocaleString('en-US')} accounts at ${PROJECTED_LATENCY_MS} ms per call: (${perManagement.toFixed(2)} x ${PROJECTED_ACCOUNTS} / ${MANAGEMENT_CONCURRENCY} management + ${perMember.toFixed(2)} x ${PROJECTED_ACCOUNTS} / ${MEMBER_CONCURRENCY} member) rounds x ${PROJECTED_LATENCY_MS} ms = ${minutes(m + u)} min (at least ${minutes(Math.max(m, u))} min, the pools overlapping)`,
  );
  return management + member;
}

/** Runs the benchmark and prints its figures (called by bench/run.ts). */
export async function runCollectBench(): Promise<void> {
  const large = process.env.BENCH_LARGE === '1';
  const n = Number(process.env.BENCH_ACCOUNTS ?? '') || (large ? 1000 : 200);
  const k = Math.min(20, n);
  const customScps = 6;
  console.log(
    `\n== live collection: ${n} accounts, ${k} OUs, ${customScps} SCPs in moto, +${LATENCY_MS} ms per call`,
  );
  let moto;
  try {
    moto = await startMotoServer();
  } catch (err) {
    console.log(`skipped: ${String(err)}`);
    return;
  }
  try {
    const t0 = performance.now();
    const org = await seedOrganization(moto.url, syntheticOrgSpec(n, k, customScps));
    console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const proxy = await startAwsProxy({
      target: moto.url,
      latencyMs: LATENCY_MS,
      handlers: missingOperationHandlers(() => undefined, org.managementAccountId),
      accounts: { [org.credentials.accessKeyId]: org.managementAccountId },
    });
    try {
      const env = {
        AWS_ENDPOINT_URL: proxy.url,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: org.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: org.credentials.secretAccessKey,
        AWS_SESSION_TOKEN: org.credentials.sessionToken ?? '',
      };
      // The run measured is the CLI's own `check --all` (collect + evaluate + reports),
      // as a user runs it, in a child process talking to the proxy over loopback:
      // at the default call limits, and one call at a time.
      const SERIAL = ['--concurrency', '1', '--member-concurrency', '1'];
      const run = (limits: string[], accountsArg: string[] = ['--all']) =>
        checkCli(env, [...accountsArg, ...limits]);

      // moto loads a service's backend on its first call (seconds for CloudFormation,
      // SSO Admin, RAM): one account first, so neither measured run pays for that.
      await run([], ['--account', org.accounts['acct-0'] ?? org.managementAccountId]);
      const parallel = await run([]);
      const total = reportCalls(parallel.snapshot);
      console.log(
        `defaults (${MANAGEMENT_CONCURRENCY} management, ${MEMBER_CONCURRENCY} member calls in flight): ${(parallel.ms / 1000).toFixed(2)} s wall for ${total} calls (collection ${seconds(parallel.snapshot)} s of it)`,
      );

      let sequentialMs: number;
      let how: string;
      if (large) {
        // A full one-at-a-time run of 1,000 accounts takes minutes: time the
        // calls of 50 accounts made one at a time and scale by the call count.
        const ids = parallel.snapshot.accounts.slice(0, 50).map((x) => x.id);
        const one = await run(
          SERIAL,
          ids.flatMap((id) => ['--account', id]),
        );
        const sample = { ms: one.ms, calls: sum(one.snapshot.collector!.apiCalls!, () => true) };
        sequentialMs = (sample.ms / sample.calls) * total;
        how = `estimated from ${sample.calls} sequential calls (${(sample.ms / sample.calls).toFixed(1)} ms/call)`;
      } else {
        const sequential = await run(SERIAL);
        sequentialMs = sequential.ms;
        how = `measured, ${sum(sequential.snapshot.collector!.apiCalls!, () => true)} calls, collection ${seconds(sequential.snapshot)} s`;
      }
      const speedup = sequentialMs / parallel.ms;
      console.log(
        `one call at a time (${SERIAL.join(' ')}): ${(sequentialMs / 1000).toFixed(2)} s (${how})`,
      );
      console.log(`speed-up: ${speedup.toFixed(1)}x (target >= 10x)`);
    } finally {
      await proxy.close();
    }
  } finally {
    await moto.stop();
  }
}

// `node dist/bench/collect.js` runs it alone.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await runCollectBench();
}
