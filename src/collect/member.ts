/**
 * The member view of one account: the principal that will call
 * LeaveOrganization (path, tags, identity policies, boundary), contact
 * information with its phone verification status, and whether a paid support
 * plan is visible. Each failure is an `errors[]` entry and leaves its field absent.
 */
import { GetContactInformationCommand } from '@aws-sdk/client-account';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  GetGroupPolicyCommand,
  paginateListAttachedGroupPolicies,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListGroupPolicies,
  paginateListGroupsForUser,
  paginateListRolePolicies,
  paginateListUserPolicies,
} from '@aws-sdk/client-iam';
import type { IAMClient, Tag as IamTag } from '@aws-sdk/client-iam';
import { DescribeSeverityLevelsCommand } from '@aws-sdk/client-support';
import type { JsonValue } from '../json.js';
import type { CollectionError, ContactInformation, PrincipalInfo } from '../snapshot/types.js';
import type { ClientPool, MemberSession } from './client-pool.js';
import { errorCode, toCollectionError } from './errors.js';

/** A failed call with the `service:Operation` it came from. */
class SourcedError extends Error {
  constructor(
    readonly source: string,
    override readonly cause: unknown,
  ) {
    super(source);
  }
}

async function call<T>(source: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new SourcedError(source, err);
  }
}

function record(
  errors: CollectionError[],
  err: unknown,
  accountId: string,
  fallback: string,
): void {
  if (err instanceof SourcedError) errors.push(toCollectionError(err.cause, err.source, accountId));
  else errors.push(toCollectionError(err, fallback, accountId));
}

async function allPages<P, T>(
  pages: AsyncIterable<P>,
  items: (page: P) => T[] | undefined,
): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}

/** IAM returns policy documents URL-encoded. */
export function parsePolicyDocument(raw: string | undefined): JsonValue {
  if (raw === undefined) return null;
  let text = raw;
  try {
    text = decodeURIComponent(raw);
  } catch {
    // already decoded (some emulators return plain JSON)
  }
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/** Documents of AWS managed policies are the same in every account: fetched once per run. */
export type ManagedPolicyCache = Map<string, Promise<JsonValue>>;

async function managedPolicyDocument(
  iam: IAMClient,
  arn: string,
  cache: ManagedPolicyCache,
): Promise<JsonValue> {
  const fetchDoc = async (): Promise<JsonValue> => {
    const policy = await call('iam:GetPolicy', () =>
      iam.send(new GetPolicyCommand({ PolicyArn: arn })),
    );
    const version = policy.Policy?.DefaultVersionId;
    if (version === undefined)
      throw new SourcedError('iam:GetPolicy', new Error(`${arn} has no default version`));
    const v = await call('iam:GetPolicyVersion', () =>
      iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: version })),
    );
    return parsePolicyDocument(v.PolicyVersion?.Document);
  };
  if (!arn.startsWith('arn:aws:iam::aws:policy/') && !/^arn:[^:]+:iam::aws:policy\//.test(arn))
    return fetchDoc();
  let p = cache.get(arn);
  if (p === undefined) {
    p = fetchDoc();
    // A failure is not cached: another account may succeed.
    p.catch(() => cache.delete(arn));
    cache.set(arn, p);
  }
  return p;
}

