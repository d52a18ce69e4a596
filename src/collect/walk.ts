/** What both walks of the organization (whole tree, or requested accounts' paths) produce. */
import type { Account } from '@aws-sdk/client-organizations';
import type { LimitFunction } from 'p-limit';
import type { AccountRecord, OrganizationalUnit } from '../snapshot/types.js';
import type { ClientPool } from './client-pool.js';
import type { OrgContext, Structure } from './sources/types.js';

// The largest page Organizations accepts for every list call we make.
export const PAGE = 20;
export const SCP = 'SERVICE_CONTROL_POLICY';

export interface WalkResult {
  /** Absent when part of the tree (or an OU on a path) could not be read. */
  organizationalUnits?: OrganizationalUnit[];
  accounts: AccountRecord[];
  /** false when some accounts of the organization may be missing from `accounts`. */
  accountsComplete: boolean;
  structure: Structure;
}

export interface WalkInput {
  pool: ClientPool;
  org: OrgContext;
  limit: LimitFunction;
}

function iso(date: Date | undefined): string | undefined {
  return date === undefined ? undefined : date.toISOString();
}

/** Snapshot record of an Organizations Account (without tags or member facts). */
export function accountRecord(a: Account, parentId: string | undefined): AccountRecord {
  const joined = iso(a.JoinedTimestamp);
  const state = a.State ?? a.Status;
  return {
    id: a.Id!,
    ...(a.Name === undefined ? {} : { name: a.Name }),
    ...(a.Email === undefined ? {} : { email: a.Email }),
    ...(a.Arn === undefined ? {} : { arn: a.Arn }),
    ...(state === undefined ? {} : { state }),
    ...(a.JoinedMethod === 'CREATED' || a.JoinedMethod === 'INVITED'
      ? { joinedMethod: a.JoinedMethod }
      : {}),
    ...(joined === undefined ? {} : { joinedTimestamp: joined }),
    ...(parentId === undefined ? {} : { parentId }),
  };
}

export const byId = <T extends { id: string }>(a: T, b: T): number => a.id.localeCompare(b.id);
