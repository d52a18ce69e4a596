/**
 * End to end through the real entry point, in-process (test/harness/in-process.ts): severity and
 * --fail-on decide exit codes, the clock of an irreversible call is the real
 * clock, and report.json says what it decided on (provenance).
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runMain, type Run } from '../harness/in-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DEMO = join(ROOT, 'examples', 'demo');

const leavegate = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> =>
  runMain(args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });

interface ReportJson {
  summary: Record<string, number>;
  failOn?: string;
  warnings?: string[];
  inputs: {
    snapshot: { path: string; sha256: string };
    attestations?: { path: string; sha256: string };
    rulePacks: {
      name: string;
      version: string;
      source: string;
      rules: { id: string; sha256: string }[];
    }[];
    clock: { now: string; source: string };
    commandLine: string[];
  };
  accounts: { accountId: string; verdict: string; rules: { id: string; status: string }[] }[];
}

const readReport = async (dir: string) =>
  JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as ReportJson;
const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

let work: string;
let snapshotFile: string;
let pack: string;

/** A warning rule that fails everywhere (or, reading paidSupportPlan, is unknown when it was not collected). */
function warningRule(id: string, unknown: boolean) {
  return {
    id,
    title: id,
    severity: 'warning',
    description: 'A warning for the severity contract.',
    remediation: 'nothing to do',
    references: [
      'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_introduction.html',
    ],
    facts: [unknown ? 'paidSupportPlan' : 'tags'],
    messages: { pass: `${id} passes`, fail: `${id} fails`, unknown: `${id} unknown` },
    conditions: {
      all: [
        unknown
          ? { fact: 'paidSupportPlan', operator: 'equal', value: true }
          : { fact: 'tags', operator: 'someFact:equal', value: 'never-matches' },
      ],
    },
  };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'leavegate-gate-'));
  // Two accounts of the demo that are ready on the built-in pack.
  const demo = JSON.parse(await readFile(join(DEMO, 'snapshot.json'), 'utf8')) as {
    accounts: { id: string; name: string }[];
    errors: { accountId?: string }[];
    policies: { targets: string[] }[];
    delegatedAdministrators: { accountId: string }[];
  };
  const first = await leavegate([
    'check',
    '--snapshot',
    join(DEMO, 'snapshot.json'),
    '--attestations',
    join(DEMO, 'attestations.json'),
    '--format',
    'json',
    '--out',
    join(work, 'demo'),
  ]);
  expect(first.code).toBe(1);
  const ready = (await readReport(join(work, 'demo'))).accounts
    .filter((a) => a.verdict === 'ready')
    .map((a) => a.accountId)
    .slice(0, 2);
  expect(ready).toHaveLength(2);
  const keep = new Set(ready);
  snapshotFile = join(work, 'ready.json');
  await writeFile(
    snapshotFile,
    JSON.stringify({
      ...demo,
      // Read, nothing found: these tests count the warnings of their own pack only.
      identityCenter: null,
      organizationPolicies: [],
      trustedServices: [],
      accounts: demo.accounts
        .filter((a) => keep.has(a.id))
        .map((a) => ({ ...a, ramShares: [], savingsPlans: [] })),
      errors: demo.errors.filter((e) => e.accountId === undefined || keep.has(e.accountId)),
      policies: demo.policies.map((p) => ({
        ...p,
        targets: p.targets.filter((t) => !/^\d{12}$/.test(t) || keep.has(t)),
      })),
      delegatedAdministrators: demo.delegatedAdministrators.filter((d) => keep.has(d.accountId)),
    }),
  );
  pack = join(work, 'pack');
  await mkdir(pack);
  await writeFile(join(pack, 'owner-tag.json'), JSON.stringify(warningRule('owner-tag', false)));
}, 60_000);

afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

const check = (out: string, ...extra: string[]) =>
  leavegate([
    'check',
    '--snapshot',
    snapshotFile,
    '--attestations',
    join(DEMO, 'attestations.json'),
    '--format',
    'json',
    '--out',
    join(work, out),
    ...extra,
  ]);

