/**
 * `check --transfer-to` on hand-built snapshots (in-process through main, DESIGN §8):
 * a transfer needs neither contact information nor attestations, but an
 * invitation from the target, and SCPs and IAM that allow all its actions.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { runMain, type Run } from '../harness/in-process.js';
import type { JsonValue } from '../../src/json.js';
import type { HandshakeRecord } from '../../src/snapshot/types.js';
import { DENY_LEAVE, invite, MEMBER, TARGET, transferSnapshot } from '../fixtures/transfer.js';

const INVITE = invite();

const leavegate = (args: string[]): Promise<Run> =>
  runMain(args, { cwd: work, env: { ...process.env, NO_COLOR: '1' } });

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'leavegate-transfer-check-'));
});

/** The ready member (test/fixtures/transfer.ts) with its invitation, SCPs and role policy replaced. */
function snapshot(
  o: { handshakes?: HandshakeRecord[]; extraScp?: JsonValue; identity?: JsonValue } = {},
) {
  const s = transferSnapshot({
    account: { handshakes: o.handshakes ?? [INVITE] },
    ...(o.extraScp !== undefined && {
      scps: [
        {
          id: 'p-denyleave01',
          name: 'DenyLeave',
          awsManaged: false,
          document: o.extraScp,
          targets: ['r-ab12'],
        },
      ],
    }),
  });
  if (o.identity !== undefined) s.accounts[0]!.principal!.identityPolicies = [o.identity];
  return s;
}

async function check(name: string, snap: object, extra: string[] = []) {
  const file = join(work, `${name}.json`);
  await writeFile(file, JSON.stringify(snap));
  const out = join(work, name);
  const run = await leavegate([
    'check',
    '--snapshot',
    file,
    '--out',
    out,
    '--format',
    'json,md,junit,sarif,html',
    ...extra,
  ]);
  let report:
    | {
        mode?: unknown;
        accounts: {
          verdict: string;
          rules: { id: string; status: string; message: string; pack?: string }[];
        }[];
      }
    | undefined;
  try {
    report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
  } catch {
    report = undefined;
  }
  // The impact pack applies to transfers too; its rules are tested in test/cli/impact.test.ts.
  // The fixture records its sources as read and empty, so they pass here.
  const all = report?.accounts[0]?.rules ?? [];
  const impact = all.filter((r) => r.pack === 'leave-impact');
  const statuses = Object.fromEntries(
    all.filter((r) => r.pack !== 'leave-impact').map((r) => [r.id, r.status]),
  );
  const message = (id: string) =>
    report?.accounts[0]?.rules.find((r) => r.id === id)?.message ?? '';
  return { run, report, statuses, impact, message, out };
}

const READY = {
  'member-account': 'pass',
  'account-active': 'pass',
  'not-delegated-admin': 'pass',
  'waiting-period-elapsed': 'pass',
  'tags-inventoried': 'pass',
  'scp-allows-transfer': 'pass',
  'principal-allowed-to-transfer': 'pass',
  'invitation-open': 'pass',
  'target-organization-eligible': 'unknown',
};

