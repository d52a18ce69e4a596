/**
 * Policy evaluator throughput vs @cloud-copilot/iam-simulate (the AGPL oracle,
 * allowed here as a devDependency only) on one 4-level chain with 7 SCPs,
 * conditions included. Both evaluate the same request with the same concrete
 * context. "Cold" re-validates and re-compiles every document on every call, as
 * iam-simulate does; "warm" reuses compiled documents, as an org-wide run does.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { setCompileCache } from '../src/policy/document.js';
import {
  evaluateScpChain,
  type PolicyInput,
  type ScpEvaluationInput,
} from '../src/policy/index.js';

const doc = (statements: unknown[]): PolicyInput['document'] =>
  ({ Version: '2012-10-17', Statement: statements }) as PolicyInput['document'];

const FULL: PolicyInput = {
  id: 'p-FullAWSAccess',
  name: 'FullAWSAccess',
  document: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
};
const DENY_LEAVE: PolicyInput = {
  id: 'p-denyleave',
  name: 'DenyLeaveExceptBreakGlass',
  document: doc([
    {
      Sid: 'DenyLeave',
      Effect: 'Deny',
      Action: ['organizations:LeaveOrganization', 'account:CloseAccount'],
      Resource: '*',
      Condition: {
        ArnNotLike: {
          'aws:PrincipalArn': ['arn:aws:iam::*:role/BreakGlass', 'arn:aws:iam::*:role/admin/*'],
        },
      },
    },
  ]),
};
const REGION_GUARD: PolicyInput = {
  id: 'p-region',
  name: 'RegionGuard',
  document: doc([
    {
      Sid: 'DenyOutsideRegions',
      Effect: 'Deny',
      NotAction: [
        'iam:*',
        'organizations:*',
        'sts:*',
        'support:*',
        'account:*',
        'cloudfront:*',
        'route53:*',
      ],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } },
    },
    {
      Sid: 'RequireMfaForOrgChanges',
      Effect: 'Deny',
      Action: ['organizations:Leave*', 'organizations:Delete*'],
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
  ]),
};
const ALLOW_LIST: PolicyInput = {
  id: 'p-allowlist',
  name: 'WorkloadAllowList',
  document: doc([
    {
      Sid: 'Compute',
      Effect: 'Allow',
      Action: ['ec2:*', 'lambda:*', 's3:*', 'dynamodb:*'],
      Resource: '*',
    },
    {
      Sid: 'OrgFromPlatform',
      Effect: 'Allow',
      Action: ['organizations:Describe*', 'organizations:List*', 'organizations:LeaveOrganization'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' },
        'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-abc123/r-ab12/ou-ab12-11111111/*' },
      },
    },
  ]),
};
const TAG_GUARD: PolicyInput = {
  id: 'p-tags',
  name: 'TagGuard',
  document: doc([
    {
      Sid: 'OnlyTaggedTeams',
      Effect: 'Deny',
      Action: 'organizations:*',
      Resource: '*',
      Condition: { StringNotEqualsIfExists: { 'aws:PrincipalTag/team': ['platform', 'security'] } },
    },
    {
      Sid: 'NotFromOutside',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: {
        NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.0/24', '2001:db8::/32'] },
        Bool: { 'aws:ViaAWSService': 'false' },
      },
    },
  ]),
};
const ACCOUNT_GUARD: PolicyInput = {
  id: 'p-account',
  name: 'FullAWSAccessWithSecurityGuards',
  document: doc([
    { Sid: 'AllowAll', Effect: 'Allow', Action: '*', Resource: '*' },
    {
      Effect: 'Deny',
      Action: ['guardduty:*', 'securityhub:*', 'config:Delete*', 'cloudtrail:StopLogging'],
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/SecurityAudit' } },
    },
    {
      Effect: 'Deny',
      Action: 'organizations:LeaveOrganization',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } },
    },
  ]),
};

/** 4 levels, 7 SCPs: FullAWSAccess ×2, an allow-list, and four policies with guardrail conditions. */
export const BENCH_INPUT: ScpEvaluationInput = {
  levels: [
    { kind: 'root', id: 'r-ab12', name: 'Root', policies: [FULL, DENY_LEAVE] },
    { kind: 'ou', id: 'ou-ab12-11111111', name: 'Workloads', policies: [FULL, REGION_GUARD] },
    { kind: 'ou', id: 'ou-ab12-22222222', name: 'Payments', policies: [ALLOW_LIST, TAG_GUARD] },
    { kind: 'account', id: '222222222222', name: 'payments-prod', policies: [ACCOUNT_GUARD] },
  ],
  principal: {
    arn: 'arn:aws:iam::222222222222:role/BreakGlass',
    accountId: '222222222222',
    orgId: 'o-abc123',
    tags: { team: 'platform' },
  },
  isManagementAccount: false,
  scpEnabled: true,
  requestContext: {
    'aws:MultiFactorAuthPresent': 'true',
    'aws:SourceIp': '203.0.113.10',
    'aws:CurrentTime': '2026-11-28T12:00:00Z',
  },
};

