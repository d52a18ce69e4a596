/** Live collection from AWS: the only code (with the executor's AWS port) that imports @aws-sdk/*. */
import type { Snapshot } from '../snapshot/types.js';

export interface CollectOptions {
  /** Every account of the organization, or just these ids (only their paths are read). */
  scope: { all: true } | { accounts: string[] };
  /** Role assumed in each member account (default OrganizationAccountAccessRole). */
  memberRole: string;
  externalId?: string;
  /** Principal to collect for P4 (default: the member role in each account). */
  principalArn?: string;
  /** Skip member-side calls (management view only). */
  skipMember?: boolean;
  profile?: string;
  region?: string;
  /** Bounded concurrency across accounts (default 8). */
  concurrency: number;
  /** Show a progress bar on stderr (only when stderr is a TTY). */
  progress: boolean;
}

/** Collects a snapshot v1 from AWS. Per-account failures land in `errors[]`. */
export function collect(_options: CollectOptions): Promise<Snapshot> {
  return Promise.reject(new Error('live collection not built yet'));
}
