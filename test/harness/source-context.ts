/**
 * Contexts for calling one source's `collect` directly in unit tests: a real
 * client pool (its clients are stubbed by aws-sdk-client-mock in the test),
 * the run-wide memo, and an organization with a management account.
 */
import pLimit from 'p-limit';
import { createClientPool } from '../../src/collect/index.js';
import type { ClientPool } from '../../src/collect/index.js';
import type {
  AccountContext,
  OrganizationContext,
  OrgContext,
} from '../../src/collect/sources/index.js';

export const MGMT = '111111111111';
export const MEMBER = '222222222222';
export const OTHER = '333333333333';

export function testPool(): ClientPool {
  return createClientPool({
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
    region: 'us-east-1',
  });
}

function memo() {
  const m = new Map<string, Promise<unknown>>();
  return <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    let p = m.get(key) as Promise<T> | undefined;
    if (p === undefined) m.set(key, (p = fn()));
    return p;
  };
}

export function orgContext(
  pool: ClientPool,
  over: Partial<OrgContext> = {},
  scope: string[] = [MEMBER],
): OrganizationContext {
  return {
    org: {
      callerAccountId: MGMT,
      organization: {
        id: 'o-abc1234567',
        featureSet: 'ALL',
        managementAccountId: MGMT,
        scpEnabled: true,
      },
      rootId: 'r-ab12',
      policyTypes: ['SERVICE_CONTROL_POLICY'],
      ...over,
    },
    mode: 'tree',
    client: (Ctor) => pool.client(Ctor),
    limit: pLimit(4),
    structure: Promise.resolve({ accounts: scope }),
    once: memo(),
  };
}

export function accountContext(
  pool: ClientPool,
  accountId: string,
  over: Partial<Pick<AccountContext, 'rootAccessFeatures' | 'trustedServices'>> = {},
  vantage: 'management' | 'member' = 'management',
): AccountContext {
  const session = vantage === 'member' ? pool.member(accountId) : pool.management;
  return {
    accountId,
    record: { id: accountId, state: 'ACTIVE' },
    isManagement: accountId === MGMT,
    trustedServices: [],
    rootAccessFeatures: [],
    ...over,
    org: orgContext(pool).org,
    session,
    client: (Ctor, as = session) => pool.client(Ctor, as),
    rootSession: (taskPolicyArn) => pool.root(accountId, taskPolicyArn),
    principalArn: undefined,
    parallel: true,
    each: (items, fn) => Promise.all(items.map(fn)),
    once: memo(),
  };
}