function simulation(): Simulation {
  const p = BENCH_INPUT.principal;
  return {
    request: {
      principal: p.arn,
      action: 'organizations:LeaveOrganization',
      resource: { resource: '*', accountId: p.accountId },
      contextVariables: {
        'aws:PrincipalArn': p.arn,
        'aws:PrincipalAccount': p.accountId,
        'aws:PrincipalOrgID': 'o-abc123',
        'aws:PrincipalOrgPaths': ['o-abc123/r-ab12/ou-ab12-11111111/ou-ab12-22222222/'],
        'aws:PrincipalType': 'AssumedRole',
        'aws:PrincipalTag/team': 'platform',
        'aws:RequestedRegion': 'us-east-1',
        'aws:ViaAWSService': 'false',
        'aws:MultiFactorAuthPresent': 'true',
        'aws:SourceIp': '203.0.113.10',
        'aws:CurrentTime': '2026-11-28T12:00:00Z',
      },
    },
    identityPolicies: [{ name: 'AllowAll', policy: FULL.document }],
    serviceControlPolicies: BENCH_INPUT.levels.map((l) => ({
      orgIdentifier: l.id,
      policies: l.policies.map((x) => ({ name: x.id, policy: x.document })),
    })),
    resourceControlPolicies: [],
  };
}

/** Runs `run` for about `ms` milliseconds; returns [evaluations, elapsed ms]. */
async function timeFor(run: () => unknown, ms: number): Promise<[number, number]> {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 20; i++) await run();
    n += 20;
    t = performance.now();
  }
  return [n, t - t0];
}

function line(label: string, n: number, elapsedMs: number): number {
  const perSecond = n / (elapsedMs / 1000);
  console.log(
    `${label.padEnd(24)} ${Math.round(perSecond).toLocaleString('en-US').padStart(10)} evaluations/s  (${((1000 * elapsedMs) / n).toFixed(1)} µs each)`,
  );
  return perSecond;
}

/** Prints evaluations/second for ours and for iam-simulate on the same chain, and the ratio. */
export async function runPolicyBench(): Promise<void> {
  const ours = evaluateScpChain(BENCH_INPUT);
  const sim = simulation();
  const theirs = await runSimulation(sim, {});
  const theirDecision = theirs.resultType === 'error' ? 'error' : theirs.overallResult;
  console.log(
    `chain: 4 levels, 7 SCPs (conditions: ArnNotLike, StringNotEquals, BoolIfExists, StringEquals, ForAnyValue:StringLike, StringNotEqualsIfExists, NotIpAddress, Bool, DateLessThan)`,
  );
  console.log(`decision: ours ${ours.decision}, iam-simulate ${theirDecision}`);
  const ms = Number(process.env.BENCH_POLICY_MS ?? 3000);
  // Cold: every call validates and compiles every document again, as iam-simulate does.
  // Warm: compiled documents are reused, as in an org-wide run where thousands of
  // accounts share a few SCP objects. The three are interleaved in short rounds so
  // that load from other processes hits all of them alike.
  const runners: Array<[string, () => unknown]> = [
    [
      'leavegate (cold)',
      () => {
        setCompileCache(false);
        const v = evaluateScpChain(BENCH_INPUT);
        setCompileCache(true);
        return v;
      },
    ],
    ['leavegate (warm)', () => evaluateScpChain(BENCH_INPUT)],
    ['iam-simulate 0.1.173', () => runSimulation(sim, {})],
  ];
  for (const [, run] of runners) await timeFor(run, 200); // JIT warm-up
  const totals = runners.map(() => [0, 0]);
  const rounds = 10;
  for (let r = 0; r < rounds; r++) {
    for (const [i, [, run]] of runners.entries()) {
      const [n, elapsed] = await timeFor(run, ms / rounds / runners.length);
      totals[i]![0]! += n;
      totals[i]![1]! += elapsed;
    }
  }
  const [cold, warm, theirsPerSecond] = runners.map(([label], i) =>
    line(label, totals[i]![0]!, totals[i]![1]!),
  ) as [number, number, number];
  console.log(
    `ratio: ${(cold / theirsPerSecond).toFixed(1)}x iam-simulate cold, ${(warm / theirsPerSecond).toFixed(1)}x warm (target >= 4x)`,
  );
}
