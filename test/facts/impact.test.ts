/**
 * The impact facts (DESIGN §7) on hand-built snapshots: absent = not
 * collected (unknown with the fix of that source), [] / null = read, none.
 */
import { describe, expect, it } from '@jest/globals';
import { deriveFacts } from '../../src/facts/derive.js';
import type { Attestations } from '../../src/facts/types.js';
import type { AccountRecord, Snapshot, StackSetRecord } from '../../src/snapshot/types.js';
import { ORG_OU, orgSnapshot } from '../fixtures/organization.js';

const MEMBER = '222222222222';
const OTHER = '333333333333';
const OU = ORG_OU;
const NOW = new Date('2026-11-28T12:00:00Z');

function account(over: Partial<AccountRecord> = {}): AccountRecord {
  return { id: MEMBER, name: 'payments-prod', state: 'ACTIVE', parentId: OU, ...over };
}

function snapshot(over: Partial<Snapshot> = {}, accounts = [account()]): Snapshot {
  return orgSnapshot(accounts, over);
}

function facts(snap: Snapshot, attestations?: Attestations) {
  return deriveFacts(snap, attestations, { now: NOW });
}
const one = (snap: Snapshot, attestations?: Attestations) => facts(snap, attestations)[0]!;

function stackSet(over: Partial<StackSetRecord> = {}): StackSetRecord {
  return {
    name: 'org-baseline',
    permissionModel: 'SERVICE_MANAGED',
    autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
    status: 'ACTIVE',
    callAs: 'SELF',
    instances: [
      { accountId: MEMBER, region: 'us-east-1' },
      { accountId: MEMBER, region: 'eu-west-1' },
      { accountId: OTHER, region: 'us-east-1' },
    ],
    ...over,
  };
}

describe('deletingStackSets', () => {
  it('absent: unknown, with the CloudFormation reads as the fix', () => {
    const f = one(snapshot());
    expect(f.unknown.deletingStackSets).toContain('not collected');
    expect(f.fixes?.deletingStackSets).toContain('cloudformation:ListStackSets');
    expect(f.known.deletingStackSets).toBeUndefined();
  });

  it('a collection error is the reason, and its fix names the trusted access', () => {
    const f = one(
      snapshot({
        errors: [
          {
            source: 'cloudformation:ListStackSets',
            code: 'AccessDeniedException',
            message: 'no',
          },
        ],
      }),
    );
    expect(f.unknown.deletingStackSets).toContain(
      'AccessDeniedException from cloudformation:ListStackSets',
    );
    expect(f.fixes?.deletingStackSets).toContain(
      'member.org.stacksets.cloudformation.amazonaws.com',
    );
  });

  it('[] is read, none', () => {
    expect(one(snapshot({ stackSets: [] })).known.deletingStackSets).toEqual({
      items: [],
      summary: 'none',
    });
  });

  it('names the deleting StackSet with its regions in this account only', () => {
    const [member, other] = facts(
      snapshot({ stackSets: [stackSet()] }, [account(), account({ id: OTHER })]),
    );
    expect(member!.known.deletingStackSets).toEqual({
      items: [{ name: 'org-baseline', regions: ['eu-west-1', 'us-east-1'], callAs: 'SELF' }],
      summary: 'org-baseline (eu-west-1, us-east-1)',
    });
    expect(other!.known.deletingStackSets).toMatchObject({ summary: 'org-baseline (us-east-1)' });
    const third = one(snapshot({ stackSets: [stackSet()] }, [account({ id: '444444444444' })]));
    expect(third.known.deletingStackSets).toEqual({ items: [], summary: 'none' });
  });

  it.each([
    ['retaining', { autoDeployment: { enabled: true, retainStacksOnAccountRemoval: true } }],
    [
      'no automatic deployment',
      { autoDeployment: { enabled: false, retainStacksOnAccountRemoval: false } },
    ],
    ['autoDeployment null', { autoDeployment: null }],
    ['self-managed', { permissionModel: 'SELF_MANAGED' }],
    ['deleted', { status: 'DELETED' }],
  ] as const)('%s: not deleting', (_name, over) => {
    const f = one(snapshot({ stackSets: [stackSet(over)] }));
    expect(f.known.deletingStackSets).toEqual({ items: [], summary: 'none' });
  });
});

