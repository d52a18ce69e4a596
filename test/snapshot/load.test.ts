import { describe, expect, test, beforeAll, afterAll } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadSnapshotFile,
  saveSnapshotFile,
  serializeSnapshot,
  validateSnapshot,
} from '../../src/snapshot/load.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { expectInputError } from './expect-input-error.js';
import { builtModule, runUnderFileSizeLimit } from './file-size-limit.js';

const BAD = 'test/fixtures/bad';
const GOOD = 'test/fixtures/snapshots';

function readJson(path: string): Snapshot {
  return JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
}

/** A fresh copy of the minimal valid snapshot the bad fixtures are derived from. */
function base(): Snapshot {
  return readJson(`${BAD}/snapshot-valid-minimal.json`);
}

function issuesOf(value: unknown): { path: string; message: string }[] {
  const result = validateSnapshot(value, 'x.json');
  return result.ok ? [] : result.issues.map(({ path, message }) => ({ path, message }));
}

describe('good snapshots', () => {
  test('the small org loads without warnings, with the sha256 of the raw bytes', async () => {
    const path = `${GOOD}/small-org.json`;
    const { snapshot, sha256, warnings } = await loadSnapshotFile(path);
    expect(warnings).toEqual([]);
    expect(sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    expect(snapshot.accounts.map((a) => a.id)).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
      '444444444444',
    ]);
    expect(snapshot.policies?.find((p) => p.name === 'DenyLeave')?.targets).toEqual([
      'ou-ab12-sandbox1',
    ]);
    // null (collected, none) and absent (not collected) stay distinct.
    const byId = new Map(snapshot.accounts.map((a) => [a.id, a]));
    expect(byId.get('444444444444')?.contactInformation).toBeNull();
    expect('contactInformation' in (byId.get('333333333333') ?? {})).toBe(false);
  });

  test('a partial snapshot may name OUs and accounts it does not list as policy targets', async () => {
    const { snapshot, warnings } = await loadSnapshotFile(`${GOOD}/single-account.json`);
    expect(snapshot.collector?.scope).toBe('accounts');
    expect(snapshot.policies?.[0]?.targets).toContain('ou-ab12-sandbox1');
    expect(warnings).toEqual([]);
    // The same snapshot claiming to be the whole organization is rejected.
    const whole = { ...snapshot, collector: { ...snapshot.collector, scope: 'all' as const } };
    expect(issuesOf(whole).map((i) => i.path)).toEqual(
      expect.arrayContaining(['/policies/0/targets/2', '/policies/1/targets/0']),
    );
  });

  test('the bad fixtures differ from a valid base by one problem each', () => {
    expect(validateSnapshot(base())).toMatchObject({ ok: true, warnings: [] });
  });
});

