/**
 * The request context of a future call (by default LeaveOrganization): what we know,
 * what we know is absent, and what cannot be known before the call is made.
 */
import { LEAVE_ACTION, type ResolvedRequest } from './actions.js';
import { organizationsRegion } from '../arn.js';
import { principalFromArn } from './principal.js';
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
 * in the request), with the reason shown in `assumptions`.
 */
function absentByCall(action: string): ReadonlyMap<string, string> {
  const direct = `leavegate calls ${action} directly, not through another service`;
  const noSource = 'a direct call, not a service acting on behalf of a resource';
  const notService = 'the caller is an IAM principal, not an AWS service';
  return new Map([
    ['aws:calledvia', direct],
    ['aws:calledviafirst', direct],
    ['aws:calledvialast', direct],
    ['aws:sourcearn', noSource],
    ['aws:sourceaccount', noSource],
    ['aws:sourceorgid', noSource],
    ['aws:sourceorgpaths', noSource],
    ['aws:principalservicename', notService],
    ['aws:principalservicenameslist', notService],
    ['aws:tagkeys', `a ${action} request carries no tags`],
  ]);
}

function absentPrefixes(request: ResolvedRequest): ReadonlyArray<readonly [string, string]> {
  return [
    ['aws:requesttag/', `a ${shortName(request.action)} request carries no tags`],
    [
      'aws:resourcetag/',
      request.resource === '*'
        ? `${shortName(request.action)} has no resource type, so no resource tags`
        : `${request.resource} has no tags before the call`,
    ],
  ];
}

/** `LeaveOrganization` for `organizations:LeaveOrganization`: how the reasons name the call. */
function shortName(action: string): string {
  return action.slice(action.indexOf(':') + 1);
}

/** Call-dependent keys: named here only to explain why they are unknown. */
const CALL_DEPENDENT_HINT = 'depends on how and when the call is made';

/** Optional concrete values for keys (null = known absent), e.g. from a test or a user who knows them. */
export type ContextOverrides = Readonly<Record<string, string | string[] | null>>;

/** The request context: a lookup from lower-cased key to its value, plus why each key resolved as it did. */
export class RequestContext {
  private readonly known = new Map<string, ContextValue>();
  private readonly reasons = new Map<string, string>();
  private readonly tagsKnown: boolean;
  private readonly request: ResolvedRequest;
  private readonly prefixes: ReadonlyArray<readonly [string, string]>;

  constructor(
    principal: PrincipalContext,
    extra: {
      orgPath?: string | undefined;
      overrides?: ContextOverrides | undefined;
      request?: ResolvedRequest | undefined;
    } = {},
  ) {
    const request = extra.request ?? { action: LEAVE_ACTION, resource: '*', keys: [], unknown: [] };
    this.request = request;
    this.prefixes = absentPrefixes(request);
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
    this.reasons.set('aws:viaawsservice', `leavegate calls ${shortName(request.action)} directly`);
    this.set('aws:securetransport', ['true']);
    this.reasons.set(
      'aws:securetransport',
      'leavegate calls the Organizations endpoint over HTTPS (the only scheme it serves)',
    );
    const region = organizationsRegion(info.partition);
    this.set('aws:requestedregion', [region]);
    this.reasons.set(
      'aws:requestedregion',
      `${region}: the region of the Organizations endpoint ${shortName(request.action)} is sent to`,
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
    for (const [key, reason] of absentByCall(shortName(request.action))) {
      this.known.set(key, ABSENT);
      this.reasons.set(key, reason);
    }
    this.applyRequest(request);
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

  /** What this action's request carries, and what is unknown about it in particular. */
  private applyRequest(request: ResolvedRequest): void {
    for (const { key, value, reason } of request.keys) {
      const k = key.toLowerCase();
      this.known.set(
        k,
        value === null
          ? ABSENT
          : { kind: 'present', values: Array.isArray(value) ? value : [value] },
      );
      this.reasons.set(k, reason);
    }
    for (const { key, reason } of request.unknown) {
      this.known.set(key.toLowerCase(), UNKNOWN);
      this.reasons.set(key.toLowerCase(), reason);
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
    for (const [prefix] of this.prefixes) if (k.startsWith(prefix)) return ABSENT;
    // Global keys we cannot settle before the call (MFA, source IP/VPC, time, token age, ...).
    if (k.startsWith('aws:')) return UNKNOWN;
    // Service-specific keys the request carries are set above (iam:AWSServiceName for the
    // service-linked role); LeaveOrganization and AcceptHandshake define none: absent.
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
    for (const [prefix, reason] of this.prefixes) if (k.startsWith(prefix)) return reason;
    if (k.startsWith('aws:')) return CALL_DEPENDENT_HINT;
    const name = shortName(this.request.action);
    return this.request.keys.length === 0
      ? `${name} has no service-specific condition keys`
      : `a ${name} request carries no such key`;
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
