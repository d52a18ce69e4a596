/**
 * The request context of the future LeaveOrganization call: what we know,
 * what we know is absent, and what cannot be known before the call is made.
 */
import { organizationsRegion, principalFromArn } from './principal.js';
import type { PrincipalContext } from './types.js';

export type ContextValue =
  { kind: 'present'; values: string[] } | { kind: 'absent' } | { kind: 'unknown' };

export const ABSENT: ContextValue = { kind: 'absent' };
export const UNKNOWN: ContextValue = { kind: 'unknown' };

/** Keys whose value is a set (IAM User Guide, "Multivalued context keys"). */
export const MULTIVALUED_KEYS: ReadonlySet<string> = new Set([
  'aws:calledvia',
  'aws:tagkeys',
  'aws:principalorgpaths',
  'aws:resourceorgpaths',
  'aws:sourceorgpaths',
  'aws:principalservicenameslist',
]);

/**
 * Keys that are absent because of how leavegate makes the call (a direct SDK
 * call by the principal, no service acting on its behalf, no tags or resource
 * in a LeaveOrganization request), with the reason shown in `assumptions`.
 */
const ABSENT_BY_CALL: ReadonlyMap<string, string> = new Map([
  ['aws:calledvia', 'leavegate calls LeaveOrganization directly, not through another service'],
  ['aws:calledviafirst', 'leavegate calls LeaveOrganization directly, not through another service'],
  ['aws:calledvialast', 'leavegate calls LeaveOrganization directly, not through another service'],
  ['aws:sourcearn', 'a direct call, not a service acting on behalf of a resource'],
  ['aws:sourceaccount', 'a direct call, not a service acting on behalf of a resource'],
  ['aws:sourceorgid', 'a direct call, not a service acting on behalf of a resource'],
  ['aws:sourceorgpaths', 'a direct call, not a service acting on behalf of a resource'],
  ['aws:principalservicename', 'the caller is an IAM principal, not an AWS service'],
  ['aws:principalservicenameslist', 'the caller is an IAM principal, not an AWS service'],
  ['aws:tagkeys', 'a LeaveOrganization request carries no tags'],
]);

const ABSENT_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['aws:requesttag/', 'a LeaveOrganization request carries no tags'],
  ['aws:resourcetag/', 'LeaveOrganization has no resource type, so no resource tags'],
];

/** Call-dependent keys: named here only to explain why they are unknown. */
const CALL_DEPENDENT_HINT = 'depends on how and when the call is made';

/** Optional concrete values for keys (null = known absent), e.g. from a test or a user who knows them. */
export type ContextOverrides = Readonly<Record<string, string | string[] | null>>;

/** The request context: a lookup from lower-cased key to its value, plus why each key resolved as it did. */
export class RequestContext {
  private readonly known = new Map<string, ContextValue>();
  private readonly reasons = new Map<string, string>();
  private readonly tagsKnown: boolean;

  constructor(
    principal: PrincipalContext,
    extra: { orgPath?: string | undefined; overrides?: ContextOverrides | undefined } = {},
  ) {
    const info = principalFromArn(principal.arn);
    this.set('aws:principalarn', [info.principalArn]);
    if (!info.pathKnown) {
      this.reasons.set(
        'aws:principalarn',
        `${info.principalArn} derived from the session ARN ${principal.arn}; the role's path is not known`,
      );
    }
    // Neither the caller nor the ARN names the account: leave the key unknown, not "".
    const account = principal.accountId || info.accountId;
    if (account !== '') this.set('aws:principalaccount', [account]);
    if (info.principalType !== undefined) this.set('aws:principaltype', [info.principalType]);
    if (info.userName !== undefined) this.set('aws:username', [info.userName]);
    else if (info.kind !== 'unknown') {
      this.known.set('aws:username', ABSENT);
      this.reasons.set('aws:username', 'the principal is not an IAM user');
    }
    this.set('aws:principalisawsservice', ['false']);
    this.reasons.set('aws:principalisawsservice', 'the caller is an IAM principal');
    this.set('aws:viaawsservice', ['false']);
    this.reasons.set('aws:viaawsservice', 'leavegate calls LeaveOrganization directly');
    this.set('aws:securetransport', ['true']);
    this.reasons.set(
      'aws:securetransport',
      'leavegate calls the Organizations endpoint over HTTPS (the only scheme it serves)',
    );
    const region = organizationsRegion(info.partition);
    this.set('aws:requestedregion', [region]);
    this.reasons.set(
      'aws:requestedregion',
      `${region}: the region of the Organizations endpoint LeaveOrganization is sent to`,
    );
    if (principal.orgId !== undefined) {
      this.set('aws:principalorgid', [principal.orgId]);
      if (extra.orgPath !== undefined) this.set('aws:principalorgpaths', [extra.orgPath]);
    }
    this.tagsKnown = principal.tags !== undefined;
    if (principal.tags) {
      for (const [k, v] of Object.entries(principal.tags)) {
        this.set(`aws:principaltag/${k.toLowerCase()}`, [v]);
      }
    }
    for (const [key, reason] of ABSENT_BY_CALL) {
      this.known.set(key, ABSENT);
      this.reasons.set(key, reason);
    }
    if (extra.overrides) {
      for (const [k, v] of Object.entries(extra.overrides)) {
        const key = k.toLowerCase();
        this.known.set(
          key,
          v === null ? ABSENT : { kind: 'present', values: Array.isArray(v) ? v : [v] },
        );
        this.reasons.set(key, 'given by the caller of the evaluator');
      }
    }
  }

  private set(key: string, values: string[]): void {
    this.known.set(key, { kind: 'present', values });
  }

  /** The value of a key (any case). */
  get(key: string): ContextValue {
    const k = key.toLowerCase();
    const v = this.known.get(k);
    if (v !== undefined) return v;
    if (k.startsWith('aws:principaltag/')) return this.tagsKnown ? ABSENT : UNKNOWN;
    for (const [prefix] of ABSENT_PREFIXES) if (k.startsWith(prefix)) return ABSENT;
    // Global keys we cannot settle before the call (MFA, source IP/VPC, time, token age, ...).
    if (k.startsWith('aws:')) return UNKNOWN;
    // LeaveOrganization defines no service-specific condition keys: any other key is absent.
    return ABSENT;
  }

  /** Why a key has the value it has, for `Verdict.assumptions`; undefined for plain facts. */
  reason(key: string): string | undefined {
    const k = key.toLowerCase();
    const r = this.reasons.get(k);
    if (r !== undefined) return r;
    if (this.known.has(k)) return undefined;
    if (k.startsWith('aws:principaltag/'))
      return this.tagsKnown
        ? 'the principal has no such tag'
        : 'the principal tags were not collected';
    for (const [prefix, reason] of ABSENT_PREFIXES) if (k.startsWith(prefix)) return reason;
    if (k.startsWith('aws:')) return CALL_DEPENDENT_HINT;
    return 'LeaveOrganization has no service-specific condition keys';
  }
}

/** A context that answers some keys with fixed values and defers the rest (used to test scenarios). */
export class ScenarioContext {
  constructor(
    private readonly base: RequestContext,
    private readonly fixed: ReadonlyMap<string, ContextValue>,
  ) {}
  get(key: string): ContextValue {
    return this.fixed.get(key.toLowerCase()) ?? this.base.get(key);
  }
}

export interface ContextLookup {
  get(key: string): ContextValue;
}
