/**
 * The identity policies of an IAM role, user or group as the member's IAM
 * shows them: inline policies (named `prefix` + their name), then attached
 * managed ones, whose documents are fetched once per run.
 */
import {
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  paginateListAttachedGroupPolicies,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListGroupPolicies,
  paginateListRolePolicies,
  paginateListUserPolicies,
} from '@aws-sdk/client-iam';
import type { AttachedPolicy, IAMClient } from '@aws-sdk/client-iam';
import type { JsonValue } from '../../json.js';
import { allPages, read, SourceError } from '../errors.js';
import type { AccountContext } from './types.js';

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
 * A managed policy's default version, fetched once per run: an AWS managed
 * policy is the same in every account, and a customer managed one (its ARN
 * names its account) is often both attached and the boundary, or attached to
 * a user and its group.
 */
export function managedPolicyDocument(
  ctx: AccountContext,
  iam: IAMClient,
  arn: string,
): Promise<JsonValue> {
  return ctx.once(`iam:policy:${arn}`, async () => {
    const policy = await read('iam:GetPolicy', () =>
      iam.send(new GetPolicyCommand({ PolicyArn: arn })),
    );
    const version = policy.Policy?.DefaultVersionId;
    if (version === undefined)
      throw new SourceError('iam:GetPolicy', new Error(`${arn} has no default version`));
    const v = await read('iam:GetPolicyVersion', () =>
      iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: version })),
    );
    return parsePolicyDocument(v.PolicyVersion?.Document);
  });
}

/** The IAM reads of one kind of identity: the same four calls, each under its own name. */
export interface IdentityReads {
  kind: 'Role' | 'User' | 'Group';
  listInline(iam: IAMClient, name: string): Promise<string[]>;
  getInline(iam: IAMClient, name: string, policy: string): Promise<string | undefined>;
  listAttached(iam: IAMClient, name: string): Promise<string[]>;
}

type Pages<P> = AsyncIterable<P>;

/** The reads of one kind from its three SDK calls (inline list, inline get, attached list). */
function identityReads(
  kind: IdentityReads['kind'],
  inline: (client: IAMClient, name: string) => Pages<{ PolicyNames?: string[] | undefined }>,
  get: (
    iam: IAMClient,
    name: string,
    policy: string,
  ) => Promise<{ PolicyDocument?: string | undefined }>,
  attached: (
    client: IAMClient,
    name: string,
  ) => Pages<{ AttachedPolicies?: AttachedPolicy[] | undefined }>,
): IdentityReads {
  return {
    kind,
    listInline: (client, name) => allPages(inline(client, name), (p) => p.PolicyNames),
    getInline: (iam, name, policy) => get(iam, name, policy).then((r) => r.PolicyDocument),
    listAttached: (client, name) =>
      allPages(attached(client, name), (p) => p.AttachedPolicies?.map((a) => a.PolicyArn ?? '')),
  };
}

export const ROLE = identityReads(
  'Role',
  (client, RoleName) => paginateListRolePolicies({ client }, { RoleName }),
  (iam, RoleName, PolicyName) => iam.send(new GetRolePolicyCommand({ RoleName, PolicyName })),
  (client, RoleName) => paginateListAttachedRolePolicies({ client }, { RoleName }),
);

export const USER = identityReads(
  'User',
  (client, UserName) => paginateListUserPolicies({ client }, { UserName }),
  (iam, UserName, PolicyName) => iam.send(new GetUserPolicyCommand({ UserName, PolicyName })),
  (client, UserName) => paginateListAttachedUserPolicies({ client }, { UserName }),
);

export const GROUP = identityReads(
  'Group',
  (client, GroupName) => paginateListGroupPolicies({ client }, { GroupName }),
  (iam, GroupName, PolicyName) => iam.send(new GetGroupPolicyCommand({ GroupName, PolicyName })),
  (client, GroupName) => paginateListAttachedGroupPolicies({ client }, { GroupName }),
);

export type Named = { name: string; doc: JsonValue };

/** Inline policies of `of` (named `prefix` + their name), then its attached managed ones. */
export async function policiesOf(
  ctx: AccountContext,
  iam: IAMClient,
  reads: IdentityReads,
  of: string,
  prefix: string,
): Promise<Named[]> {
  const inline = async (): Promise<Named[]> =>
    ctx.each(
      await read(`iam:List${reads.kind}Policies`, () => reads.listInline(iam, of)),
      async (n) => ({
        name: `${prefix}${n}`,
        doc: parsePolicyDocument(
          await read(`iam:Get${reads.kind}Policy`, () => reads.getInline(iam, of, n)),
        ),
      }),
    );
  const attached = async (): Promise<Named[]> =>
    ctx.each(
      await read(`iam:ListAttached${reads.kind}Policies`, () => reads.listAttached(iam, of)),
      async (arn) => ({ name: arn, doc: await managedPolicyDocument(ctx, iam, arn) }),
    );
  return (await ctx.each([inline, attached], (r) => r())).flat();
}
