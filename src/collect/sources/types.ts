/**
 * What a source is: one AWS read that fills one snapshot field, for the
 * organization or for each account, from the management account or from the
 * member's assumed role. A source answers an Outcome (src/collect/errors.ts);
 * the runner (src/collect/runner.ts) records its errors and places its value.
 */
import type { LimitFunction } from 'p-limit';
import type { AccountRecord, OrganizationInfo, Snapshot } from '../../snapshot/types.js';
import type { ClientClass, SdkClient, Session } from '../client-pool.js';
import type { Outcome } from '../errors.js';
import type { Operation, SourceId } from './ids.js';

export type { Operation, SourceId } from './ids.js';

/** Whose credentials a source reads with. */
export type Vantage = 'management' | 'member';

/** Where the collector stands: caller, organization, root. */
export interface OrgContext {
  callerAccountId: string;
  organization: OrganizationInfo;
  rootId: string;
  /**
   * Policy types enabled on the root (ListRoots PolicyTypes, PENDING states
   * included); absent when the root did not say.
   */
  policyTypes?: string[];
}

/** What a walk of the organization found, for the sources that build on it. */
export interface Structure {
  /** Root, OUs and accounts SCPs can be attached to; absent when the walk was incomplete. */
  scpTargets?: string[];
  /** The account an error about `target` concerns, when it is not an account itself. */
  accountOf?: (target: string) => string | undefined;
  /** The accounts of the run's scope (every account of a tree walk, or those asked for). */
  accounts?: readonly string[];
}

/** What an organization-scope source is given. */
export interface OrganizationContext {
  org: OrgContext;
  /** `tree`: the whole organization is walked; `paths`: only the requested accounts' paths. */
  mode: 'tree' | 'paths';
  /** A management client (the pool's). */
  client<C extends SdkClient>(Ctor: ClientClass<C>): C;
  /** The shared bound of organization-level calls. */
  limit: LimitFunction;
  /** The walk, which runs beside the organization sources. */
  structure: Promise<Structure>;
  /** Run-wide memo: a read two organization sources need is made once (a failure is not kept). */
  once<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** The account as the walk found it, and what decides a source's vantage. */
export interface AccountView {
  accountId: string;
  record: AccountRecord;
  /** The management account itself (it has no member role to assume). */
  isManagement: boolean;
  /** Service principals with trusted access (absent: unknown). */
  trustedServices: readonly string[] | undefined;
  /** iam:ListOrganizationsFeatures (absent: unknown). */
  rootAccessFeatures: readonly string[] | undefined;
}

/** What an account-scope source is given. */
export interface AccountContext extends AccountView {
  org: OrgContext;
  /** The session of the source's vantage (management, or the member's assumed role). */
  session: Session;
  /** A client signed as `session` (default: the source's). */
  client<C extends SdkClient>(Ctor: ClientClass<C>, session?: Session): C;
  /** The account's root session (sts:AssumeRoot with `taskPolicyArn`, from the management account). */
  rootSession(taskPolicyArn: string): Session;
  /** `--principal` override (its account is replaced by each account's id). */
  principalArn: string | undefined;
  /** false at concurrency 1: the source makes one call at a time. */
  parallel: boolean;
  /** Runs `fn` over `items` in parallel, or one at a time at concurrency 1, keeping their order. */
  each<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]>;
  /** Run-wide memo: `fn` runs once per key (a failure is not kept: another account may succeed). */
  once<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** The organization-level snapshot fields sources fill, in the snapshot's order. */
export const ORG_FIELDS = [
  'policies',
  'delegatedAdministrators',
  'trustedServices',
  'enabledPolicyTypes',
  'organizationPolicies',
  'stackSets',
  'identityCenter',
  'controlTower',
  'rootAccessFeatures',
] as const satisfies readonly (keyof Snapshot)[];

export type OrgField = (typeof ORG_FIELDS)[number];
export type OrgFields = Pick<Snapshot, OrgField>;
type AccountField =
  | 'tags'
  | 'principal'
  | 'contactInformation'
  | 'paidSupportPlan'
  | 'ramShares'
  | 'savingsPlans'
  | 'rootCredentials'
  | 'handshakes';

/** What a run collects only when asked (CollectOptions of the same name). */
export type OnRequest = 'handshakes';

interface SourceMeta {
  id: SourceId;
  /** The operations it calls, as its errors name them (the id among them). */
  operations: readonly Operation[];
}

export interface OrganizationSource<K extends OrgField = OrgField> extends SourceMeta {
  scope: 'organization';
  vantage: 'management';
  /** The snapshot field it fills. */
  field: K;
  collect(ctx: OrganizationContext): Promise<Outcome<Exclude<Snapshot[K], undefined>>>;
}

export interface AccountSource<K extends AccountField = AccountField> extends SourceMeta {
  scope: 'account';
  /** Fixed, or decided per account (contacts come from management under trusted access). */
  vantage: Vantage | ((account: AccountView) => Vantage);
  /** The account record field it fills. */
  field: K;
  /** Collected only when the run asks for it (absent: always). */
  onRequest?: OnRequest;
  /** An Outcome with neither value nor errors: not applicable to this account. */
  collect(ctx: AccountContext): Promise<Outcome<Exclude<AccountRecord[K], undefined>>>;
}

export type Source = OrganizationSource | AccountSource;

/** Type helpers: the field and its value type checked together. */
export const organizationSource = <K extends OrgField>(s: OrganizationSource<K>) => s;
export const accountSource = <K extends AccountField>(s: AccountSource<K>) => s;
