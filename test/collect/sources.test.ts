/**
 * The source registry and the generic client pool: every source is listed
 * once under a typed id that names its own operation, errors map back to
 * sources, and global services are signed for the partition's
 * Organizations region (GovCloud included). Nothing leaves the process.
 */
import { describe, expect, test } from '@jest/globals';
import { AccountClient } from '@aws-sdk/client-account';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { SupportClient } from '@aws-sdk/client-support';
import { createClientPool } from '../../src/collect/index.js';
import { OPERATIONS, SOURCE_IDS, SOURCES, sourceOf } from '../../src/collect/sources/index.js';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };

describe('source registry', () => {
  test('every source id is listed once, registered once, and names one of its own operations', () => {
    const ids = SOURCES.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...SOURCE_IDS].sort());
    for (const s of SOURCES) {
      expect(s.operations).toContain(s.id);
      for (const op of s.operations) expect(OPERATIONS).toContain(op);
    }
  });

  test('an operation belongs to at most one source, so errors[].source maps to a source', () => {
    const owners = new Map<string, string[]>();
    for (const s of SOURCES)
      for (const op of s.operations) owners.set(op, [...(owners.get(op) ?? []), s.id]);
    expect([...owners.entries()].filter(([, o]) => o.length > 1)).toEqual([]);
    expect(sourceOf('iam:GetPolicyVersion')).toBe('iam:GetRole');
    expect(sourceOf('organizations:ListTargetsForPolicy')).toBe('organizations:DescribePolicy');
    expect(sourceOf('account:GetContactInformation')).toBe('account:GetContactInformation');
    // The walks are not sources: their errors name the walk's own calls.
    expect(sourceOf('organizations:ListParents')).toBeUndefined();
  });
});

describe('client pool', () => {
  test('GovCloud: Organizations, IAM, Account and Support are signed for us-gov-west-1, STS stays regional', async () => {
    const pool = createClientPool({ region: 'us-gov-east-1', credentials });
    try {
      expect(pool.globalRegion).toBe('us-gov-west-1');
      const regions = await Promise.all([
        pool.client(OrganizationsClient).config.region(),
        pool.client(IAMClient).config.region(),
        pool.client(AccountClient).config.region(),
        pool.client(SupportClient).config.region(),
      ]);
      expect(regions).toEqual(Array(4).fill('us-gov-west-1'));
      expect(await pool.client(STSClient).config.region()).toBe('us-gov-east-1');
      expect(pool.member('222222222222').roleArn).toBe(
        'arn:aws-us-gov:iam::222222222222:role/OrganizationAccountAccessRole',
      );
    } finally {
      pool.destroy();
    }
  });

  test('commercial: global services in us-east-1 whatever the configured region', async () => {
    const pool = createClientPool({ region: 'eu-west-1', credentials });
    try {
      expect(await pool.client(OrganizationsClient).config.region()).toBe('us-east-1');
      expect(await pool.client(STSClient).config.region()).toBe('eu-west-1');
    } finally {
      pool.destroy();
    }
  });

  test('one client per class and session; a member is signed with its own session; release forgets it', () => {
    const pool = createClientPool({ region: 'us-east-1', credentials });
    try {
      const orgs = pool.client(OrganizationsClient);
      expect(pool.client(OrganizationsClient, pool.management)).toBe(orgs);
      const member = pool.member('222222222222');
      expect(pool.member('222222222222')).toBe(member);
      const memberOrgs = pool.client(OrganizationsClient, member);
      expect(memberOrgs).not.toBe(orgs);
      expect(pool.client(OrganizationsClient, member)).toBe(memberOrgs);
      // The member client asks the member session for credentials, never the management ones.
      expect(memberOrgs.config.credentials).not.toBe(orgs.config.credentials);
      pool.release('222222222222');
      expect(pool.client(OrganizationsClient, pool.member('222222222222'))).not.toBe(memberOrgs);
    } finally {
      pool.destroy();
    }
  });
});