describe('controlTowerEnrollment', () => {
  const baseline = (target: string) => ({
    targetIdentifier: target,
    baselineIdentifier: 'arn:aws:controltower:us-east-1::baseline/AWSControlTowerBaseline',
    status: 'SUCCEEDED',
  });

  it('absent: unknown; null: not in use, not enrolled', () => {
    expect(one(snapshot()).fixes?.controlTowerEnrollment).toContain(
      'servicecatalog:SearchProvisionedProducts',
    );
    expect(one(snapshot({ controlTower: null })).known.controlTowerEnrollment).toMatchObject({
      enrolled: false,
      decidedBy: expect.stringContaining('not in use') as unknown,
    });
  });

  it('a baseline on the account decides, naming the baseline', () => {
    const f = one(
      snapshot({
        controlTower: {
          enabledBaselines: [
            baseline(`arn:aws:organizations::111111111111:account/o-abc1234567/${MEMBER}`),
          ],
        },
      }),
    );
    expect(f.known.controlTowerEnrollment).toMatchObject({
      enrolled: true,
      baselines: ['AWSControlTowerBaseline, SUCCEEDED on the account'],
    });
  });

  it('a baseline on an OU of the path enrolls; elsewhere it does not', () => {
    const onOu = one(
      snapshot({
        controlTower: {
          enabledBaselines: [baseline(`arn:aws:organizations::111111111111:ou/o-abc1234567/${OU}`)],
        },
      }),
    );
    expect(onOu.known.controlTowerEnrollment).toMatchObject({ enrolled: true });
    expect((onOu.known.controlTowerEnrollment as { decidedBy: string }).decidedBy).toContain(OU);
    const elsewhere = one(
      snapshot({ controlTower: { enabledBaselines: [baseline('ou-ab12-other000')] } }),
    );
    expect(elsewhere.known.controlTowerEnrollment).toMatchObject({ enrolled: false });
  });

  it('the Account Factory provisioned product decides when the collector read them', () => {
    const enrolled = one(
      snapshot({
        controlTower: {
          enabledBaselines: [],
          enrolledAccounts: [
            { accountId: MEMBER, provisionedProductId: 'pp-abc123', status: 'AVAILABLE' },
          ],
        },
      }),
    );
    expect(enrolled.known.controlTowerEnrollment).toMatchObject({
      enrolled: true,
      decidedBy: expect.stringContaining('pp-abc123') as unknown,
    });
    const other = one(
      snapshot({
        controlTower: {
          enabledBaselines: [],
          enrolledAccounts: [{ accountId: '999999999999', provisionedProductId: 'pp-x' }],
        },
      }),
    );
    expect(other.known.controlTowerEnrollment).toMatchObject({ enrolled: false });
  });

  it('in use but no Account Factory product anywhere: unknown (wrong region?), never not-enrolled', () => {
    const f = one(snapshot({ controlTower: { enabledBaselines: [], enrolledAccounts: [] } }));
    expect(f.known).not.toHaveProperty('controlTowerEnrollment');
    expect(f.unknown.controlTowerEnrollment).toMatch(/home Region/);
  });

  it('an unfollowable path is unknown (an OU above could be registered)', () => {
    const f = one(snapshot({ controlTower: { enabledBaselines: [] }, organizationalUnits: [] }));
    expect(f.unknown.controlTowerEnrollment).toContain(OU);
  });
});

