import { beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { evaluateSnapshot, loadGateConfig, type GateConfig } from '../../src/check.js';
import { deriveFacts } from '../../src/facts/derive.js';
import { validateReport } from '../../src/report/json.js';
import type { RuleResult } from '../../src/report/types.js';
import type { Attestation, Attestations } from '../../src/facts/types.js';
import type { AccountRecord, Snapshot } from '../../src/snapshot/types.js';
import { orgSnapshot } from '../fixtures/organization.js';

const FULL_ACCESS = {
  id: 'p-FullAWSAccess',
  name: 'FullAWSAccess',
  awsManaged: true,
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};
const ADMIN = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};
const MEMBER = '222222222222';
const NOW = new Date('2026-11-28T12:00:00Z');

function account(over: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id: MEMBER,
    name: 'payments-prod',
    state: 'ACTIVE',
    joinedMethod: 'CREATED',
    joinedTimestamp: '2026-01-02T03:04:05Z',
    parentId: 'ou-ab12-aaaa1111',
    tags: [{ key: 'CostCenter', value: '42' }],
    principal: {
      arn: `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`,
      tags: {},
      identityPolicies: [ADMIN],
      permissionsBoundary: null,
    },
    contactInformation: {
      fullName: 'Jane',
      addressLine1: '1 Main St',
      city: 'Springfield',
      postalCode: '12345',
      countryCode: 'US',
      phoneNumber: '+15555550100',
      verificationStatus: 'VERIFIED',
    },
    paidSupportPlan: false,
    ...over,
  };
}

function snapshot(accounts: AccountRecord[], over: Partial<Snapshot> = {}): Snapshot {
  return orgSnapshot(accounts, {
    collectedAt: NOW.toISOString(),
    policies: [{ ...FULL_ACCESS, targets: ['r-ab12', 'ou-ab12-aaaa1111', MEMBER, '111111111111'] }],
    delegatedAdministrators: [],
    ...over,
  });
}

function attest(
  fact: Attestation['fact'],
  value: boolean,
  over: Partial<Attestation> = {},
): Attestations {
  return {
    schemaVersion: 1,
    attestations: [
      {
        accountId: MEMBER,
        fact,
        value,
        attestedBy: 'jane@example.com',
        attestedAt: '2026-11-20T00:00:00Z',
        expiresAt: '2026-12-20T00:00:00Z',
        ...over,
      },
    ],
  };
}

function one(snap: Snapshot, attestations?: Attestations, now: Date = NOW) {
  const [facts] = deriveFacts(snap, attestations, { now });
  return facts!;
}