describe('severity: warnings are shown and counted, and block only with --fail-on warning', () => {
  it('a failing warning: exit 0, every account ready, summary.warnings counts it', async () => {
    const run = await check('warn', '--rules', pack);
    expect(run.code).toBe(0);
    const report = await readReport(join(work, 'warn'));
    expect(report.accounts.map((a) => a.verdict)).toEqual(['ready', 'ready']);
    expect(report.summary).toMatchObject({ ready: 2, blocked: 0, unknown: 0, warnings: 2 });
    expect(run.stdout).toMatch(/2 warnings/);
    expect(run.stdout).toMatch(/WARNING .*owner-tag \(fail\)/);
  });

  it('--fail-on warning: the same run exits 1 and the accounts are blocked', async () => {
    const run = await check('warn-fail', '--rules', pack, '--fail-on', 'warning');
    expect(run.code).toBe(1);
    const report = await readReport(join(work, 'warn-fail'));
    expect(report.failOn).toBe('warning');
    expect(report.accounts.map((a) => a.verdict)).toEqual(['blocked', 'blocked']);
  });

  it('an unknown warning: exit 0, and 3 with --fail-on warning', async () => {
    const unknownPack = join(work, 'unknown-pack');
    await mkdir(unknownPack, { recursive: true });
    await writeFile(
      join(unknownPack, 'paid-support-seen.json'),
      JSON.stringify(warningRule('paid-support-seen', true)),
    );
    // paidSupportPlan not collected: the warning that reads it is unknown, while the
    // blocker support-plan-chosen still passes on the demo's attestation.
    const snap = JSON.parse(await readFile(snapshotFile, 'utf8')) as {
      accounts: Record<string, unknown>[];
    };
    for (const a of snap.accounts) delete a.paidSupportPlan;
    const file = join(work, 'no-support.json');
    await writeFile(file, JSON.stringify(snap));
    const demoAttestations = JSON.parse(
      await readFile(join(DEMO, 'attestations.json'), 'utf8'),
    ) as { attestations: Record<string, unknown>[] };
    const attestations = join(work, 'support-attested.json');
    await writeFile(
      attestations,
      JSON.stringify({
        schemaVersion: 1,
        attestations: [
          ...demoAttestations.attestations.filter((a) => a.fact !== 'supportPlanChosen'),
          ...snap.accounts.map((a) => ({
            accountId: a.id,
            fact: 'supportPlanChosen',
            value: true,
            attestedBy: 'jane@example.com',
            attestedAt: '2026-11-01T00:00:00Z',
            expiresAt: '2099-01-01T00:00:00Z',
          })),
        ],
      }),
    );
    const base = [
      'check',
      '--snapshot',
      file,
      '--attestations',
      attestations,
      '--format',
      'json',
      '--rules',
      unknownPack,
    ];
    const plain = await leavegate([...base, '--out', join(work, 'u1')]);
    const strict = await leavegate([...base, '--out', join(work, 'u2'), '--fail-on', 'warning']);
    const r = await readReport(join(work, 'u1'));
    expect(
      r.accounts.flatMap((a) =>
        a.rules.filter((x) => x.id === 'paid-support-seen').map((x) => x.status),
      ),
    ).toEqual(['unknown', 'unknown']);
    expect(
      r.accounts.flatMap((a) =>
        a.rules.filter((x) => x.id === 'support-plan-chosen').map((x) => x.status),
      ),
    ).toEqual(['pass', 'pass']);
    expect(r.summary.warnings).toBe(2);
    expect(plain.code).toBe(0);
    expect(strict.code).toBe(3);
  });
});

describe('the clock', () => {
  it('check --now before collectedAt warns on stderr and in the report; the clock source is --now', async () => {
    const run = await check('early', '--now', '2026-01-01T00:00:00Z');
    expect(run.stderr).toMatch(
      /--now 2026-01-01T00:00:00\.000Z is before the snapshot was collected/,
    );
    const report = await readReport(join(work, 'early'));
    expect(report.warnings?.join('\n')).toMatch(/before the snapshot was collected/);
    expect(report.inputs.clock).toEqual({ now: '2026-01-01T00:00:00.000Z', source: '--now' });
  });

  it('without --now the clock is the snapshot time', async () => {
    await check('snap-clock');
    const report = await readReport(join(work, 'snap-clock'));
    const snap = JSON.parse(await readFile(snapshotFile, 'utf8')) as { collectedAt: string };
    expect(report.inputs.clock).toEqual({
      now: new Date(snap.collectedAt).toISOString(),
      source: 'snapshot',
    });
  });

  it('a snapshot older than --max-snapshot-age warns; a generous limit does not', async () => {
    const old = await check('old', '--max-snapshot-age', '1h');
    expect(old.stderr).toMatch(/the snapshot is .* old .*older than --max-snapshot-age 1h/);
    const fine = await check('fine', '--max-snapshot-age', '5000d');
    expect(fine.stderr).not.toMatch(/max-snapshot-age/);
  });

  describe('leave refuses --now before any AWS call', () => {
    let server: Server;
    let requests = 0;
    beforeAll(async () => {
      server = createServer((_req, res) => {
        requests += 1;
        res.writeHead(500).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('exit 2, says why, and nothing reached the endpoint', async () => {
      const { port } = server.address() as AddressInfo;
      const run = await leavegate(
        [
          'leave',
          '--account',
          '300000000002',
          '--now',
          '2026-10-15T00:00:00Z',
          '--yes',
          '--out',
          join(work, 'leave'),
        ],
        {
          AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
          AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_REGION: 'us-east-1',
        },
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--now: leave evaluates on the real clock/);
      expect(requests).toBe(0);
    });
  });
});

describe('provenance in report.json', () => {
  it('names the snapshot, attestations and rule packs with sha256, and the redacted command line', async () => {
    const run = await check(
      'prov',
      '--rules',
      pack,
      '--member-role',
      'OrganizationAccountAccessRole',
    );
    expect(run.code).toBe(0);
    const { inputs } = await readReport(join(work, 'prov'));
    expect(inputs.snapshot).toEqual({ path: snapshotFile, sha256: await sha256(snapshotFile) });
    const attestations = join(DEMO, 'attestations.json');
    expect(inputs.attestations).toEqual({ path: attestations, sha256: await sha256(attestations) });
    expect(inputs.rulePacks.map((p) => p.name)).toEqual([
      'leave-organization',
      'leave-impact',
      'pack',
    ]);
    expect(inputs.rulePacks[2]!.source).toBe(pack);
    expect(inputs.rulePacks[0]!.rules).toHaveLength(12);
    expect(inputs.rulePacks[1]!.rules).toHaveLength(8);
    for (const r of inputs.rulePacks.flatMap((p) => p.rules))
      expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(inputs.commandLine.slice(0, 3)).toEqual(['check', '--snapshot', snapshotFile]);
  });

  it('a rule that changes changes its digest', async () => {
    const other = join(work, 'pack2');
    await mkdir(other, { recursive: true });
    await writeFile(
      join(other, 'owner-tag.json'),
      JSON.stringify({ ...warningRule('owner-tag', false), title: 'changed' }),
    );
    await check('prov2', '--rules', other);
    const a = (await readReport(join(work, 'prov'))).inputs.rulePacks[2]!.rules[0]!.sha256;
    const b = (await readReport(join(work, 'prov2'))).inputs.rulePacks[2]!.rules[0]!.sha256;
    expect(a).not.toBe(b);
  });
});
