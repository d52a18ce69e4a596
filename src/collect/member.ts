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
import type { AttachedPolicy, IAMClient, Tag as IamTag } from '@aws-sdk/client-iam';
import { DescribeSeverityLevelsCommand } from '@aws-sdk/client-support';
import type { JsonValue } from '../json.js';
import type { CollectionError, ContactInformation, PrincipalInfo } from '../snapshot/types.js';
import type { ClientPool, MemberSession } from './client-pool.js';
import { allPages, errorCode, toCollectionError } from './errors.js';
import { arnInAccount } from '../arn.js';

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

/**
 * Managed policy documents by ARN, fetched once per run: an AWS managed policy
 * is the same in every account, and a customer managed one (its ARN names its
 * account) is often both attached and the boundary, or attached to a user and its group.
 */
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

type Named = { name: string; doc: JsonValue };

/** Runs `fn` over `items` in parallel or one by one, keeping the order of the results. */
async function each<T, R>(
  parallel: boolean,
  items: T[],
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  if (parallel) return Promise.all(items.map(fn));
  const out: R[] = [];
  for (const item of items) out.push(await fn(item));
  return out;
}

/** The IAM reads of one kind of identity: the same four calls, each under its own name. */
interface IdentityReads {
  kind: 'Role' | 'User' | 'Group';
  listInline(iam: IAMClient, name: string): Promise<string[]>;
  getInline(iam: IAMClient, name: string, policy: string): Promise<string | undefined>;
  listAttached(iam: IAMClient, name: string): Promise<string[]>;
}

const attachedArns = (p: {
  AttachedPolicies?: AttachedPolicy[] | undefined;
}): string[] | undefined => p.AttachedPolicies?.map((a) => a.PolicyArn ?? '');

const ROLE: IdentityReads = {
  kind: 'Role',
  listInline: (client, RoleName) =>
    allPages(paginateListRolePolicies({ client }, { RoleName }), (p) => p.PolicyNames),
  getInline: (iam, RoleName, PolicyName) =>
    iam.send(new GetRolePolicyCommand({ RoleName, PolicyName })).then((r) => r.PolicyDocument),
  listAttached: (client, RoleName) =>
    allPages(paginateListAttachedRolePolicies({ client }, { RoleName }), attachedArns),
};

const USER: IdentityReads = {
  kind: 'User',
  listInline: (client, UserName) =>
    allPages(paginateListUserPolicies({ client }, { UserName }), (p) => p.PolicyNames),
  getInline: (iam, UserName, PolicyName) =>
    iam.send(new GetUserPolicyCommand({ UserName, PolicyName })).then((r) => r.PolicyDocument),
  listAttached: (client, UserName) =>
    allPages(paginateListAttachedUserPolicies({ client }, { UserName }), attachedArns),
};

const GROUP: IdentityReads = {
  kind: 'Group',
  listInline: (client, GroupName) =>
    allPages(paginateListGroupPolicies({ client }, { GroupName }), (p) => p.PolicyNames),
  getInline: (iam, GroupName, PolicyName) =>
    iam.send(new GetGroupPolicyCommand({ GroupName, PolicyName })).then((r) => r.PolicyDocument),
  listAttached: (client, GroupName) =>
    allPages(paginateListAttachedGroupPolicies({ client }, { GroupName }), attachedArns),
};

/**
 * Reads the principal's identity policies and boundary through the member's
 * IAM. With `parallel`, the independent reads overlap (the role, its inline
 * and its attached policies), which keeps each account's chain of calls short.
 */
