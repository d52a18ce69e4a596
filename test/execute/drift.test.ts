import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { appendAuditRecord } from '../../src/execute/audit.js';
import { changedParts, factsFingerprint } from '../../src/execute/drift.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { demoSnapshot } from './helpers.js';

// retail-storefront-prod, under r-demo / ou-demo-dvst0001 / ou-demo-rtl00001.
const ACCOUNT = '200000000002';

function changed(mutate: (s: Snapshot) => void): string[] {
  const before = demoSnapshot();
  const after = demoSnapshot();
  mutate(after);
  return changedParts(factsFingerprint(before, ACCOUNT), factsFingerprint(after, ACCOUNT));
}

const account = (s: Snapshot, id = ACCOUNT) => s.accounts.find((a) => a.id === id)!;

describe('facts fingerprint (drift check)', () => {
  it('is stable across collections that differ only in order and collection time', () => {
    expect(
      changed((s) => {
        s.collectedAt = '2030-01-01T00:00:00Z';
        s.accounts.reverse();
        s.policies!.reverse();
        for (const p of s.policies!) p.targets.reverse();
        account(s).tags!.reverse();
        s.organizationalUnits!.reverse();
        s.errors = s.errors.map((e) => ({ ...e, message: `${e.message} (request id 123)` }));
        // Key order of an object does not matter either.
        const a = account(s);
        const copy = Object.fromEntries(Object.entries(a).reverse());
        s.accounts[s.accounts.indexOf(a)] = copy as typeof a;
      }),
    ).toEqual([]);
  });

  it('names what changed for the account', () => {
    expect(changed((s) => account(s).tags!.push({ key: 'x', value: 'y' }))).toEqual(['account']);
    expect(changed((s) => (account(s).state = 'SUSPENDED'))).toEqual(['account']);
    expect(changed((s) => (account(s).parentId = 'ou-demo-prod0001'))).toContain('ouPath');
    expect(changed((s) => (account(s).contactInformation = null))).toEqual(['account']);
    expect(
      changed((s) =>
        s.delegatedAdministrators!.push({
          accountId: ACCOUNT,
          servicePrincipal: 'guardduty.amazonaws.com',
        }),
      ),
    ).toEqual(['delegatedAdministrators']);
    expect(changed((s) => (s.organization!.managementAccountId = '999999999999'))).toEqual([
      'organization',
    ]);
    expect(
      changed((s) =>
        s.errors.push({
          accountId: ACCOUNT,
          source: 'account:GetContactInformation',
          code: 'AccessDeniedException',
          message: 'x',
        }),
      ),
    ).toEqual(['errors']);
  });

  it('sees organization-level collection errors and trusted services (what facts and plugins read)', () => {
    expect(
      changed((s) =>
        s.errors.push({
          source: 'organizations:ListAWSServiceAccessForOrganization',
          code: 'AccessDeniedException',
          message: 'denied',
        }),
      ),
    ).toEqual(['errors']);
    expect(changed((s) => delete s.trustedServices)).toEqual(['organization']);
  });

  it('sees an SCP attached on the path, or edited, but not one attached elsewhere', () => {
    const deny = (s: Snapshot) => s.policies!.find((p) => p.id === 'p-denyleave01')!;
    expect(changed((s) => deny(s).targets.push('ou-demo-rtl00001'))).toEqual(['policies']);
    expect(changed((s) => deny(s).targets.push(ACCOUNT))).toEqual(['policies']);
    expect(changed((s) => deny(s).targets.push('300000000013'))).toEqual([]);
    const full = (s: Snapshot) => s.policies!.find((p) => p.id === 'p-FullAWSAccess')!;
    expect(changed((s) => ((full(s).document as { Statement: unknown[] }).Statement = []))).toEqual(
      ['policies'],
    );
  });

  it('ignores changes to other accounts', () => {
    expect(changed((s) => account(s, '300000000013').tags!.push({ key: 'x', value: 'y' }))).toEqual(
      [],
    );
    expect(
      changed((s) => s.accounts.splice(s.accounts.indexOf(account(s, '300000000007')), 1)),
    ).toEqual([]);
  });

  it('tells "not collected" apart from "none" (fail closed on a thinner recollection)', () => {
    expect(changed((s) => delete s.policies)).toEqual(['policies']);
    expect(changed((s) => delete account(s).tags)).toEqual(['account']);
    expect(changed((s) => s.accounts.splice(s.accounts.indexOf(account(s)), 1))).toEqual(
      expect.arrayContaining(['account', 'ouPath']),
    );
  });
});

describe('audit log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leavegate-audit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('appends one JSON line per record, creating the directory', async () => {
    const file = join(dir, 'nested', 'audit.jsonl');
    const base = {
      schemaVersion: 1 as const,
      time: '2026-11-28T12:00:00Z',
      runId: 'r',
      accountId: ACCOUNT,
    };
    await appendAuditRecord(file, {
      ...base,
      event: 'leave.decision',
      tool: { name: 'leavegate', version: '0' },
      decision: 'leave',
      reasons: ['line\nbreak'],
    });
    await appendAuditRecord(file, {
      ...base,
      event: 'leave.outcome',
      outcome: 'left',
      attempts: 1,
      verified: true,
      requestId: 'req',
    });
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0]!)).toMatchObject({ decision: 'leave', reasons: ['line\nbreak'] });
    expect(JSON.parse(lines[1]!)).toMatchObject({ outcome: 'left', requestId: 'req' });
  });
});