function tagMap(tags: IamTag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/** `arn:aws:iam::ACCOUNT:role/path/Name` -> { type: 'role', name: 'Name' }. */
export function parsePrincipalArn(
  arn: string,
): { type: 'role' | 'user'; name: string } | undefined {
  const m = /^arn:[^:]+:iam::\d{12}:(role|user)\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m === null ? undefined : { type: m[1] as 'role' | 'user', name: m[2]! };
}

/** Reads the principal's identity policies and boundary through the member's IAM. */
export async function collectPrincipal(
  iam: IAMClient,
  principalArn: string,
  cache: ManagedPolicyCache,
  accountId: string,
  errors: CollectionError[],
): Promise<PrincipalInfo | undefined> {
  const parsed = parsePrincipalArn(principalArn);
  if (parsed === undefined) {
    errors.push({
      accountId,
      source: 'iam:GetRole',
      code: 'UnsupportedPrincipal',
      message: `${principalArn}: only IAM role and user ARNs can be evaluated`,
    });
    return undefined;
  }
  let principal: PrincipalInfo;
  let boundaryArn: string | undefined;
  try {
    if (parsed.type === 'role') {
      const role = (
        await call('iam:GetRole', () => iam.send(new GetRoleCommand({ RoleName: parsed.name })))
      ).Role;
      principal = { arn: role?.Arn ?? principalArn, tags: tagMap(role?.Tags) };
      boundaryArn = role?.PermissionsBoundary?.PermissionsBoundaryArn;
    } else {
      const user = (
        await call('iam:GetUser', () => iam.send(new GetUserCommand({ UserName: parsed.name })))
      ).User;
      principal = { arn: user?.Arn ?? principalArn, tags: tagMap(user?.Tags) };
      boundaryArn = user?.PermissionsBoundary?.PermissionsBoundaryArn;
    }
  } catch (err) {
    record(errors, err, accountId, 'iam:GetRole');
    return undefined;
  }
  // The ARN and tags are known even if a policy read fails below: the policies stay absent.
  try {
    const names: string[] = [];
    const docs: JsonValue[] = [];
    const inline = async (
      list: () => Promise<string[]>,
      get: (n: string) => Promise<string | undefined>,
      prefix: string,
    ): Promise<void> => {
      for (const n of await list()) {
        names.push(`${prefix}${n}`);
        docs.push(parsePolicyDocument(await get(n)));
      }
    };
    const attached = async (list: () => Promise<string[]>): Promise<void> => {
      for (const arn of await list()) {
        names.push(arn);
        docs.push(await managedPolicyDocument(iam, arn, cache));
      }
    };
    const name = parsed.name;
    if (parsed.type === 'role') {
      await inline(
        () =>
          call('iam:ListRolePolicies', () =>
            allPages(
              paginateListRolePolicies({ client: iam }, { RoleName: name }),
              (p) => p.PolicyNames,
            ),
          ),
        (n) =>
          call('iam:GetRolePolicy', () =>
            iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: n })),
          ).then((r) => r.PolicyDocument),
        'inline:',
      );
      await attached(() =>
        call('iam:ListAttachedRolePolicies', () =>
          allPages(paginateListAttachedRolePolicies({ client: iam }, { RoleName: name }), (p) =>
            p.AttachedPolicies?.map((a) => a.PolicyArn ?? ''),
          ),
        ),
      );
    } else {
      await inline(
        () =>
          call('iam:ListUserPolicies', () =>
            allPages(
              paginateListUserPolicies({ client: iam }, { UserName: name }),
              (p) => p.PolicyNames,
            ),
          ),
        (n) =>
          call('iam:GetUserPolicy', () =>
            iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: n })),
          ).then((r) => r.PolicyDocument),
        'inline:',
      );
      await attached(() =>
        call('iam:ListAttachedUserPolicies', () =>
          allPages(paginateListAttachedUserPolicies({ client: iam }, { UserName: name }), (p) =>
            p.AttachedPolicies?.map((a) => a.PolicyArn ?? ''),
          ),
        ),
      );
      // A user's groups grant permissions too.
      const groups = await call('iam:ListGroupsForUser', () =>
        allPages(paginateListGroupsForUser({ client: iam }, { UserName: name }), (p) =>
          p.Groups?.map((g) => g.GroupName ?? ''),
        ),
      );
      for (const g of groups) {
        await inline(
          () =>
            call('iam:ListGroupPolicies', () =>
              allPages(
                paginateListGroupPolicies({ client: iam }, { GroupName: g }),
                (p) => p.PolicyNames,
              ),
            ),
          (n) =>
            call('iam:GetGroupPolicy', () =>
              iam.send(new GetGroupPolicyCommand({ GroupName: g, PolicyName: n })),
            ).then((r) => r.PolicyDocument),
          `group:${g}:inline:`,
        );
        await attached(() =>
          call('iam:ListAttachedGroupPolicies', () =>
            allPages(paginateListAttachedGroupPolicies({ client: iam }, { GroupName: g }), (p) =>
              p.AttachedPolicies?.map((a) => a.PolicyArn ?? ''),
            ),
          ),
        );
      }
    }
    principal.identityPolicies = docs;
    principal.identityPolicyNames = names;
  } catch (err) {
    record(errors, err, accountId, 'iam:ListRolePolicies');
  }
  try {
    if (boundaryArn === undefined) {
      principal.permissionsBoundary = null;
    } else {
      principal.permissionsBoundaryArn = boundaryArn;
      principal.permissionsBoundary = await managedPolicyDocument(iam, boundaryArn, cache);
    }
  } catch (err) {
    record(errors, err, accountId, 'iam:GetPolicy');
  }
  return principal;
}

/**
 * Contact information with its phone verification status; null when the
 * account has none (ResourceNotFoundException), undefined when unknown.
 * `accountIdParam` set: read from the management account (trusted access).
 */