async function collectPrincipal(
  iam: IAMClient,
  principalArn: string,
  cache: ManagedPolicyCache,
  accountId: string,
  errors: CollectionError[],
  parallel = false,
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
  const name = parsed.name;
  const head = async (): Promise<{ principal: PrincipalInfo; boundaryArn: string | undefined }> => {
    const entity =
      parsed.type === 'role'
        ? (await call('iam:GetRole', () => iam.send(new GetRoleCommand({ RoleName: name })))).Role
        : (await call('iam:GetUser', () => iam.send(new GetUserCommand({ UserName: name })))).User;
    // Without the entity its tags and boundary are unknown, not none.
    if (entity === undefined) {
      throw new SourcedError(
        parsed.type === 'role' ? 'iam:GetRole' : 'iam:GetUser',
        Object.assign(new Error(`${principalArn}: IAM answered without the ${parsed.type}`), {
          name: 'IncompleteResult',
        }),
      );
    }
    return {
      principal: { arn: entity.Arn ?? principalArn, tags: tagMap(entity.Tags) },
      boundaryArn: entity.PermissionsBoundary?.PermissionsBoundaryArn,
    };
  };
  // Inline policies (named `prefix` + their name), then attached managed ones.
  const policiesOf = async (reads: IdentityReads, of: string, prefix: string): Promise<Named[]> =>
    (
      await each(
        parallel,
        [
          async (): Promise<Named[]> =>
            each(
              parallel,
              await call(`iam:List${reads.kind}Policies`, () => reads.listInline(iam, of)),
              async (n) => ({
                name: `${prefix}${n}`,
                doc: parsePolicyDocument(
                  await call(`iam:Get${reads.kind}Policy`, () => reads.getInline(iam, of, n)),
                ),
              }),
            ),
          async (): Promise<Named[]> =>
            each(
              parallel,
              await call(`iam:ListAttached${reads.kind}Policies`, () =>
                reads.listAttached(iam, of),
              ),
              async (arn) => ({ name: arn, doc: await managedPolicyDocument(iam, arn, cache) }),
            ),
        ],
        (read) => read(),
      )
    ).flat();

  const rolePolicies = (): Promise<Named[]> => policiesOf(ROLE, name, 'inline:');
  const userPolicies = async (): Promise<Named[]> =>
    (
      await each(
        parallel,
        [
          () => policiesOf(USER, name, 'inline:'),
          async (): Promise<Named[]> => {
            // A user's groups grant permissions too.
            const groups = await call('iam:ListGroupsForUser', () =>
              allPages(paginateListGroupsForUser({ client: iam }, { UserName: name }), (p) =>
                p.Groups?.map((g) => g.GroupName ?? ''),
              ),
            );
            return (
              await each(parallel, groups, (g) => policiesOf(GROUP, g, `group:${g}:inline:`))
            ).flat();
          },
        ],
        (read) => read(),
      )
    ).flat();

  const settle = <T>(
    p: Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; err: unknown }> =>
    p.then(
      (value) => ({ ok: true as const, value }),
      (err: unknown) => ({ ok: false as const, err }),
    );
  // Sequentially, a missing principal stops before its policies are listed.
  let first: Awaited<ReturnType<typeof head>>;
  let policies: { ok: true; value: Named[] } | { ok: false; err: unknown };
  if (parallel) {
    const [h, pol] = await Promise.all([
      settle(head()),
      settle(parsed.type === 'role' ? rolePolicies() : userPolicies()),
    ]);
    if (!h.ok) {
      // The policy reads fail for the same reason: one error says it.
      record(errors, h.err, accountId, 'iam:GetRole');
      return undefined;
    }
    first = h.value;
    policies = pol;
  } else {
    try {
      first = await head();
    } catch (err) {
      record(errors, err, accountId, 'iam:GetRole');
      return undefined;
    }
    policies = await settle(parsed.type === 'role' ? rolePolicies() : userPolicies());
  }
  const { principal, boundaryArn } = first;
  // The ARN and tags are known even if a policy read failed: the policies stay absent.
  if (policies.ok) {
    const all = policies.value;
    principal.identityPolicies = all.map((x) => x.doc);
    principal.identityPolicyNames = all.map((x) => x.name);
  } else {
    record(errors, policies.err, accountId, 'iam:ListRolePolicies');
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
async function collectContact(
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
async function collectSupportPlan(
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
  return override === undefined ? roleArn : arnInAccount(override, accountId);
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
  const assume = async (): Promise<void> => {
    try {
      await session.credentials();
    } catch (err) {
      errors.push(toCollectionError(err, 'sts:AssumeRole', accountId));
      return;
    }
    const memberTasks: (() => Promise<void>)[] = [
      async () => {
        const p = await collectPrincipal(
          session.iam,
          principalFor(accountId, options.principalArn, session.roleArn),
          options.cache,
          accountId,
          errors,
          options.parallel,
        );
        if (p !== undefined) facts.principal = p;
      },
    ];
    if (!contactFromManagement) {
      memberTasks.push(async () => {
        const c = await collectContact(session.account, undefined, accountId, errors);
        if (c !== undefined) facts.contactInformation = c;
      });
    }
    memberTasks.push(async () => {
      const s = await collectSupportPlan(session, accountId, errors);
      if (s !== undefined) facts.paidSupportPlan = s;
    });
    await each(options.parallel, memberTasks, (t) => t());
  };
  // The management view's contact read need not wait for the member session.
  if (contactFromManagement) tasks.push(managementContact);
  tasks.push(assume);
  await each(options.parallel, tasks, (t) => t());
  return facts;
}