describe('rootCredentialsRecoverable', () => {
  const central = { rootAccessFeatures: ['RootCredentialsManagement', 'RootSessions'] };
  const value = (snap: Snapshot, att?: Attestations) =>
    one(snap, att).known.rootCredentialsRecoverable as
      { recoverable: boolean; decidedBy: string } | undefined;
  const recovered: Attestations = {
    schemaVersion: 1,
    attestations: [
      {
        accountId: MEMBER,
        fact: 'rootPasswordRecovered',
        value: true,
        attestedBy: 'jane@example.com',
        attestedAt: '2026-11-20T00:00:00Z',
        expiresAt: '2026-12-20T00:00:00Z',
        evidence: 'TICKET-9',
      },
    ],
  };

  it('features absent: unknown, with the read and the attestation as fixes', () => {
    const f = one(snapshot());
    expect(f.unknown.rootCredentialsRecoverable).toContain('not collected');
    expect(f.fixes?.rootCredentialsRecoverable).toContain('iam:ListOrganizationsFeatures');
    expect(f.fixes?.rootCredentialsRecoverable).toContain('rootPasswordRecovered');
  });

  it('centralized root access off: recoverable', () => {
    expect(value(snapshot({ rootAccessFeatures: [] }))?.recoverable).toBe(true);
  });

  it('on, credentials not read: unknown naming sts:AssumeRoot', () => {
    const f = one(snapshot(central));
    expect(f.fixes?.rootCredentialsRecoverable).toContain('sts:AssumeRoot');
  });

  it('on, no password: not recoverable; with a password or null: recoverable', () => {
    expect(
      value(snapshot(central, [account({ rootCredentials: { passwordPresent: false } })])),
    ).toMatchObject({
      recoverable: false,
      decidedBy: expect.stringContaining('no password') as unknown,
    });
    expect(
      value(snapshot(central, [account({ rootCredentials: { passwordPresent: true } })]))
        ?.recoverable,
    ).toBe(true);
    expect(value(snapshot(central, [account({ rootCredentials: null })]))?.recoverable).toBe(true);
  });

  it('an attested rootPasswordRecovered decides, and is named (provenance)', () => {
    const f = one(
      snapshot(central, [account({ rootCredentials: { passwordPresent: false } })]),
      recovered,
    );
    expect(f.known.rootCredentialsRecoverable).toMatchObject({ recoverable: true });
    expect(f.attestationsUsed?.rootCredentialsRecoverable?.[0]).toMatchObject({
      fact: 'rootPasswordRecovered',
      evidence: 'TICKET-9',
    });
  });
});

describe('identityCenterAccess', () => {
  const ic = {
    instanceArn: 'arn:aws:sso:::instance/ssoins-1',
    permissionSets: [
      {
        arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
        name: 'AdministratorAccess',
        accounts: [
          { accountId: MEMBER, assignments: [{ principalType: 'GROUP', principalId: 'g-123' }] },
          { accountId: OTHER },
        ],
      },
    ],
  };

  it('absent: unknown; null (no instance): none', () => {
    expect(one(snapshot()).fixes?.identityCenterAccess).toContain('sso:ListInstances');
    expect(one(snapshot({ identityCenter: null })).known.identityCenterAccess).toEqual({
      items: [],
      summary: 'none',
    });
  });

  it('names the permission set and its principals; unread assignments say so', () => {
    const [member, other] = facts(
      snapshot({ identityCenter: ic }, [account(), account({ id: OTHER })]),
    );
    expect(member!.known.identityCenterAccess).toMatchObject({
      summary: 'AdministratorAccess to GROUP:g-123',
    });
    expect(other!.known.identityCenterAccess).toMatchObject({
      items: [{ permissionSet: 'AdministratorAccess', principals: null }],
      summary: 'AdministratorAccess to (assignments not read)',
    });
  });
});

describe('ramSharesAtRisk', () => {
  const share = (over = {}) => ({
    arn: 'arn:aws:ram:us-east-1:333333333333:resource-share/1',
    name: 'shared-subnets',
    owner: 'OTHER-ACCOUNTS' as const,
    ownerAccountId: OTHER,
    status: 'ACTIVE',
    viaOrganization: true,
    ...over,
  });

  it('absent: unknown with the member role fix', () => {
    expect(one(snapshot()).fixes?.ramSharesAtRisk).toContain('ram:GetResourceShares');
  });

  it('organization shares without retention are at risk (not reported = not retained)', () => {
    const f = one(
      snapshot({}, [
        account({
          ramShares: [
            share(),
            share({ name: 'kept', retainSharingOnAccountLeaveOrganization: true }),
            share({ name: 'direct', viaOrganization: false }),
            share({ name: 'gone', status: 'DELETED' }),
            share({ name: 'mine', owner: 'SELF', retainSharingOnAccountLeaveOrganization: false }),
          ],
        }),
      ]),
    );
    expect((f.known.ramSharesAtRisk as { summary: string }).summary).toBe(
      'shared-subnets (shared by 333333333333); mine (shared by this account)',
    );
  });
});

