/**
 * End to end through the real entry point, in-process (test/harness/in-process.ts):
 * `main(argv, io)` on fixtures, asserting exit codes, report contents, and
 * that bad input leaves an existing report untouched. The built binary
 * itself is exercised by test/cli/smoke.test.ts and process-boundary.test.ts.
 */
import { mkdtemp, readFile, writeFile, mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, beforeAll } from '@jest/globals';
import { runMain, type Run } from '../harness/in-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DEMO = join(ROOT, 'examples', 'demo');
const BAD = join(ROOT, 'test', 'fixtures', 'bad');

const leavegate = (args: string[], cwd: string = ROOT): Promise<Run> =>
  runMain(args, { cwd, env: { ...process.env, NO_COLOR: '1' } });

let work: string;
let demoSnapshot: { accounts: { id: string }[]; [k: string]: unknown };

async function readReport(dir: string) {
  return JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as {
    summary: Record<string, number>;
    accounts: {
      accountId: string;
      verdict: string;
      rules: { id: string; status: string; message: string; severity: string; pack?: string }[];
    }[];
    warnings?: string[];
  };
}

/** The demo snapshot reduced to the given accounts (their OUs and policies stay valid). */
async function demoWith(ids: string[], name: string): Promise<string> {
  const file = join(work, `${name}.json`);
  const keep = new Set(ids);
  await writeFile(
    file,
    JSON.stringify({
      ...demoSnapshot,
      accounts: demoSnapshot.accounts.filter((a) => keep.has(a.id)),
      errors: (demoSnapshot.errors as { accountId?: string }[]).filter(
        (e) => e.accountId === undefined || keep.has(e.accountId),
      ),
      policies: (demoSnapshot.policies as { targets: string[] }[]).map((p) => ({
        ...p,
        targets: p.targets.filter((t) => !/^\d{12}$/.test(t) || keep.has(t)),
      })),
      delegatedAdministrators: (
        demoSnapshot.delegatedAdministrators as { accountId: string }[]
      ).filter((d) => keep.has(d.accountId)),
    }),
  );
  return file;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'leavegate-cli-'));
  demoSnapshot = JSON.parse(await readFile(join(DEMO, 'snapshot.json'), 'utf8'));
});