describe('deriveFacts', () => {
  it('computes ouPath root first and the management flag', () => {
    const f = one(snapshot([account()]));
    expect(f.known.account).toMatchObject({ id: MEMBER, ouPath: ['r-ab12', 'ou-ab12-aaaa1111'] });
    expect(f.known.isManagementAccount).toBe(false);
    const mgmt = one(snapshot([account({ id: '111111111111', parentId: 'r-ab12' })]));
    expect(mgmt.known.isManagementAccount).toBe(true);
  });

  it('daysSinceJoined: exactly 4 days vs 3 days 23:59:59', () => {
    const joined = '2026-11-24T12:00:00Z';
    expect(one(snapshot([account({ joinedTimestamp: joined })])).known.daysSinceJoined).toBe(4);
    const almost = one(snapshot([account({ joinedTimestamp: '2026-11-24T12:00:01Z' })])).known
      .daysSinceJoined as number;
    expect(almost).toBeLessThan(4);
    expect(almost).toBeGreaterThan(3.9999);
  });

  it('uses the given evaluation time, not the wall clock', () => {
    const f = one(
      snapshot([account({ joinedTimestamp: '2026-11-27T12:00:00Z' })]),
      undefined,
      new Date('2026-12-01T12:00:00Z'),
    );
    expect(f.known.daysSinceJoined).toBe(4);
  });

  it('absent fields are unknown with the collection error as reason; null is a known none', () => {
    const a = account();
    delete a.contactInformation;
    delete a.tags;
    const snap = snapshot([a], {
      errors: [
        {
          accountId: MEMBER,
          source: 'account:GetContactInformation',
          code: 'AccessDeniedException',
          message: 'no',
        },
      ],
    });
    const f = one(snap);
    expect(f.unknown.contactInformation).toContain(
      'AccessDeniedException from account:GetContactInformation',
    );
    expect(f.unknown.tags).toBeDefined();
    expect('contactInformation' in f.known).toBe(false);
    const none = one(snapshot([account({ contactInformation: null })]));
    expect(none.known.contactInformation).toBeNull();
  });

  it('delegated administrators not collected -> unknown; collected -> the services', () => {
    expect(
      one(snapshot([account()], { delegatedAdministrators: undefined as never })).unknown
        .delegatedAdminServices,
    ).toBeDefined();
    const snap = snapshot([account()], {
      delegatedAdministrators: [{ accountId: MEMBER, servicePrincipal: 'guardduty.amazonaws.com' }],
    });
    expect(one(snap).known.delegatedAdminServices).toEqual(['guardduty.amazonaws.com']);
  });

  describe('attestations', () => {
    it('a valid attestation is exposed under attested', () => {
      expect(
        one(snapshot([account()]), attest('paymentMethodPresent', true)).known.attested,
      ).toEqual({ paymentMethodPresent: true });
    });

    it('expired and not-yet-valid attestations are ignored and listed', () => {
      const expired = one(
        snapshot([account()]),
        attest('paymentMethodPresent', true, { expiresAt: '2026-11-28T11:59:59Z' }),
      );
      expect(expired.known.attested).toEqual({});
      expect(expired.ignoredAttestations[0]).toMatchObject({
        reason: 'expired',
        fact: 'paymentMethodPresent',
      });
      const future = one(
        snapshot([account()]),
        attest('paymentMethodPresent', true, { attestedAt: '2026-11-29T00:00:00Z' }),
      );
      expect(future.known.attested).toEqual({});
      expect(future.ignoredAttestations[0]?.reason).toBe('not-yet-valid');
    });

    it('UNVERIFIED from the API beats an attested phoneVerified', () => {
      const a = account();
      a.contactInformation = { ...a.contactInformation, verificationStatus: 'UNVERIFIED' };
      const f = one(snapshot([a]), attest('phoneVerified', true));
      expect(f.known.phoneVerified).toBe(false);
      expect(f.known.attested).toEqual({});
      expect(f.ignoredAttestations[0]?.reason).toBe('contradicted-by-api');
    });

    it('NOT_SUPPORTED or a missing status lets the attestation decide', () => {
      for (const status of ['NOT_SUPPORTED', undefined]) {
        const a = account();
        const { verificationStatus: _drop, ...rest } = a.contactInformation!;
        a.contactInformation =
          status === undefined ? rest : { ...rest, verificationStatus: status };
        expect(one(snapshot([a]), attest('phoneVerified', true)).known.phoneVerified).toBe(true);
        expect(one(snapshot([a])).unknown.phoneVerified).toBeDefined();
      }
    });

    it('support plan: paid plan seen wins; otherwise the attestation; otherwise unknown', () => {
      expect(
        one(snapshot([account({ paidSupportPlan: true })]), attest('supportPlanChosen', false))
          .known.supportPlanChosen,
      ).toBe(true);
      expect(
        one(snapshot([account()]), attest('supportPlanChosen', true)).known.supportPlanChosen,
      ).toBe(true);
      expect(one(snapshot([account()])).unknown.supportPlanChosen).toContain('Basic');
    });
  });

  describe('policy verdicts', () => {
    it('an allowed chain and an admin role give allowed verdicts', () => {
      const f = one(snapshot([account()]));
      expect((f.known.scpVerdict as { decision: string }).decision).toBe('allowed');
      expect((f.known.principalVerdict as { decision: string }).decision).toBe('allowed');
    });

    it('a missing OU on the path makes the SCP verdict unknown, never allowed', () => {
      const f = one(snapshot([account({ parentId: 'ou-ab12-zzzz9999' })]));
      expect(f.unknown.scpVerdict).toContain('ou-ab12-zzzz9999');
      expect(f.known.scpVerdict).toBeUndefined();
    });

    it('policies not collected -> unknown', () => {
      const snap = snapshot([account()]);
      delete snap.policies;
      expect(one(snap).unknown.scpVerdict).toBeDefined();
    });

    it('a malformed SCP is unknown (error), not pass', () => {
      const snap = snapshot([account()]);
      snap.policies!.push({
        id: 'p-broken0001',
        name: 'Broken',
        awsManaged: false,
        document: 'not a policy',
        targets: [MEMBER],
      });
      const f = one(snap);
      expect(f.unknown.scpVerdict).toMatch(/could not be evaluated/);
    });

    it('--principal other than the collected one: identity policies unknown', () => {
      const [f] = deriveFacts(snapshot([account()]), undefined, {
        now: NOW,
        principalArn: 'arn:aws:iam::999999999999:role/ops/Leaver',
      });
      expect(f!.unknown.principalVerdict).toContain(`arn:aws:iam::${MEMBER}:role/ops/Leaver`);
      expect((f!.known.scpVerdict as { decision: string }).decision).toBe('allowed');
    });

    it('the identity side knows aws:PrincipalOrgPaths from the tree', () => {
      const a = account();
      a.principal!.identityPolicies = [
        {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'organizations:LeaveOrganization',
              Resource: '*',
              Condition: {
                'ForAnyValue:StringLike': {
                  'aws:PrincipalOrgPaths': ['o-abc1234567/r-ab12/ou-ab12-aaaa1111/*'],
                },
              },
            },
          ],
        },
      ];
      expect((one(snapshot([a])).known.principalVerdict as { decision: string }).decision).toBe(
        'allowed',
      );
      a.parentId = 'r-ab12';
      expect((one(snapshot([a])).known.principalVerdict as { decision: string }).decision).toBe(
        'implicitDeny',
      );
    });

    it('a session ARN as principal gives no SCP verdict (the role path is unknown)', () => {
      const [f] = deriveFacts(snapshot([account()]), undefined, {
        now: NOW,
        principalArn: `arn:aws:sts::${MEMBER}:assumed-role/BreakGlass/jane`,
      });
      expect(f!.known.scpVerdict).toBeUndefined();
      expect(f!.unknown.scpVerdict).toContain('not an IAM role or user ARN');
      expect(f!.unknown.principalVerdict).toBeDefined();
    });

    it('identity policies not collected -> unknown', () => {
      const a = account();
      delete a.principal!.identityPolicies;
      expect(one(snapshot([a])).unknown.principalVerdict).toBeDefined();
    });
  });

  it('plugin facts: a value, undefined (unknown) and a throw (unknown with the error)', () => {
    const [f] = deriveFacts(snapshot([account()]), undefined, {
      now: NOW,
      pluginFacts: {
        owner: (acc) => acc.tags?.find((t) => t.key === 'CostCenter')?.value,
        missing: () => undefined,
        broken: () => {
          throw new Error('boom');
        },
      },
    });
    expect(f!.known.owner).toBe('42');
    expect(f!.unknown.missing).toBeDefined();
    expect(f!.unknown.broken).toContain('boom');
  });
});

