/** The transfer facts (DESIGN §8): the invitation and the two transfer verdicts. */
import { describe, expect, it } from '@jest/globals';
import { deriveFacts } from '../../src/facts/derive.js';
import { findInvitation, type Invitation } from '../../src/facts/builtin/invitation.js';
import type { DeriveOptions } from '../../src/facts/types.js';
import type { AccountRecord, HandshakeRecord, Snapshot } from '../../src/snapshot/types.js';
import { DENY_LEAVE, invite, MEMBER, TARGET, transferSnapshot } from '../fixtures/transfer.js';

const NOW = new Date('2026-11-28T12:00:00Z');

const find = (hs: HandshakeRecord[], t: { targetOrganizationId?: string; handshakeId?: string }) =>
  findInvitation(hs, MEMBER, t, NOW.getTime());

describe('findInvitation', () => {
  it('an open, unexpired INVITE from the target is open and names who and when', () => {
    const got = find([invite()], { targetOrganizationId: TARGET });
    expect(got).toMatchObject({ open: true, handshakeId: 'h-abcdef1234', organizationId: TARGET });
    expect(got.summary).toContain('h-abcdef1234');
    expect(got.summary).toContain('by 999999999999');
    expect(got.summary).toContain('expires 2026-12-12T00:00:00Z');
  });

  it.each<[string, HandshakeRecord[], RegExp]>([
    ['none', [], /the account has no invitation/],
    ['expired by time', [invite({ expirationTimestamp: '2026-11-28T11:59:59Z' })], /expired at/],
    ['state EXPIRED', [invite({ state: 'EXPIRED' })], /EXPIRED, not OPEN/],
    ['declined', [invite({ state: 'DECLINED' })], /DECLINED, not OPEN/],
    ['no readable expiry', [invite({ expirationTimestamp: 'soon' })], /expiry cannot be read/],
    ['another organization', [invite({ organizationId: 'o-other123456' })], /only from other/],
  ])('%s is not open, and says what to do', (_name, hs, why) => {
    const got = find(hs, { targetOrganizationId: TARGET });
    expect(got.open).toBe(false);
    expect(got.summary).toMatch(why);
    expect(got.summary).toContain(
      `aws organizations invite-account-to-organization --target Id=${MEMBER},Type=ACCOUNT`,
    );
  });

  it('picks the open one among several from the target', () => {
    const got = find([invite({ id: 'h-old0000001', state: 'EXPIRED' }), invite()], {
      targetOrganizationId: TARGET,
    });
    expect([got.open, got.handshakeId]).toEqual([true, 'h-abcdef1234']);
  });

  it('with --handshake, exactly that handshake must be the open invitation', () => {
    const hs = [invite(), invite({ id: 'h-other00001', organizationId: 'o-other123456' })];
    expect(find(hs, { handshakeId: 'h-abcdef1234' })).toMatchObject({
      open: true,
      organizationId: TARGET,
    });
    const other = find(hs, { handshakeId: 'h-other00001', targetOrganizationId: TARGET });
    expect(other.open).toBe(false);
    expect(other.summary).toContain('is not from the target');
    const missing = find(hs, { handshakeId: 'h-nothere001' });
    expect(missing).toMatchObject({ open: false, handshakeId: null });
    expect(missing.summary).toContain('h-nothere001 is not among the handshakes');
  });
});

const snapshot = (account: Partial<AccountRecord> = {}, scps?: Snapshot['policies']): Snapshot => {
  const s = transferSnapshot({ account });
  if (scps !== undefined) s.policies = scps;
  return s;
};

const transfer: DeriveOptions = { now: NOW, transfer: { targetOrganizationId: TARGET } };
const facts = (s: Snapshot, o: DeriveOptions = transfer) => deriveFacts(s, undefined, o)[0]!;
const decision = (v: unknown) => (v as { decision: string }).decision;

describe('transfer facts', () => {
  it('are unknown outside a transfer check, and leave facts are untouched', () => {
    const f = facts(snapshot(), { now: NOW });
    for (const name of ['invitation', 'scpVerdictForTransfer', 'principalVerdictForTransfer'])
      expect(f.unknown[name]).toContain('not a transfer check');
    expect(decision(f.known.scpVerdict)).toBe('allowed');
  });

  it('read the invitation, and both verdicts allow an admin under FullAWSAccess', () => {
    const f = facts(snapshot());
    expect((f.known.invitation as Invitation).open).toBe(true);
    expect(decision(f.known.scpVerdictForTransfer)).toBe('allowed');
    expect(decision(f.known.principalVerdictForTransfer)).toBe('allowed');
  });

  it('handshakes not collected: the invitation is unknown with the member-side fix', () => {
    const s = snapshot();
    delete s.accounts[0]!.handshakes;
    s.errors.push({
      accountId: MEMBER,
      source: 'organizations:ListHandshakesForAccount',
      code: 'AccessDeniedException',
      message: 'no',
    });
    const f = facts(s);
    expect(f.unknown.invitation).toContain(
      'AccessDeniedException from organizations:ListHandshakesForAccount',
    );
    expect(f.fixes?.invitation).toMatch(/member role/);
  });

  it('an SCP denying LeaveOrganization denies the transfer', () => {
    const s = snapshot();
    s.policies!.push({
      id: 'p-denyleave01',
      name: 'DenyLeave',
      awsManaged: false,
      document: DENY_LEAVE,
      targets: [MEMBER],
    });
    const f = facts(s);
    expect(decision(f.known.scpVerdictForTransfer)).toBe('explicitDeny');
    expect(JSON.stringify(f.known.scpVerdictForTransfer)).toContain('LeaveOrganization');
  });

  it('AcceptHandshake is asked on the handshake ARN: an SCP scoped to another ARN denies', () => {
    const s = snapshot({}, [
      {
        id: 'p-scoped00001',
        name: 'OnlyOtherHandshake',
        awsManaged: false,
        document: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', NotAction: 'organizations:AcceptHandshake', Resource: '*' },
            {
              Effect: 'Allow',
              Action: 'organizations:AcceptHandshake',
              Resource:
                'arn:aws:organizations::999999999999:handshake/o-target12345/invite/h-abcdef1234',
            },
          ],
        },
        targets: ['r-ab12', MEMBER],
      },
    ]);
    expect(decision(facts(s).known.scpVerdictForTransfer)).toBe('allowed');
    const other = snapshot(
      {
        handshakes: [
          invite({
            arn: 'arn:aws:organizations::999999999999:handshake/o-target12345/invite/h-zzzzzz9999',
          }),
        ],
      },
      s.policies,
    );
    expect(decision(facts(other).known.scpVerdictForTransfer)).toBe('implicitDeny');
  });

  it('a role allowed AcceptHandshake but not LeaveOrganization is denied', () => {
    const s = snapshot();
    s.accounts[0]!.principal!.identityPolicies = [
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['organizations:AcceptHandshake', 'iam:CreateServiceLinkedRole'],
            Resource: '*',
          },
        ],
      },
    ];
    const f = facts(s);
    expect(decision(f.known.principalVerdictForTransfer)).toBe('implicitDeny');
    expect(JSON.stringify(f.known.principalVerdictForTransfer)).toContain(
      'organizations:LeaveOrganization',
    );
  });
});