describe('orgServicesCoverage', () => {
  it('absent: unknown; lists covering services, leaves those with own rules out', () => {
    expect(one(snapshot()).unknown.orgServicesCoverage).toContain('not collected');
    const f = one(
      snapshot({
        trustedServices: [
          'sso.amazonaws.com',
          'guardduty.amazonaws.com',
          'cloudtrail.amazonaws.com',
          'x.amazonaws.com',
        ],
      }),
    );
    expect(
      (f.known.orgServicesCoverage as { items: { servicePrincipal: string }[] }).items.map(
        (i) => i.servicePrincipal,
      ),
    ).toEqual(['cloudtrail.amazonaws.com', 'guardduty.amazonaws.com', 'x.amazonaws.com']);
    expect((f.known.orgServicesCoverage as { summary: string }).summary).toContain(
      'organization trail',
    );
  });
});

describe('orgPoliciesOnPath', () => {
  const policy = (over = {}) => ({
    id: 'p-tag1',
    name: 'CostCenterTags',
    type: 'TAG_POLICY',
    awsManaged: false,
    targets: [OU],
    ...over,
  });

  it('absent: unknown; [] none', () => {
    expect(one(snapshot()).fixes?.orgPoliciesOnPath).toContain('ListTargetsForPolicy');
    expect(one(snapshot({ organizationPolicies: [] })).known.orgPoliciesOnPath).toEqual({
      items: [],
      summary: 'none',
    });
  });

  it('names customer policies on root, OU and account with type; skips AWS managed, SCPs, disabled types, other OUs', () => {
    const f = one(
      snapshot({
        enabledPolicyTypes: ['SERVICE_CONTROL_POLICY', 'TAG_POLICY', 'BACKUP_POLICY'],
        organizationPolicies: [
          policy(),
          policy({ id: 'p-bk1', name: 'DailyBackups', type: 'BACKUP_POLICY', targets: ['r-ab12'] }),
          policy({
            id: 'p-rcp',
            name: 'RCPFullAWSAccess',
            type: 'RESOURCE_CONTROL_POLICY',
            awsManaged: true,
            targets: ['r-ab12'],
          }),
          policy({
            id: 'p-ai',
            name: 'NoAI',
            type: 'AISERVICES_OPT_OUT_POLICY',
            targets: [MEMBER],
          }),
          policy({ id: 'p-other', name: 'Elsewhere', targets: ['ou-ab12-other000'] }),
        ],
      }),
    );
    expect((f.known.orgPoliciesOnPath as { summary: string }).summary).toBe(
      'DailyBackups (BACKUP_POLICY, p-bk1, on r-ab12); CostCenterTags (TAG_POLICY, p-tag1, on ou-ab12-aaaa1111)',
    );
  });

  it('an unfollowable path is unknown, never none', () => {
    const f = one(snapshot({ organizationPolicies: [policy()], organizationalUnits: [] }));
    expect(f.unknown.orgPoliciesOnPath).toContain(OU);
  });
});

describe('savingsPlansOwned', () => {
  it('absent: unknown; lists plans that still run', () => {
    expect(one(snapshot()).fixes?.savingsPlansOwned).toContain('savingsplans:DescribeSavingsPlans');
    const f = one(
      snapshot({}, [
        account({
          savingsPlans: [
            {
              id: 'sp-1',
              state: 'active',
              type: 'Compute',
              commitment: '1.5',
              end: '2027-06-01T00:00:00Z',
            },
            { id: 'sp-2', state: 'retired' },
            { id: 'sp-3', state: 'queued' },
          ],
        }),
      ]),
    );
    expect((f.known.savingsPlansOwned as { summary: string }).summary).toBe(
      'sp-1 (Compute, active, 1.5/h, until 2027-06-01); sp-3 (queued)',
    );
  });
});
