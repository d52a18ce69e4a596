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

const attachedArns = (p: {
  AttachedPolicies?: AttachedPolicy[] | undefined;
}): string[] | undefined => p.AttachedPolicies?.map((a) => a.PolicyArn ?? '');

export const ROLE: IdentityReads = {
  kind: 'Role',
  listInline: (client, RoleName) =>
    allPages(paginateListRolePolicies({ client }, { RoleName }), (p) => p.PolicyNames),
  getInline: (iam, RoleName, PolicyName) =>
    iam.send(new GetRolePolicyCommand({ RoleName, PolicyName })).then((r) => r.PolicyDocument),
  listAttached: (client, RoleName) =>
    allPages(paginateListAttachedRolePolicies({ client }, { RoleName }), attachedArns),
};

export const USER: IdentityReads = {
  kind: 'User',
  listInline: (client, UserName) =>
    allPages(paginateListUserPolicies({ client }, { UserName }), (p) => p.PolicyNames),
  getInline: (iam, UserName, PolicyName) =>
    iam.send(new GetUserPolicyCommand({ UserName, PolicyName })).then((r) => r.PolicyDocument),
  listAttached: (client, UserName) =>
    allPages(paginateListAttachedUserPolicies({ client }, { UserName }), attachedArns),
};

export const GROUP: IdentityReads = {
  kind: 'Group',
  listInline: (client, GroupName) =>
    allPages(paginateListGroupPolicies({ client }, { GroupName }), (p) => p.PolicyNames),
  getInline: (iam, GroupName, PolicyName) =>
    iam.send(new GetGroupPolicyCommand({ GroupName, PolicyName })).then((r) => r.PolicyDocument),
  listAttached: (client, GroupName) =>
    allPages(paginateListAttachedGroupPolicies({ client }, { GroupName }), attachedArns),
};

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