describe('leavegate demo', () => {
  it('evaluates the bundled organization and writes every report', async () => {
    const out = join(work, 'demo');
    const run = await leavegate(['demo', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\d+ accounts: \d+ ready, \d+ blocked, \d+ unknown/);
    const report = await readReport(out);
    expect(report.summary.ready).toBeGreaterThan(0);
    expect(report.summary.blocked).toBeGreaterThan(0);
    expect(report.summary.unknown).toBeGreaterThan(0);
    for (const f of ['report.html', 'report.junit.xml', 'report.sarif', 'report.md'])
      await stat(join(out, f));
    const mgmt = report.accounts.find((a) =>
      a.rules.some((r) => r.id === 'member-account' && r.status === 'fail'),
    );
    expect(mgmt?.verdict).toBe('blocked');
  });
});

describe('leavegate check --snapshot', () => {
  it('exit 1 when some account is blocked, with the blocked accounts on stdout', async () => {
    const out = join(work, 'check-demo');
    const run = await leavegate([
      'check',
      '--snapshot',
      join(DEMO, 'snapshot.json'),
      '--attestations',
      join(DEMO, 'attestations.json'),
      '--out',
      out,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('BLOCKED');
    const report = await readReport(out);
    expect(report.accounts.length).toBe(demoSnapshot.accounts.length);
    // The 12 rules of leave-organization and the 8 of leave-impact.
    for (const a of report.accounts) expect(a.rules.length).toBe(20);
  });

  it('exit 0 when every account is ready, 3 when none is blocked but some is unknown', async () => {
    const demo = await readReport(join(work, 'check-demo'));
    const ready = demo.accounts.filter((a) => a.verdict === 'ready').map((a) => a.accountId);
    const unknown = demo.accounts.filter((a) => a.verdict === 'unknown').map((a) => a.accountId);
    expect(ready.length).toBeGreaterThan(0);
    expect(unknown.length).toBeGreaterThan(0);
    const att = join(DEMO, 'attestations.json');
    const r0 = await leavegate([
      'check',
      '--snapshot',
      await demoWith(ready, 'ready'),
      '--attestations',
      att,
      '--out',
      join(work, 'r0'),
    ]);
    expect(r0.stderr).not.toContain('error');
    expect(r0.code).toBe(0);
    const r3 = await leavegate([
      'check',
      '--snapshot',
      await demoWith([...ready, ...unknown], 'unknown'),
      '--attestations',
      att,
      '--out',
      join(work, 'r3'),
    ]);
    expect(r3.code).toBe(3);
    // Without attestations nothing is attested: unknown, never ready.
    const rNone = await leavegate([
      'check',
      '--snapshot',
      await demoWith(ready, 'ready2'),
      '--out',
      join(work, 'rn'),
    ]);
    expect(rNone.code).toBe(3);
  });

  it('a snapshot with no accounts is exit 3, never "all ready"', async () => {
    const run = await leavegate([
      'check',
      '--snapshot',
      await demoWith([], 'empty'),
      '--out',
      join(work, 'empty'),
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('no accounts'); // run warnings go to stderr
  });

  it('an account list that could not be read in full is exit 3 even when every listed account is ready', async () => {
    const demo = await readReport(join(work, 'check-demo'));
    const ready = demo.accounts.filter((a) => a.verdict === 'ready').map((a) => a.accountId);
    const file = await demoWith(ready, 'partial');
    const partial = JSON.parse(await readFile(file, 'utf8'));
    partial.collector = { tool: 'leavegate', scope: 'all', accountsComplete: false };
    partial.errors.push({
      source: 'organizations:ListAccounts',
      code: 'AccessDeniedException',
      message: 'denied',
    });
    await writeFile(file, JSON.stringify(partial));
    const out = join(work, 'partial');
    const run = await leavegate([
      'check',
      '--snapshot',
      file,
      '--attestations',
      join(DEMO, 'attestations.json'),
      '--out',
      out,
    ]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('INCOMPLETE');
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.summary.ready).toBe(ready.length);
    expect(report.incomplete[0]).toContain('account list');
  });

  it('--now moves the evaluation time (waiting period)', async () => {
    const demo = await readReport(join(work, 'check-demo'));
    const waiting = demo.accounts.find((a) =>
      a.rules.some((r) => r.id === 'waiting-period-elapsed' && r.status === 'fail'),
    );
    expect(waiting).toBeDefined();
    const file = await demoWith([waiting!.accountId], 'waiting');
    const later = join(work, 'later');
    await leavegate([
      'check',
      '--snapshot',
      file,
      '--attestations',
      join(DEMO, 'attestations.json'),
      '--now',
      '2027-01-15T00:00:00Z',
      '--out',
      later,
    ]);
    const report = await readReport(later);
    expect(report.accounts[0]!.rules.find((r) => r.id === 'waiting-period-elapsed')!.status).toBe(
      'pass',
    );
  });

  it('applies waivers to non-built-in rules only and writes the other formats', async () => {
    const pack = join(work, 'pack');
    await mkdir(pack, { recursive: true });
    await writeFile(
      join(pack, 'owner-tag-present.json'),
      JSON.stringify({
        id: 'owner-tag-present',
        title: 'Owner tag present',
        severity: 'warning',
        description: 'Every leaving account names an owner in its tags.',
        remediation:
          'aws organizations tag-resource --resource-id <id> --tags Key=Owner,Value=<email>',
        references: [
          'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_tagging.html',
        ],
        facts: ['tags'],
        conditions: { all: [{ fact: 'tags', operator: 'someFact:equal', value: 'never-matches' }] },
        messages: { pass: 'owner tag present', fail: 'no Owner tag among {{tags|count}} tags' },
      }),
    );
    const demo = await readReport(join(work, 'check-demo'));
    const ready = demo.accounts.filter((a) => a.verdict === 'ready').map((a) => a.accountId);
    const waivers = join(work, 'waivers.json');
    await writeFile(
      waivers,
      JSON.stringify({
        schemaVersion: 1,
        waivers: [
          {
            rule: 'owner-tag-present',
            accounts: [ready[0]],
            reason: 'legacy sandbox',
            owner: 'cloud@example.com',
            expiresAt: '2099-01-01T00:00:00Z',
          },
          {
            rule: 'member-account',
            accounts: [ready[0]],
            reason: 'nope',
            owner: 'x@example.com',
            expiresAt: '2099-01-01T00:00:00Z',
          },
        ],
      }),
    );
    const out = join(work, 'waived');
    const run = await leavegate([
      'check',
      '--snapshot',
      await demoWith(ready.slice(0, 2), 'two'),
      '--attestations',
      join(DEMO, 'attestations.json'),
      '--rules',
      pack,
      '--waivers',
      waivers,
      '--format',
      'json,md,sarif,junit',
      '--out',
      out,
    ]);
    // owner-tag-present is a warning: its failure on the second account (no waiver) is
    // shown and counted but does not block (DESIGN §4.4).
    expect(run.code).toBe(0);
    const report = await readReport(out);
    const statuses = report.accounts.map(
      (a) => a.rules.find((r) => r.id === 'owner-tag-present')!.status,
    );
    expect(statuses).toEqual(['waived', 'fail']);
    expect(report.accounts.map((a) => a.verdict)).toEqual(['ready', 'ready']);
    // Plus the demo's own impact warnings (leave-impact), which do not block either.
    const impact = report.accounts
      .flatMap((a) => a.rules)
      .filter((r) => r.pack === 'leave-impact' && r.severity === 'warning' && r.status !== 'pass');
    expect(impact.length).toBeGreaterThan(0);
    expect(report.summary.warnings).toBe(1 + impact.length);
    expect(report.warnings?.join(' ')).toContain('cannot be waived');
    for (const f of ['report.md', 'report.sarif', 'report.junit.xml']) await stat(join(out, f));
    await expect(stat(join(out, 'report.html'))).rejects.toThrow();
  });
});

describe('bad input: exit 2, names the file and JSON path, leaves the existing report untouched', () => {
  const cases: [string, string[], RegExp][] = [
    ['not JSON', ['--snapshot', join(BAD, 'snapshot-not-json.txt')], /snapshot-not-json\.txt/],
    [
      'truncated JSON',
      ['--snapshot', join(BAD, 'snapshot-truncated.json.part')],
      /snapshot-truncated\.json\.part/,
    ],
    [
      'wrong type',
      ['--snapshot', join(BAD, 'snapshot-wrong-type.json')],
      /snapshot-wrong-type\.json: \/accounts/,
    ],
    [
      'unknown schemaVersion',
      ['--snapshot', join(BAD, 'snapshot-schema-version-2.json')],
      /schemaVersion/,
    ],
    [
      'duplicate account ids',
      ['--snapshot', join(BAD, 'snapshot-duplicate-account.json')],
      /\/accounts\/\d+\/id: duplicate/,
    ],
    [
      'dangling parentId',
      ['--snapshot', join(BAD, 'snapshot-dangling-parent.json')],
      /\/accounts\/\d+\/parentId/,
    ],
    [
      'dangling policy target',
      ['--snapshot', join(BAD, 'snapshot-dangling-target.json')],
      /\/policies\/\d+\/targets\/\d+/,
    ],
    [
      'unparseable date',
      ['--snapshot', join(BAD, 'snapshot-bad-date.json')],
      /snapshot-bad-date\.json: \//,
    ],
    ['unreadable file', ['--snapshot', join(BAD, 'does-not-exist.json')], /does-not-exist\.json/],
    [
      'bad attestation date',
      [
        '--snapshot',
        join(DEMO, 'snapshot.json'),
        '--attestations',
        join(BAD, 'attestations-bad-date.json'),
      ],
      /attestations-bad-date\.json: \/attestations\/0/,
    ],
    [
      'bad waivers',
      [
        '--snapshot',
        join(DEMO, 'snapshot.json'),
        '--waivers',
        join(BAD, 'waivers-missing-owner.json'),
      ],
      /waivers-missing-owner\.json: \/waivers\/0/,
    ],
    ['bad --now', ['--snapshot', join(DEMO, 'snapshot.json'), '--now', 'yesterday'], /--now/],
    [
      '--now on a day that does not exist',
      ['--snapshot', join(DEMO, 'snapshot.json'), '--now', '2026-02-30T00:00:00Z'],
      /--now: "2026-02-30T00:00:00Z" is not an ISO 8601 date-time with a zone/,
    ],
    [
      '--now at hour 24',
      ['--snapshot', join(DEMO, 'snapshot.json'), '--now', '2026-11-28T24:00:00Z'],
      /--now: .*not an ISO 8601/,
    ],
    [
      '--now without a zone',
      ['--snapshot', join(DEMO, 'snapshot.json'), '--now', '2026-11-28T12:00:00'],
      /--now: .*with a zone/,
    ],
    [
      '--now date only',
      ['--snapshot', join(DEMO, 'snapshot.json'), '--now', '2026-11-28'],
      /--now: .*with a zone/,
    ],
    [
      'bad --max-snapshot-age',
      ['--snapshot', join(DEMO, 'snapshot.json'), '--max-snapshot-age', 'a day'],
      /--max-snapshot-age: "a day" is not a duration/,
    ],
    [
      'bad --fail-on',
      ['--snapshot', join(DEMO, 'snapshot.json'), '--fail-on', 'everything'],
      /fail-on/,
    ],
    ['bad --format', ['--snapshot', join(DEMO, 'snapshot.json'), '--format', 'pdf'], /--format/],
    [
      'session ARN as --principal (hides the role path)',
      [
        '--snapshot',
        join(DEMO, 'snapshot.json'),
        '--principal',
        'arn:aws:sts::300000000005:assumed-role/BreakGlass/jane',
      ],
      /--principal: .*not an IAM role or user ARN/,
    ],
  ];

  it.each(cases)('%s', async (_name, args, message) => {
    const out = join(work, `bad-${_name.replace(/\W+/g, '-')}`);
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'report.json'), '{"sentinel":true}');
    const run = await leavegate(['check', ...args, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(await readFile(join(out, 'report.json'), 'utf8')).toBe('{"sentinel":true}');
  });

  it('a rule file with an unknown operator or fact', async () => {
    const pack = join(work, 'bad-pack');
    await mkdir(pack, { recursive: true });
    const base = {
      title: 'Bad rule',
      severity: 'blocker',
      description: 'A rule that names things nobody provides.',
      remediation: 'Fix the rule file please.',
      references: [
        'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_introduction.html',
      ],
      messages: { pass: 'ok', fail: 'no' },
    };
    await writeFile(
      join(pack, 'bad-operator.json'),
      JSON.stringify({
        ...base,
        id: 'bad-operator',
        facts: ['tags'],
        conditions: { all: [{ fact: 'tags', operator: 'hasTagKey', value: 'x' }] },
      }),
    );
    await writeFile(
      join(pack, 'bad-fact.json'),
      JSON.stringify({
        ...base,
        id: 'bad-fact',
        facts: ['ownerEmail'],
        conditions: { all: [{ fact: 'ownerEmail', operator: 'equal', value: 'x' }] },
      }),
    );
    const run = await leavegate(['rules', 'validate', '--rules', pack]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /bad-operator\.json: \/conditions\/all\/0\/operator: unknown operator "hasTagKey"/,
    );
    expect(run.stderr).toMatch(/bad-fact\.json: \/facts\/0: unknown fact "ownerEmail"/);
    const check = await leavegate([
      'check',
      '--snapshot',
      join(DEMO, 'snapshot.json'),
      '--rules',
      pack,
      '--out',
      join(work, 'bp'),
    ]);
    expect(check.code).toBe(2);
  });
});

describe('plugins', () => {
  it('a plugin provides an operator, a fact and a rule; without it the rule pack does not load', async () => {
    const plugin = join(work, 'acme.mjs');
    await writeFile(
      plugin,
      `export default {
  name: 'acme-offboarding', version: '1.2.0',
  operators: { hasTagKey: (tags, key) => Array.isArray(tags) && tags.some((t) => t.key === key) },
  facts: { ownerEmail: (account) => account.tags?.find((t) => t.key === 'Owner')?.value ?? null },
  rules: [{
    id: 'owner-known', title: 'Owner known', severity: 'warning',
    description: 'The account names an owner before it leaves.',
    remediation: 'Tag the account with Owner=<email>.',
    references: ['https://docs.aws.amazon.com/organizations/latest/userguide/orgs_tagging.html'],
    facts: ['tags', 'ownerEmail'],
    conditions: { all: [{ fact: 'tags', operator: 'hasTagKey', value: 'Owner' }, { fact: 'ownerEmail', operator: 'notEqual', value: null }] },
    messages: { pass: 'owner {{ownerEmail}}', fail: 'no Owner tag' }
  }]
};\n`,
    );
    const list = await leavegate(['rules', 'list', '--plugin', plugin]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('owner-known');
    const out = join(work, 'plugin');
    await leavegate([
      'check',
      '--snapshot',
      join(DEMO, 'snapshot.json'),
      '--attestations',
      join(DEMO, 'attestations.json'),
      '--plugin',
      plugin,
      '--out',
      out,
    ]);
    const report = await readReport(out);
    const results = report.accounts.map((a) => a.rules.find((r) => r.id === 'owner-known')!);
    expect(results.every((r) => r !== undefined)).toBe(true);
    expect(new Set(results.map((r) => r.status)).size).toBeGreaterThan(0);
  });
});

describe('report, compare, rules, help', () => {
  it('report re-renders a report.json; compare finds regressions', async () => {
    const src = join(work, 'check-demo', 'report.json');
    const out = join(work, 'rerender');
    const run = await leavegate(['report', src, '--format', 'md', '--out', out]);
    expect(run.code).toBe(0);
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain('blocked');
    const same = await leavegate(['compare', src, src]);
    expect(same.code).toBe(0);
    const worse = JSON.parse(await readFile(src, 'utf8'));
    const ready = worse.accounts.find((a: { verdict: string }) => a.verdict === 'ready');
    ready.verdict = 'blocked';
    ready.rules[0].status = 'fail';
    ready.rules[0].remediation = 'fix it';
    worse.summary.ready -= 1;
    worse.summary.blocked += 1;
    await writeFile(join(work, 'worse.json'), JSON.stringify(worse));
    const cmp = await leavegate(['compare', src, join(work, 'worse.json')]);
    expect(cmp.code).toBe(1);
    expect(cmp.stdout).toContain(`${ready.accountId}`);
    expect(cmp.stdout).toContain('ready -> blocked');
    // A report that calls an account ready next to a failed rule is refused, not compared.
    const lying = JSON.parse(await readFile(src, 'utf8'));
    const liar = lying.accounts.find((a: { verdict: string }) => a.verdict === 'ready');
    liar.rules[0].status = 'fail';
    liar.rules[0].remediation = 'fix it';
    await writeFile(join(work, 'lying.json'), JSON.stringify(lying));
    const refused = await leavegate(['compare', src, join(work, 'lying.json')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/lying\.json: \/accounts\/\d+\/verdict/);
  });

  it('rules list shows the built-in rules; --help and --version work; unknown command is exit 2', async () => {
    const list = await leavegate(['rules', 'list']);
    expect(list.code).toBe(0);
    for (const id of ['scp-allows-leave', 'waiting-period-elapsed', 'tags-inventoried'])
      expect(list.stdout).toContain(id);
    const help = await leavegate(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('check');
    const version = await leavegate(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect((await leavegate(['frobnicate'])).code).toBe(2);
    expect((await leavegate(['check'])).code).toBe(2);
  });
});