describe('bad snapshot files: exit 2, the file and the JSON pointer', () => {
  const cases: [string, string, RegExp][] = [
    ['snapshot-not-json.txt', '', /invalid JSON at line 1 column 1/],
    [
      'snapshot-truncated.json.part',
      '/accounts/1/name',
      /invalid JSON at line 113 column 15: unterminated string \(the file ends early: truncated\?\)/,
    ],
    ['snapshot-wrong-type.json', '/accounts/1/paidSupportPlan', /must be boolean/],
    ['snapshot-missing-id.json', '/accounts/2', /missing required property "id"/],
    ['snapshot-bad-account-id.json', '/accounts/1/id', /must match pattern/],
    [
      'snapshot-schema-version-2.json',
      '/schemaVersion',
      /^[^:]+: \/schemaVersion: unsupported schemaVersion 2; this leavegate reads 1$/,
    ],
    ['snapshot-unknown-property.json', '/organization', /unknown property "masterAccountId"/],
    [
      'snapshot-duplicate-account.json',
      '/accounts/3/id',
      /duplicate account id 222222222222 \(also \/accounts\/1\/id\)/,
    ],
    [
      'snapshot-dangling-parent.json',
      '/accounts/2/parentId',
      /parent ou-ab12-nosuchou names no OU in the snapshot/,
    ],
    [
      'snapshot-dangling-target.json',
      '/policies/0/targets/6',
      /p-FullAWSAccess \(FullAWSAccess\) is attached to OU ou-ab12-deleted1, which is not in the snapshot/,
    ],
    [
      'snapshot-ou-cycle.json',
      '/organizationalUnits/0/parentId',
      /cycle in the OU tree: ou-ab12-workload -> ou-ab12-sandbox1 -> ou-ab12-workload/,
    ],
    // The schema's date-time format rejects February 30th ...
    ['snapshot-bad-date.json', '/accounts/1/joinedTimestamp', /unparseable date-time "2026-02-30/],
    // ... and Date.parse rejects a leap second the format lets through.
    ['snapshot-leap-second.json', '/collectedAt', /unparseable date-time "2026-06-30T23:59:60Z"/],
  ];
  test.each(cases)('%s -> %s', async (name, pointer, what) => {
    const file = `${BAD}/${name}`;
    await expectInputError(loadSnapshotFile(file), 'snapshot.invalid', file, pointer, what);
  });

  test('an unknown schemaVersion is reported alone, not buried under the rest', () => {
    const result = validateSnapshot({ schemaVersion: 2, accounts: 'whatever' });
    expect(result.ok ? [] : result.issues).toEqual([
      {
        file: undefined,
        path: '/schemaVersion',
        message: 'unsupported schemaVersion 2; this leavegate reads 1',
      },
    ]);
  });

  test('every problem is reported, not just the first', () => {
    const s = base();
    s.accounts[0]!.joinedTimestamp = 'yesterday';
    (s.accounts[1] as unknown as Record<string, unknown>).state = 7;
    expect(issuesOf(s).map((i) => i.path)).toEqual([
      '/accounts/0/joinedTimestamp',
      '/accounts/1/state',
    ]);
  });

  test.each([
    ['an array', []],
    ['null', null],
    ['a string', 'snapshot'],
  ])('a document that is %s is rejected at /', (_kind, value) => {
    expect(issuesOf(value)).toEqual([
      { path: '', message: expect.stringContaining('expected a JSON object') },
    ]);
  });
});

describe('semantic checks', () => {
  test('duplicate OU and policy ids', () => {
    const s = base();
    s.organizationalUnits!.push({ id: 'ou-ab12-workload', name: 'Again', parentId: 'r-ab12' });
    s.policies!.push({ ...s.policies![0]!, targets: [] });
    expect(issuesOf(s)).toEqual([
      {
        path: '/organizationalUnits/2/id',
        message: 'duplicate OU id ou-ab12-workload (also /organizationalUnits/0/id)',
      },
      {
        path: '/policies/1/id',
        message: 'duplicate policy id p-FullAWSAccess (also /policies/0/id)',
      },
    ]);
  });

  test('a parent or policy target that is another root', () => {
    const s = base();
    s.organizationalUnits![1]!.parentId = 'r-zz99';
    s.accounts[0]!.parentId = 'r-zz99';
    s.policies![0]!.targets.push('r-zz99');
    expect(issuesOf(s).map((i) => [i.path, i.message])).toEqual([
      ['/organizationalUnits/1/parentId', "parent r-zz99 is not the organization's root r-ab12"],
      ['/accounts/0/parentId', "parent r-zz99 is not the organization's root r-ab12"],
      ['/policies/0/targets/6', expect.stringContaining('r-zz99, which is not the root r-ab12')],
    ]);
  });

  test('a policy attached to an account not in a whole-organization snapshot', () => {
    const s = base();
    s.policies![0]!.targets.push('999999999999');
    expect(issuesOf(s)).toEqual([
      {
        path: '/policies/0/targets/6',
        message: expect.stringContaining(
          'attached to account 999999999999, which is not in the snapshot',
        ),
      },
    ]);
  });

  test('a partial snapshot still needs its accounts placed under listed OUs', () => {
    const s = base();
    s.collector = { scope: 'accounts' };
    s.accounts[2]!.parentId = 'ou-ab12-nosuchou';
    s.policies![0]!.targets.push('ou-ab12-elsewher', '999999999999');
    expect(issuesOf(s).map((i) => i.path)).toEqual(['/accounts/2/parentId']);
  });

  test('without the OU tree, OU parents cannot be checked and are accepted', () => {
    const s = base();
    delete s.organizationalUnits;
    s.policies![0]!.targets = ['r-ab12', 'ou-ab12-unknown1'];
    expect(validateSnapshot(s).ok).toBe(true);
  });

  test('OUs without a rootId are rejected by the schema', () => {
    const s = base();
    delete s.rootId;
    expect(issuesOf(s)).toEqual([
      {
        path: '',
        message: 'must have property rootId when property organizationalUnits is present',
      },
    ]);
  });

  test('a self-parented OU is a cycle', () => {
    const s = base();
    s.organizationalUnits![1]!.parentId = 'ou-ab12-sandbox1';
    expect(issuesOf(s)).toEqual([
      {
        path: '/organizationalUnits/1/parentId',
        message: expect.stringContaining('ou-ab12-sandbox1 -> ou-ab12-sandbox1'),
      },
    ]);
  });

  test('ARNs must agree with the organization, its management account and the account', () => {
    const s = base();
    s.organization!.arn = 'arn:aws:organizations::999999999999:organization/o-a1b2c3d4e5';
    s.accounts[1]!.arn = 'arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/333333333333';
    s.accounts[2]!.arn = 'arn:aws:organizations::111111111111:account/o-zzzzzzzzzz/333333333333';
    expect(issuesOf(s)).toEqual([
      { path: '/accounts/1/arn', message: 'ARN names account 333333333333, not 222222222222' },
      { path: '/accounts/2/arn', message: 'ARN names organization o-zzzzzzzzzz, not o-a1b2c3d4e5' },
      {
        path: '/organization/arn',
        message: 'ARN names management account 999999999999, not 111111111111',
      },
    ]);
  });

  test('the principal must live in its account and never be an STS session', () => {
    const s = base();
    s.accounts[1]!.principal = {
      arn: 'arn:aws:iam::333333333333:role/OrganizationAccountAccessRole',
    };
    s.accounts[2]!.principal = {
      arn: 'arn:aws:sts::333333333333:assumed-role/OrganizationAccountAccessRole/session',
    };
    expect(issuesOf(s)).toEqual([
      { path: '/accounts/2/principal/arn', message: expect.stringContaining('must match pattern') },
    ]);
    delete s.accounts[2]!.principal;
    expect(issuesOf(s)).toEqual([
      {
        path: '/accounts/1/principal/arn',
        message: 'principal is in account 333333333333, not 222222222222',
      },
    ]);
  });

  test('identityPolicyNames must be parallel to identityPolicies', () => {
    const s = base();
    s.accounts[1]!.principal = {
      arn: 'arn:aws:iam::222222222222:role/path/LeaveRole',
      identityPolicies: [{}],
      identityPolicyNames: ['a', 'b'],
    };
    expect(issuesOf(s)).toEqual([
      {
        path: '/accounts/1/principal/identityPolicyNames',
        message: '2 names for 1 identityPolicies: the lists must be parallel',
      },
    ]);
  });

  test('SCPs cannot be enabled with consolidated billing only', () => {
    const s = base();
    s.organization!.featureSet = 'CONSOLIDATED_BILLING';
    expect(issuesOf(s).map((i) => i.path)).toEqual(['/organization/scpEnabled']);
  });

  test('harmless inconsistencies are warnings with the file and pointer', () => {
    const s = base();
    s.accounts.splice(0, 1);
    s.delegatedAdministrators = [
      { accountId: '111111111111', servicePrincipal: 'guardduty.amazonaws.com' },
      { accountId: '777777777777', servicePrincipal: 'securityhub.amazonaws.com' },
    ];
    s.policies![0]!.targets = ['r-ab12'];
    const result = validateSnapshot(s, 'org.json');
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      'org.json: /organization/managementAccountId: management account 111111111111 is not among the accounts',
      'org.json: /delegatedAdministrators/0/accountId: the management account 111111111111 cannot be a delegated administrator',
      'org.json: /delegatedAdministrators/1/accountId: delegated administrator 777777777777 is not among the accounts',
    ]);
  });

  test('account records, contact information and collector accept extension fields; contract objects do not', () => {
    const s = base();
    const account = s.accounts[1] as unknown as Record<string, unknown>;
    account.ownerTeam = 'payments';
    account.contactInformation = { fullName: 'X', faxNumber: '+1' };
    (s as unknown as Record<string, unknown>).collector = { scope: 'offline', host: 'laptop' };
    expect(validateSnapshot(s).ok).toBe(true);
    (s.policies![0] as unknown as Record<string, unknown>).description = 'x';
    (s.accounts[2] as unknown as Record<string, unknown>).tags = [{ key: 'a', value: 'b', x: 1 }];
    expect(issuesOf(s)).toEqual([
      { path: '/policies/0', message: 'unknown property "description"' },
      { path: '/accounts/2/tags/0', message: 'unknown property "x"' },
    ]);
  });

  test('policy documents may be any JSON; the evaluator judges them', () => {
    const s = base();
    s.policies![0]!.document = 'not even an object';
    expect(validateSnapshot(s).ok).toBe(true);
  });

  test('ids follow the AWS patterns, including p-FullAWSAccess and short demo-style org ids', () => {
    const s = base();
    s.organization!.id = 'o-abc123demo';
    expect(validateSnapshot(s).ok).toBe(true);
    s.organization!.id = 'o-abc123';
    s.policies![0]!.id = 'p-short';
    s.organizationalUnits![0]!.id = 'ou-ab12-short';
    expect(issuesOf(s).map((i) => i.path)).toEqual([
      '/organization/id',
      '/organizationalUnits/0/id',
      '/policies/0/id',
    ]);
  });
});

