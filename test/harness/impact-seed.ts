/**
 * The organization the impact-collection test seeds in moto (DESIGN §7):
 *
 *   root  (FullAWSAccess)
 *   ├─ Deleting   StackSet `deleting` (auto-deployment, RetainStacksOnAccountRemoval false)
 *   │  └─ deleting         also: no root password (centralized root access is on)
 *   ├─ Retaining  StackSet `retaining` (auto-deployment, retains stacks)
 *   │  └─ retaining
 *   ├─ Tagged     tag policy `CostCenterTags`
 *   │  └─ sso-user         Identity Center permission set `Admin` assigned to user u-1
 *   ├─ saver               owns an active Savings Plan (fake: moto has no Savings Plans)
 *   └─ sharer              shares a subnet with the organization (RAM) and receives one
 *
 * Trusted access: cloudtrail.amazonaws.com and controltower.amazonaws.com
 * (`retaining` enrolled through Account Factory, a fake: moto has no Service Catalog products).
 */
import {
  CloudFormationClient,
  CreateStackInstancesCommand,
  CreateStackSetCommand,
} from '@aws-sdk/client-cloudformation';
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DescribeOrganizationCommand,
  EnablePolicyTypeCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  CreateResourceShareCommand,
  EnableSharingWithAwsOrganizationCommand,
  RAMClient,
} from '@aws-sdk/client-ram';
import {
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  ListInstancesCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { ProxyHandler } from './aws-proxy.js';
import { jsonResponse } from './aws-proxy.js';
import { missingOperationHandlers } from './aws-fakes.js';
import type { FakeAccountFacts } from './aws-fakes.js';
import { assumeInto, seedOrganization } from './moto-seed.js';
import type { SeededOrg, TestCredentials } from './moto-seed.js';

export interface ImpactOrg extends SeededOrg {
  organizationArn: string;
  instanceArn: string;
  permissionSetArn: string;
  /** The share `sharer` owns (shared with the organization). */
  ownShareArn: string;
  /** The share `sharer` receives (fake: moto lists no OTHER-ACCOUNTS shares). */
  receivedShareArn: string;
}

/** AutoDeployment per StackSet name, which moto accepts but never answers. */
export const AUTO_DEPLOYMENT: Record<
  string,
  { Enabled: boolean; RetainStacksOnAccountRemoval: boolean }
> = {
  deleting: { Enabled: true, RetainStacksOnAccountRemoval: false },
  retaining: { Enabled: true, RetainStacksOnAccountRemoval: true },
};

const config = (endpoint: string, credentials: TestCredentials) => ({
  endpoint,
  region: 'us-east-1',
  credentials,
  maxAttempts: 1,
});

const TEMPLATE = JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } });

async function seedStackSets(motoUrl: string, org: SeededOrg): Promise<void> {
  const cf = new CloudFormationClient(config(motoUrl, org.credentials));
  try {
    for (const [name, auto] of Object.entries(AUTO_DEPLOYMENT)) {
      await cf.send(
        new CreateStackSetCommand({
          StackSetName: name,
          TemplateBody: TEMPLATE,
          PermissionModel: 'SERVICE_MANAGED',
          AutoDeployment: auto,
          CallAs: 'SELF',
        }),
      );
      const ou = org.ous[name === 'deleting' ? 'Deleting' : 'Retaining']!;
      await cf.send(
        new CreateStackInstancesCommand({
          StackSetName: name,
          DeploymentTargets: { OrganizationalUnitIds: [ou] },
          Regions: ['us-east-1'],
          CallAs: 'SELF',
        }),
      );
    }
  } finally {
    cf.destroy();
  }
}

async function seedIdentityCenter(motoUrl: string, org: SeededOrg) {
  const sso = new SSOAdminClient(config(motoUrl, org.credentials));
  try {
    // moto answers every account with one instance of its own.
    const instanceArn = (await sso.send(new ListInstancesCommand({}))).Instances![0]!.InstanceArn!;
    const ps = await sso.send(
      new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'Admin' }),
    );
    const permissionSetArn = ps.PermissionSet!.PermissionSetArn!;
    await sso.send(
      new CreateAccountAssignmentCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: permissionSetArn,
        TargetId: org.accounts['sso-user']!,
        TargetType: 'AWS_ACCOUNT',
        PrincipalType: 'USER',
        PrincipalId: 'u-1',
      }),
    );
    return { instanceArn, permissionSetArn };
  } finally {
    sso.destroy();
  }
}

async function seedPolicies(motoUrl: string, org: SeededOrg): Promise<string> {
  const orgs = new OrganizationsClient(config(motoUrl, org.credentials));
  try {
    await orgs.send(new EnablePolicyTypeCommand({ RootId: org.rootId, PolicyType: 'TAG_POLICY' }));
    const tags = { tags: { CostCenter: { tag_key: { '@@assign': 'CostCenter' } } } };
    const p = await orgs.send(
      new CreatePolicyCommand({
        Name: 'CostCenterTags',
        Description: 'tags',
        Type: 'TAG_POLICY',
        Content: JSON.stringify(tags),
      }),
    );
    org.policies.CostCenterTags = p.Policy!.PolicySummary!.Id!;
    await orgs.send(
      new AttachPolicyCommand({ PolicyId: org.policies.CostCenterTags, TargetId: org.ous.Tagged! }),
    );
    return (await orgs.send(new DescribeOrganizationCommand({}))).Organization!.Arn!;
  } finally {
    orgs.destroy();
  }
}

