/**
 * Seeds organizations in moto through the AWS SDK (tests and the benchmark).
 *
 * Every organization gets a fresh management account: moto switches accounts
 * when a role in another account is assumed (the role need not exist), so
 * several test files can share one moto_server without colliding.
 */
import { randomInt } from 'node:crypto';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  CreatePolicyCommand,
  DetachPolicyCommand,
  EnableAWSServiceAccessCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
  RegisterDelegatedAdministratorCommand,
  TagResourceCommand,
} from '@aws-sdk/client-organizations';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand as CreateIamPolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';

/** Static credentials (moto accepts any secret). */
export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The dummy base credentials every test uses. */
export const BASE_CREDENTIALS: TestCredentials = {
  accessKeyId: 'testing',
  secretAccessKey: 'testing',
};

/** The member role as moto creates it, or customised, or deleted. */
export interface RoleSpec {
  name?: string;
  path?: string;
  tags?: Record<string, string>;
  inline?: Record<string, unknown>;
  /** Customer managed policies created in the member and attached. */
  managed?: Record<string, unknown>;
  /** Boundary document (created as a customer managed policy). */
  boundary?: unknown;
}

export interface AccountSpec {
  /** Unique key within the spec; also the account name. */
  name: string;
  /** OU name; default the root. */
  parent?: string;
  tags?: Record<string, string>;
  /** Replace the member role with this one, delete it (`'deleted'`), or leave moto's (default). */
  role?: RoleSpec | 'deleted';
}

export interface PolicySpec {
  name: string;
  document: unknown;
  /** `root`, OU names or account names. */
  targets: string[];
}

export interface OrgSpec {
  /** Management account id (default: a fresh random one). */
  managementAccountId?: string;
  /** OUs in creation order: a parent must come before its children. */
  ous?: { name: string; parent?: string }[];
  accounts?: AccountSpec[];
  policies?: PolicySpec[];
  /** Detach p-FullAWSAccess from these targets (`root`, OU or account names). */
  detachFullAwsAccess?: string[];
  delegatedAdmins?: { account: string; servicePrincipal: string }[];
  trustedServices?: string[];
  /** Parallel seeding calls (default 8). */
  concurrency?: number;
}

export interface SeededOrg {
  managementAccountId: string;
  /** Credentials of the management account (assumed role, valid in moto). */
  credentials: TestCredentials;
  organizationId: string;
  rootId: string;
  ous: Record<string, string>;
  accounts: Record<string, string>;
  policies: Record<string, string>;
}

/** A random 12-digit account id that moto has not seen. */
export function freshAccountId(): string {
  return String(randomInt(100000000000, 999999999999));
}

function clientConfig(endpoint: string, credentials: TestCredentials) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  };
}