describe('the built-in rules on derived facts', () => {
  let config: GateConfig;
  beforeAll(async () => {
    config = await loadGateConfig({});
  });

  /** Every rule result of the one account, by rule id; the report must validate. */
  async function results(snap: Snapshot, attestations?: Attestations) {
    const report = await evaluateSnapshot(snap, createHash('sha256').update('').digest('hex'), {
      ...config,
      attestations,
      now: NOW,
    });
    const valid = validateReport(JSON.parse(JSON.stringify(report)));
    expect(valid.ok ? [] : valid.issues).toEqual([]);
    return new Map<string, RuleResult>(report.accounts[0]!.rules.map((r) => [r.id, r]));
  }

  /** Several attestations for the member (each as `attest` builds one). */
  function several(...list: [Attestation['fact'], boolean, Partial<Attestation>][]): Attestations {
    return {
      schemaVersion: 1,
      attestations: list.map(([fact, value, over]) => attest(fact, value, over).attestations[0]!),
    };
  }

  const JANE = {
    attestedBy: 'jane@example.com',
    attestedAt: '2026-11-20T00:00:00Z',
    evidence: 'TICKET-1',
  };
  const BOB = {
    attestedBy: 'bob@example.com',
    attestedAt: '2026-11-25T00:00:00Z',
    evidence: 'TICKET-2',
  };

  describe('contradictory attestations', () => {
    it('make the rule unknown, naming both, whatever their order or dates', async () => {
      const messages: string[] = [];
      for (const list of [
        several(['paymentMethodPresent', true, JANE], ['paymentMethodPresent', false, BOB]),
        several(['paymentMethodPresent', false, BOB], ['paymentMethodPresent', true, JANE]),
        // the true one newer, the false one older: still no winner
        several(
          ['paymentMethodPresent', true, { ...JANE, attestedAt: '2026-11-27T00:00:00Z' }],
          ['paymentMethodPresent', false, { ...BOB, attestedAt: '2026-11-01T00:00:00Z' }],
        ),
      ]) {
        const r = (await results(snapshot([account()]), list)).get('payment-method-present')!;
        expect(r.status).toBe('unknown');
        for (const s of ['jane@example.com', 'TICKET-1', 'bob@example.com', 'TICKET-2'])
          expect(r.message).toContain(s);
        expect(r.message).toMatch(
          /true by jane@example\.com at 2026-11-2\dT.*false by bob@example\.com at 2026-11-\d\dT/,
        );
        expect(r.remediation).toContain('resolve the contradiction');
        expect(r.attestations).toBeUndefined();
        messages.push(r.message);
      }
      expect(messages[1]).toBe(messages[0]);
    });

    it('leave a fact the API cannot decide unknown (phoneVerified with NOT_SUPPORTED)', () => {
      const a = account();
      a.contactInformation = { ...a.contactInformation, verificationStatus: 'NOT_SUPPORTED' };
      const f = one(
        snapshot([a]),
        several(['phoneVerified', false, BOB], ['phoneVerified', true, JANE]),
      );
      expect(f.known.phoneVerified).toBeUndefined();
      expect(f.unknown.phoneVerified).toContain('contradict each other');
      expect(f.unknown.phoneVerified).toContain('TICKET-1');
      expect(f.unknown.phoneVerified).toContain('TICKET-2');
      expect(f.ignoredAttestations).toEqual([
        expect.objectContaining({ fact: 'phoneVerified', reason: 'contradictory' }),
      ]);
    });

    it('two that agree decide, and both are named', async () => {
      const r = (
        await results(
          snapshot([account()]),
          several(['paymentMethodPresent', true, BOB], ['paymentMethodPresent', true, JANE]),
        )
      ).get('payment-method-present')!;
      expect(r.status).toBe('pass');
      expect(r.attestations?.map((a) => a.attestedBy)).toEqual([
        'jane@example.com',
        'bob@example.com',
      ]);
    });
  });

  describe('provenance: a result an attestation decided names it', () => {
    it('attested.<fact>, and derived facts decided by an attestation', async () => {
      const a = account({ paidSupportPlan: false });
      a.contactInformation = { ...a.contactInformation, verificationStatus: 'NOT_SUPPORTED' };
      const byId = await results(
        snapshot([a]),
        several(
          ['paymentMethodPresent', false, JANE],
          ['phoneVerified', true, BOB],
          ['supportPlanChosen', true, { attestedBy: 'ops@example.com' }],
        ),
      );
      expect(byId.get('payment-method-present')).toMatchObject({
        status: 'fail',
        attestations: [
          {
            fact: 'paymentMethodPresent',
            value: false,
            attestedBy: 'jane@example.com',
            attestedAt: '2026-11-20T00:00:00Z',
            expiresAt: '2026-12-20T00:00:00Z',
            evidence: 'TICKET-1',
          },
        ],
      });
      expect(byId.get('phone-verified')).toMatchObject({
        status: 'pass',
        attestations: [{ fact: 'phoneVerified', attestedBy: 'bob@example.com' }],
      });
      expect(byId.get('support-plan-chosen')).toMatchObject({
        status: 'pass',
        attestations: [{ fact: 'supportPlanChosen', attestedBy: 'ops@example.com' }],
      });
      expect(byId.get('account-active')?.attestations).toBeUndefined();
      expect(byId.get('contact-info-complete')?.attestations).toBeUndefined();
    });

    it('an attestation the API overrules decided nothing', async () => {
      const byId = await results(
        snapshot([account({ paidSupportPlan: true })]),
        several(['phoneVerified', true, JANE], ['supportPlanChosen', true, BOB]),
      );
      expect(byId.get('phone-verified')).toMatchObject({ status: 'pass' });
      expect(byId.get('phone-verified')?.attestations).toBeUndefined();
      expect(byId.get('support-plan-chosen')?.attestations).toBeUndefined();
    });
  });

  describe('blank contact fields are not contact information', () => {
    const blanks: [string, string][] = [
      ['spaces', '   '],
      ['tabs and newlines', '\t\r\n'],
      ['a NUL', '\u0000'],
      ['control characters', '\u0007\u001b'],
      ['a zero-width space and a no-break space', '\u200b\u00a0'],
    ];
    it.each(blanks)('%s fail contact-info-complete', async (_what, blank) => {
      for (const field of [
        'fullName',
        'addressLine1',
        'city',
        'postalCode',
        'countryCode',
        'phoneNumber',
      ]) {
        const a = account();
        a.contactInformation = { ...a.contactInformation, [field]: blank };
        const r = (await results(snapshot([a]))).get('contact-info-complete')!;
        expect([field, r.status]).toEqual([field, 'fail']);
      }
    });

    it('visible text is kept as it is', () => {
      const a = account();
      a.contactInformation = { ...a.contactInformation, fullName: ' Jane ', city: '\u200bX' };
      expect(one(snapshot([a])).known.contactInformation).toMatchObject({
        fullName: ' Jane ',
        city: '\u200bX',
        verificationStatus: 'VERIFIED',
      });
    });
  });

  describe('an unknown says how to fix what could not be read', () => {
    it('access denied on account:GetContactInformation: the permission or the trusted access', async () => {
      const a = account();
      delete a.contactInformation;
      const byId = await results(
        snapshot([a], {
          errors: [
            {
              accountId: MEMBER,
              source: 'account:GetContactInformation',
              code: 'AccessDeniedException',
              message: 'not authorized',
            },
          ],
        }),
      );
      const contact = byId.get('contact-info-complete')!;
      expect(contact.status).toBe('unknown');
      expect(contact.remediation).toBe(
        'grant account:GetContactInformation to the caller, or enable trusted access for account.amazonaws.com (aws organizations enable-aws-service-access --service-principal account.amazonaws.com)',
      );
      // phone verification is read from the same call: the same fix, or attest it
      expect(byId.get('phone-verified')?.remediation).toContain(
        'grant account:GetContactInformation to the caller',
      );
      expect(byId.get('phone-verified')?.remediation).toContain('"fact": "phoneVerified"');
    });

    it('a missing attestation: how to attest it in the attestations file', async () => {
      const r = (await results(snapshot([account()]))).get('billing-access-enabled')!;
      expect(r.status).toBe('unknown');
      expect(r.remediation).toContain(
        `{"accountId": "${MEMBER}", "fact": "billingAccessEnabled", "value": true`,
      );
      expect(r.remediation).toContain('attestations file');
    });

    it('sts:AssumeRole denied names the member role; throttling says collect again', () => {
      const a = account();
      delete a.paidSupportPlan;
      delete a.contactInformation;
      const f = one(
        snapshot([a], {
          errors: [
            { accountId: MEMBER, source: 'sts:AssumeRole', code: 'AccessDenied', message: 'no' },
          ],
        }),
      );
      expect(f.fixes?.paidSupportPlan).toContain(
        `assume arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`,
      );
      const untagged = account();
      delete untagged.tags;
      const t = one(
        snapshot([untagged], {
          errors: [
            {
              accountId: MEMBER,
              source: 'organizations:ListTagsForResource',
              code: 'TooManyRequestsException',
              message: 'slow down',
            },
          ],
        }),
      );
      expect(t.fixes?.tags).toContain('throttled');
      expect(t.fixes?.tags).toContain('--concurrency');
    });

    it('a rule failing on the facts keeps its own remediation', async () => {
      const r = (await results(snapshot([account({ state: 'SUSPENDED' })]))).get('account-active')!;
      expect(r.status).toBe('fail');
      expect(r.remediation).toBe(
        config.packs[0]!.rules.find((x) => x.id === 'account-active')!.remediation,
      );
    });
  });
});