async function seedShare(
  motoUrl: string,
  org: SeededOrg,
  organizationArn: string,
): Promise<string> {
  const mgmt = new RAMClient(config(motoUrl, org.credentials));
  const sharerId = org.accounts.sharer!;
  const member = new RAMClient(
    config(
      motoUrl,
      await assumeInto(motoUrl, sharerId, 'OrganizationAccountAccessRole', org.credentials),
    ),
  );
  try {
    await mgmt.send(new EnableSharingWithAwsOrganizationCommand({}));
    const out = await member.send(
      new CreateResourceShareCommand({
        name: 'subnets',
        principals: [organizationArn],
        resourceArns: [`arn:aws:ec2:us-east-1:${sharerId}:subnet/subnet-0001`],
        allowExternalPrincipals: false,
      }),
    );
    return out.resourceShare!.resourceShareArn!;
  } finally {
    mgmt.destroy();
    member.destroy();
  }
}

/** Seeds the impact organization in a fresh management account. */
export async function seedImpactOrg(motoUrl: string): Promise<ImpactOrg> {
  const org = await seedOrganization(motoUrl, {
    ous: [{ name: 'Deleting' }, { name: 'Retaining' }, { name: 'Tagged' }],
    accounts: [
      { name: 'deleting', parent: 'Deleting' },
      { name: 'retaining', parent: 'Retaining' },
      { name: 'sso-user', parent: 'Tagged' },
      { name: 'saver' },
      { name: 'sharer' },
    ],
    trustedServices: ['cloudtrail.amazonaws.com', 'controltower.amazonaws.com'],
  });
  const organizationArn = await seedPolicies(motoUrl, org);
  await seedStackSets(motoUrl, org);
  const sso = await seedIdentityCenter(motoUrl, org);
  const ownShareArn = await seedShare(motoUrl, org, organizationArn);
  const receivedShareArn = `arn:aws:ram:us-east-1:${org.accounts.saver!}:resource-share/received-1`;
  return { ...org, organizationArn, ...sso, ownShareArn, receivedShareArn };
}

/** What the fakes say per account of the impact organization. */
function impactFacts(org: ImpactOrg): (accountId: string) => FakeAccountFacts | undefined {
  const byId: Record<string, FakeAccountFacts> = {
    [org.accounts.deleting!]: { root: { password: false, mfa: false } },
    [org.accounts.saver!]: {
      savingsPlans: [
        {
          savingsPlanId: 'sp-active',
          savingsPlanArn: 'arn:aws:savingsplans::x:savingsplan/sp-active',
          state: 'active',
          savingsPlanType: 'Compute',
          commitment: '1.5',
          end: '2027-12-01T00:00:00.000Z',
        },
        { savingsPlanId: 'sp-retired', state: 'retired' },
      ],
    },
    [org.accounts.sharer!]: {
      receivedShares: [
        {
          resourceShareArn: org.receivedShareArn,
          name: 'from-saver',
          owningAccountId: org.accounts.saver!,
          status: 'ACTIVE',
          allowExternalPrincipals: false,
          resourceShareConfiguration: { retainSharingOnAccountLeaveOrganization: true },
        },
      ],
    },
  };
  return (id) => byId[id];
}

/**
 * The proxy's handlers for the impact organization: the fakes for what moto
 * lacks, and ListAccountsForProvisionedPermissionSet answered from the seeded
 * assignment (moto answers it with the caller's own account).
 */
export function impactHandlers(org: ImpactOrg): Record<string, ProxyHandler> {
  return {
    ...missingOperationHandlers(impactFacts(org), org.managementAccountId, {
      rootAccessFeatures: ['RootCredentialsManagement', 'RootSessions'],
      accountFactory: [{ id: 'pp-retaining', accountId: org.accounts.retaining! }],
    }),
    'sso-admin:ListAccountsForProvisionedPermissionSet': (req) =>
      (req.json as { PermissionSetArn?: string } | undefined)?.PermissionSetArn ===
      org.permissionSetArn
        ? jsonResponse({ AccountIds: [org.accounts['sso-user']!] })
        : jsonResponse({ AccountIds: [] }),
  };
}

/** moto's DescribeStackSet with the AutoDeployment it was created with. */
export function describeStackSetWithAutoDeployment(xml: string): string {
  const name = /<StackSetName>([^<]+)<\/StackSetName>/.exec(xml)?.[1];
  const auto = name === undefined ? undefined : AUTO_DEPLOYMENT[name];
  if (auto === undefined) return xml;
  const element =
    `<AutoDeployment><Enabled>${auto.Enabled}</Enabled>` +
    `<RetainStacksOnAccountRemoval>${auto.RetainStacksOnAccountRemoval}</RetainStacksOnAccountRemoval></AutoDeployment>`;
  return xml.replace('</StackSet>', `${element}</StackSet>`);
}