/** Assumes `arn:aws:iam::<accountId>:role/<role>` in moto and returns its credentials. */
export async function assumeInto(
  motoUrl: string,
  accountId: string,
  role = 'OrganizationAccountAccessRole',
  base: TestCredentials = BASE_CREDENTIALS,
): Promise<TestCredentials> {
  const sts = new STSClient(clientConfig(motoUrl, base));
  try {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/${role}`,
        RoleSessionName: 'seed',
      }),
    );
    const c = out.Credentials!;
    return {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    };
  } finally {
    sts.destroy();
  }
}

function resolveTarget(
  name: string,
  rootId: string,
  ous: Record<string, string>,
  accounts: Record<string, string>,
): string {
  if (name === 'root') return rootId;
  const id = ous[name] ?? accounts[name];
  if (id === undefined) throw new Error(`moto-seed: unknown target ${name}`);
  return id;
}

async function seedRole(
  motoUrl: string,
  mgmt: TestCredentials,
  accountId: string,
  spec: AccountSpec['role'],
) {
  if (spec === undefined) return;
  const creds = await assumeInto(motoUrl, accountId, 'OrganizationAccountAccessRole', mgmt);
  const iam = new IAMClient(clientConfig(motoUrl, creds));
  try {
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: 'sts:AssumeRole',
        },
      ],
    });
    // moto's role has no policies yet, so it can be deleted directly.
    await iam.send(new DeleteRoleCommand({ RoleName: 'OrganizationAccountAccessRole' }));
    if (spec === 'deleted') return;
    const name = spec.name ?? 'OrganizationAccountAccessRole';
    let boundaryArn: string | undefined;
    if (spec.boundary !== undefined) {
      const b = await iam.send(
        new CreateIamPolicyCommand({
          PolicyName: 'Boundary',
          PolicyDocument: JSON.stringify(spec.boundary),
        }),
      );
      boundaryArn = b.Policy!.Arn!;
    }
    await iam.send(
      new CreateRoleCommand({
        RoleName: name,
        Path: spec.path ?? '/',
        AssumeRolePolicyDocument: trust,
        ...(boundaryArn === undefined ? {} : { PermissionsBoundary: boundaryArn }),
        ...(spec.tags === undefined
          ? {}
          : { Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })) }),
      }),
    );
    for (const [policyName, doc] of Object.entries(spec.inline ?? {})) {
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: name,
          PolicyName: policyName,
          PolicyDocument: JSON.stringify(doc),
        }),
      );
    }
    for (const [policyName, doc] of Object.entries(spec.managed ?? {})) {
      const p = await iam.send(
        new CreateIamPolicyCommand({ PolicyName: policyName, PolicyDocument: JSON.stringify(doc) }),
      );
      await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: p.Policy!.Arn! }));
    }
  } finally {
    iam.destroy();
  }
}

/**
 * Creates an organization in moto from `spec` (in a fresh management account
 * unless one is given) and returns the ids and the management credentials.
 */
export async function seedOrganization(motoUrl: string, spec: OrgSpec): Promise<SeededOrg> {
  const managementAccountId = spec.managementAccountId ?? freshAccountId();
  const credentials = await assumeInto(motoUrl, managementAccountId, 'seed-admin');
  const org = new OrganizationsClient(clientConfig(motoUrl, credentials));
  const limit = pLimit(spec.concurrency ?? 8);
  try {
    const created = await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const organizationId = created.Organization!.Id!;
    const roots = await org.send(new ListRootsCommand({}));
    const rootId = roots.Roots![0]!.Id!;
    // moto enables SCPs on new roots already; real AWS needs this call.
    await org
      .send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }))
      .catch(() => undefined);

    const ous: Record<string, string> = {};
    for (const ou of spec.ous ?? []) {
      const parentId = ou.parent === undefined ? rootId : ous[ou.parent];
      if (parentId === undefined) throw new Error(`moto-seed: OU ${ou.name} before its parent`);
      const out = await org.send(
        new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: ou.name }),
      );
      ous[ou.name] = out.OrganizationalUnit!.Id!;
    }

    const accounts: Record<string, string> = {};
    await Promise.all(
      (spec.accounts ?? []).map((a) =>
        limit(async () => {
          const out = await org.send(
            new CreateAccountCommand({
              AccountName: a.name,
              Email: `${a.name}@example.com`,
              ...(a.tags === undefined
                ? {}
                : { Tags: Object.entries(a.tags).map(([Key, Value]) => ({ Key, Value })) }),
            }),
          );
          const id = out.CreateAccountStatus!.AccountId!;
          accounts[a.name] = id;
          if (a.parent !== undefined) {
            const dest = ous[a.parent];
            if (dest === undefined) throw new Error(`moto-seed: unknown OU ${a.parent}`);
            await org.send(
              new MoveAccountCommand({
                AccountId: id,
                SourceParentId: rootId,
                DestinationParentId: dest,
              }),
            );
          }
          await seedRole(motoUrl, credentials, id, a.role);
        }),
      ),
    );

    const policies: Record<string, string> = {};
    for (const p of spec.policies ?? []) {
      const out = await org.send(
        new CreatePolicyCommand({
          Name: p.name,
          Description: p.name,
          Type: 'SERVICE_CONTROL_POLICY',
          Content: JSON.stringify(p.document),
        }),
      );
      const id = out.Policy!.PolicySummary!.Id!;
      policies[p.name] = id;
      for (const t of p.targets) {
        await org.send(
          new AttachPolicyCommand({
            PolicyId: id,
            TargetId: resolveTarget(t, rootId, ous, accounts),
          }),
        );
      }
    }
    for (const t of spec.detachFullAwsAccess ?? []) {
      await org.send(
        new DetachPolicyCommand({
          PolicyId: 'p-FullAWSAccess',
          TargetId: resolveTarget(t, rootId, ous, accounts),
        }),
      );
    }
    for (const s of spec.trustedServices ?? []) {
      await org.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: s }));
    }
    for (const d of spec.delegatedAdmins ?? []) {
      const id = accounts[d.account];
      if (id === undefined) throw new Error(`moto-seed: unknown account ${d.account}`);
      await org.send(
        new RegisterDelegatedAdministratorCommand({
          AccountId: id,
          ServicePrincipal: d.servicePrincipal,
        }),
      );
    }
    // Tags on OUs exercise nothing in leavegate but keep the org realistic.
    for (const [name, id] of Object.entries(ous)) {
      await org.send(
        new TagResourceCommand({ ResourceId: id, Tags: [{ Key: 'ou', Value: name }] }),
      );
    }
    return { managementAccountId, credentials, organizationId, rootId, ous, accounts, policies };
  } finally {
    org.destroy();
  }
}

/**
 * A synthetic organization for the benchmark: `accounts` accounts spread over
 * `ous` OUs (half nested one level), `scps` custom SCPs attached at the root,
 * OUs and some accounts, and member roles with one inline and one managed policy.
 */
export function syntheticOrgSpec(accounts: number, ous: number, scps: number): OrgSpec {
  const ouSpecs: { name: string; parent?: string }[] = [];
  for (let i = 0; i < ous; i++) {
    ouSpecs.push(
      i < ous / 2
        ? { name: `ou-${i}` }
        : { name: `ou-${i}`, parent: `ou-${i - Math.ceil(ous / 2)}` },
    );
  }
  const leaveDoc = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'organizations:LeaveOrganization', Resource: '*' }],
  };
  const accountSpecs: AccountSpec[] = [];
  for (let i = 0; i < accounts; i++) {
    accountSpecs.push({
      name: `acct-${i}`,
      ...(ous > 0 ? { parent: `ou-${i % ous}` } : {}),
      tags: { CostCenter: String(i % 17) },
      role: {
        inline: { Leave: leaveDoc },
        managed: {
          ReadOnly: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }],
          },
        },
      },
    });
  }
  const policySpecs: PolicySpec[] = [];
  for (let i = 0; i < scps; i++) {
    const targets =
      i === 0
        ? ['root']
        : [`ou-${i % Math.max(ous, 1)}`, `acct-${(i * 7) % Math.max(accounts, 1)}`].filter((t) =>
            t.startsWith('ou-') ? ous > 0 : accounts > 0,
          );
    policySpecs.push({
      name: `scp-${i}`,
      document: {
        Version: '2012-10-17',
        Statement: [{ Sid: `Deny${i}`, Effect: 'Deny', Action: `ec2:Action${i}`, Resource: '*' }],
      },
      targets,
    });
  }
  return {
    ous: ouSpecs,
    accounts: accountSpecs,
    policies: policySpecs,
    delegatedAdmins:
      accounts > 1 ? [{ account: 'acct-1', servicePrincipal: 'guardduty.amazonaws.com' }] : [],
    trustedServices: ['account.amazonaws.com'],
    concurrency: 16,
  };
}