describe('check --transfer-to', () => {
  it('a ready account without contact information or attestations is ready to transfer, not to leave', async () => {
    const t = await check('ready', snapshot(), ['--transfer-to', TARGET]);
    expect(t.run.code).toBe(0);
    expect(t.statuses).toEqual(READY);
    expect(t.impact.map((r) => r.status)).toEqual(t.impact.map(() => 'pass'));
    expect(t.impact).toHaveLength(8);
    expect(t.report?.mode).toEqual({ kind: 'transfer', targetOrganizationId: TARGET });
    expect(t.message('invitation-open')).toContain('h-abcdef1234');
    expect(t.message('invitation-open')).toContain('999999999999');
    expect(t.message('invitation-open')).toContain('2026-12-12T00:00:00Z');
    for (const [file, text] of [
      [
        'report.md',
        '# leavegate transfer readiness report: transfer to organization o-target12345',
      ],
      ['report.html', `Account readiness report: transfer to organization ${TARGET}`],
      [
        'report.junit.xml',
        `name="leavegate transfer readiness: transfer to organization ${TARGET}"`,
      ],
      ['report.junit.xml', `<property name="targetOrganizationId" value="${TARGET}"/>`],
    ] as const)
      expect(await readFile(join(t.out, file), 'utf8')).toContain(text);
    const sarif = JSON.parse(await readFile(join(t.out, 'report.sarif'), 'utf8'));
    expect(sarif.runs[0].properties.mode).toEqual({
      kind: 'transfer',
      targetOrganizationId: TARGET,
    });

    const leave = await check('leave', snapshot());
    expect(leave.run.code).toBe(1);
    expect(leave.statuses['contact-info-complete']).toBe('fail');
    expect(leave.statuses['payment-method-present']).toBe('unknown');
    expect(leave.report?.mode).toBeUndefined();
  });

  it.each([
    ['no invitation', { handshakes: [] }, /the account has no invitation/],
    [
      'an expired invitation',
      { handshakes: [{ ...INVITE, state: 'EXPIRED' }] },
      /EXPIRED, not OPEN/,
    ],
    [
      'an invitation past its expiry',
      { handshakes: [{ ...INVITE, expirationTimestamp: '2026-11-27T00:00:00Z' }] },
      /expired at 2026-11-27/,
    ],
    [
      'an invitation from another organization',
      { handshakes: [{ ...INVITE, organizationId: 'o-other123456' }] },
      /only from other organizations/,
    ],
  ])('%s: invitation-open fails, the rest passes, exit 1', async (_name, o, why) => {
    const t = await check(_name.replace(/ /g, '-'), snapshot(o), ['--transfer-to', TARGET]);
    expect(t.run.code).toBe(1);
    expect(t.statuses).toEqual({ ...READY, 'invitation-open': 'fail' });
    expect(t.message('invitation-open')).toMatch(why);
    expect(t.message('invitation-open')).toContain(
      `aws organizations invite-account-to-organization --target Id=${MEMBER},Type=ACCOUNT`,
    );
  });

  it('an SCP denying LeaveOrganization blocks the transfer', async () => {
    const t = await check('deny-leave', snapshot({ extraScp: DENY_LEAVE }), [
      '--transfer-to',
      TARGET,
    ]);
    expect(t.run.code).toBe(1);
    expect(t.statuses).toEqual({ ...READY, 'scp-allows-transfer': 'fail' });
    expect(t.message('scp-allows-transfer')).toContain('p-denyleave01');
  });

  it('a role allowed AcceptHandshake but not LeaveOrganization blocks the transfer', async () => {
    const identity = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['organizations:AcceptHandshake', 'iam:CreateServiceLinkedRole'],
          Resource: '*',
        },
      ],
    };
    const t = await check('no-leave-perm', snapshot({ identity }), ['--transfer-to', TARGET]);
    expect(t.run.code).toBe(1);
    expect(t.statuses).toEqual({ ...READY, 'principal-allowed-to-transfer': 'fail' });
    expect(t.message('principal-allowed-to-transfer')).toContain('LeaveOrganization');
  });

  it('handshakes not collected: invitation-open unknown, exit 3', async () => {
    const snap = snapshot();
    delete (snap.accounts[0] as { handshakes?: unknown }).handshakes;
    const t = await check('no-handshakes', snap, ['--transfer-to', TARGET]);
    expect(t.run.code).toBe(3);
    expect(t.statuses).toEqual({ ...READY, 'invitation-open': 'unknown' });
  });

  it('an attestation makes target-organization-eligible pass', async () => {
    const file = join(work, 'att.json');
    await writeFile(
      file,
      JSON.stringify({
        schemaVersion: 1,
        attestations: [
          {
            accountId: MEMBER,
            fact: 'targetOrganizationAgeOk',
            value: true,
            attestedBy: 'jane@example.com',
            attestedAt: '2026-11-20T00:00:00Z',
            expiresAt: '2026-12-20T00:00:00Z',
          },
        ],
      }),
    );
    const t = await check('attested', snapshot(), [
      '--transfer-to',
      TARGET,
      '--attestations',
      file,
    ]);
    expect(t.run.code).toBe(0);
    expect(t.statuses['target-organization-eligible']).toBe('pass');
  });

  it.each(['o-SHORT', 'org-1234567890', '123456789012'])(
    '--transfer-to %s is a usage error (exit 2)',
    async (id) => {
      const t = await check(`bad-${id}`, snapshot(), ['--transfer-to', id]);
      expect(t.run.code).toBe(2);
      expect(t.run.stderr).toContain('--transfer-to');
      expect(t.report).toBeUndefined();
    },
  );
});