export async function collectContact(
  client: {
    send: (c: GetContactInformationCommand) => Promise<{
      ContactInformation?: Record<string, unknown> | undefined;
      VerificationStatus?: string | undefined;
    }>;
  },
  accountIdParam: string | undefined,
  accountId: string,
  errors: CollectionError[],
): Promise<ContactInformation | null | undefined> {
  try {
    const out = await client.send(
      new GetContactInformationCommand(
        accountIdParam === undefined ? {} : { AccountId: accountIdParam },
      ),
    );
    const c = out.ContactInformation;
    if (c === undefined) return null;
    const fields: [keyof ContactInformation, string][] = [
      ['fullName', 'FullName'],
      ['companyName', 'CompanyName'],
      ['addressLine1', 'AddressLine1'],
      ['addressLine2', 'AddressLine2'],
      ['addressLine3', 'AddressLine3'],
      ['city', 'City'],
      ['stateOrRegion', 'StateOrRegion'],
      ['districtOrCounty', 'DistrictOrCounty'],
      ['postalCode', 'PostalCode'],
      ['countryCode', 'CountryCode'],
      ['phoneNumber', 'PhoneNumber'],
      ['websiteUrl', 'WebsiteUrl'],
    ];
    const info: ContactInformation = {};
    for (const [key, aws] of fields) {
      const v = c[aws];
      if (typeof v === 'string') info[key] = v;
    }
    if (out.VerificationStatus !== undefined) info.verificationStatus = out.VerificationStatus;
    return info;
  } catch (err) {
    if (errorCode(err) === 'ResourceNotFoundException') return null;
    errors.push(toCollectionError(err, 'account:GetContactInformation', accountId));
    return undefined;
  }
}

/** true: a paid plan answers DescribeSeverityLevels; false: SubscriptionRequiredException; undefined: unknown. */
export async function collectSupportPlan(
  session: MemberSession,
  accountId: string,
  errors: CollectionError[],
): Promise<boolean | undefined> {
  try {
    await session.support.send(new DescribeSeverityLevelsCommand({}));
    return true;
  } catch (err) {
    if (errorCode(err) === 'SubscriptionRequiredException') return false;
    errors.push(toCollectionError(err, 'support:DescribeSeverityLevels', accountId));
    return undefined;
  }
}

export interface MemberFacts {
  principal?: PrincipalInfo;
  contactInformation?: ContactInformation | null;
  paidSupportPlan?: boolean;
}

export interface MemberOptions {
  /** Principal ARN override; its account is replaced by each collected account's id. */
  principalArn?: string;
  /** Trusted access for account.amazonaws.com: read contacts from the management account. */
  contactsFromManagement: boolean;
  /** The management account itself: no member role to assume. */
  isManagement: boolean;
  /** Run the account's independent reads in parallel. */
  parallel: boolean;
  skipMember: boolean;
  cache: ManagedPolicyCache;
}

function principalFor(accountId: string, override: string | undefined, roleArn: string): string {
  if (override === undefined) return roleArn;
  const parts = override.split(':');
  if (parts.length >= 6) parts[4] = accountId;
  return parts.join(':');
}

/** Everything the member view can say about one account. */
export async function collectMember(
  pool: ClientPool,
  accountId: string,
  options: MemberOptions,
  errors: CollectionError[],
): Promise<MemberFacts> {
  const facts: MemberFacts = {};
  const contactFromManagement = options.isManagement || options.contactsFromManagement;
  const managementContact = async (): Promise<void> => {
    const c = await collectContact(
      pool.account,
      options.isManagement ? undefined : accountId,
      accountId,
      errors,
    );
    if (c !== undefined) facts.contactInformation = c;
  };
  // The management account cannot leave (member-account rule); its member view is not needed.
  if (options.skipMember || options.isManagement) {
    if (contactFromManagement) await managementContact();
    return facts;
  }
  const session = pool.member(accountId);
  const tasks: (() => Promise<void>)[] = [];
  if (contactFromManagement) tasks.push(managementContact);
  let assumed = true;
  try {
    await session.credentials();
  } catch (err) {
    assumed = false;
    errors.push(toCollectionError(err, 'sts:AssumeRole', accountId));
  }
  if (assumed) {
    tasks.push(async () => {
      const p = await collectPrincipal(
        session.iam,
        principalFor(accountId, options.principalArn, session.roleArn),
        options.cache,
        accountId,
        errors,
      );
      if (p !== undefined) facts.principal = p;
    });
    if (!contactFromManagement) {
      tasks.push(async () => {
        const c = await collectContact(session.account, undefined, accountId, errors);
        if (c !== undefined) facts.contactInformation = c;
      });
    }
    tasks.push(async () => {
      const s = await collectSupportPlan(session, accountId, errors);
      if (s !== undefined) facts.paidSupportPlan = s;
    });
  }
  if (options.parallel) await Promise.all(tasks.map((t) => t()));
  else for (const t of tasks) await t();
  return facts;
}