describe('saveSnapshotFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leavegate-snapshot-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('writes 2-space JSON with a final newline that loads back equal, creating the directory', async () => {
    const snapshot = readJson(`${GOOD}/small-org.json`);
    const path = join(dir, 'nested', 'out', 'snapshot.json');
    await saveSnapshotFile(path, snapshot);
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(serializeSnapshot(snapshot));
    expect(text.startsWith('{\n  "$schema"')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect((await loadSnapshotFile(path)).snapshot).toEqual(snapshot);
    // Same input, same bytes: the file is stable across runs.
    await saveSnapshotFile(path, readJson(`${GOOD}/small-org.json`));
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  test('refuses an invalid snapshot and leaves the existing file untouched', async () => {
    const path = join(dir, 'keep.json');
    writeFileSync(path, 'previous contents');
    const s = base();
    s.accounts.push({ id: '222222222222' });
    await expectInputError(
      saveSnapshotFile(path, s),
      'snapshot.invalid',
      path,
      '/accounts/3/id',
      /duplicate account id/,
    );
    expect(readFileSync(path, 'utf8')).toBe('previous contents');
  });

  test('a disk that fills up mid-write is io.failed, never a truncated snapshot in place', () => {
    const path = join(dir, 'full-disk.json');
    writeFileSync(path, 'previous contents');
    const source = JSON.stringify(join(process.cwd(), GOOD, 'small-org.json'));
    // small-org.json serialises to about 6.5 KB: past a 4 KiB limit the write comes up short.
    const out = runUnderFileSizeLimit(
      4,
      `const { readFileSync } = await import('node:fs');
      const { saveSnapshotFile } = await import(${builtModule('snapshot/load.js')});
      const snapshot = JSON.parse(readFileSync(${source}, 'utf8'));
      await saveSnapshotFile(${JSON.stringify(path)}, snapshot).then(
        () => console.log('ok'),
        (e) => console.log(e.code),
      );`,
    );
    expect(out).toBe('io.failed');
    expect(readFileSync(path, 'utf8')).toBe('previous contents');
  });

  test('a write failure is an io.failed error naming the file', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    await expect(saveSnapshotFile(join(blocker, 'snapshot.json'), base())).rejects.toMatchObject({
      code: 'io.failed',
      message: expect.stringContaining(`${join(blocker, 'snapshot.json')}: cannot write snapshot`),
    });
  });
});
