/**
 * Deterministic synthetic organizations for the benchmark (and for tests that
 * need a large, realistic snapshot): a seeded PRNG, never Math.random or the
 * wall clock, so one seed always gives byte-identical JSON.
 *
 * The shape follows large real organizations (issue 13): for 10,000 accounts
 * 300 OUs nested as deep as AWS allows (five OU levels below the root: with
 * the root and the accounts, seven levels of the tree), FullAWSAccess attached
 * at the root, every OU and every account, a conditional deny SCP
 * (`ArnNotLike aws:PrincipalArn`) at a dozen OUs, 0-5 tags per account, 5% of
 * the accounts without contact information and 20 delegated administrators.
 *
 * The mix mirrors a large organization in the middle of an offboarding: most
 * accounts are ready, and a few percent each are blocked by an SCP, a
 * delegated-administrator registration, the waiting period, missing contact
 * information, a read-only leaving role or a closed account, or are unknown
 * because a collection call was denied or an attestation expired.
 *
 * The leave-impact sources are collected as `collect --all` would: trusted
 * services (GuardDuty and the organization trail cover every account: a
 * warning each), a tag policy on two OUs, a baseline StackSet that keeps its
 * stacks in every account and one that deletes them in about 2% (blocked),
 * Identity Center permission sets on about 30%, RAM shares reaching about 5%,
 * Savings Plans in about 1%, centralized root access with the root password
 * present in all but about 1% (blocked), and the member-side reads denied in
 * about 1% (unknown, with the error).
 */
import type { Attestation, Attestations } from '../src/facts/types.js';
import type { JsonValue } from '../src/json.js';
import type {
  AccountRecord,
  CollectionError,
  ContactInformation,
  DelegatedAdministrator,
  OrganizationalUnit,
  IdentityCenterRecord,
  PrincipalInfo,
  ScpPolicy,
  Snapshot,
  StackSetRecord,
} from '../src/snapshot/types.js';

export interface GenerateOptions {
  /** Member accounts to generate (the management account comes on top). */
  accounts: number;
  seed: number;
  /** Organizational units; default 3 per 100 accounts (300 for 10,000), at least 7. */
  ous?: number;
}

export interface GeneratedOrg {
  snapshot: Snapshot;
  attestations: Attestations;
}

const COLLECTED_AT = '2026-11-28T12:00:00Z';
const COLLECTED_MS = Date.parse(COLLECTED_AT);
const DAY_MS = 86_400_000;
/**
 * AWS allows five levels of OUs below the root, the deepest tree there is:
 * root, five OU levels, the account (issue 13's "about eight levels").
 */
const MAX_OU_DEPTH = 5;
/** OUs the conditional deny SCP (DenyLeaveExceptBreakGlass) is attached to. */
const DENY_LEAVE_OUS = 12;
/** Accounts registered as delegated administrator (one service each). */
const DELEGATED_ADMINS = 20;
const ORG_ID = 'o-gen0bench01';
const ROOT_ID = 'r-gen0';
const MANAGEMENT_ID = '100000000000';

/** mulberry32: tiny, fast and good enough to shuffle test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOP_OUS = [
  'Security',
  'Infrastructure',
  'Workloads',
  'Sandbox',
  'Divestiture',
  'PolicyStaging',
  'Suspended',
];
const TEAMS = [
  'payments',
  'checkout',
  'search',
  'identity',
  'logistics',
  'analytics',
  'marketing',
  'billing',
  'catalog',
  'mobile',
  'ml-platform',
  'data-lake',
  'edge',
  'crm',
  'hr-systems',
  'finance',
  'support-tools',
  'observability',
];
const ENVS = ['prod', 'staging', 'dev', 'test', 'sandbox', 'dr'];
const CITIES: readonly [string, string, string | undefined, string, string][] = [
  ['Seattle', '98101', 'WA', 'US', '+12065550'],
  ['Austin', '78701', 'TX', 'US', '+15125550'],
  ['Dublin', 'D02 X285', undefined, 'IE', '+35315550'],
  ['Berlin', '10117', undefined, 'DE', '+49305550'],
  ['Sydney', '2000', 'NSW', 'AU', '+61295550'],
  ['Toronto', 'M5H 2N2', 'ON', 'CA', '+14165550'],
  ['Tokyo', '100-0005', 'Tokyo', 'JP', '+81355550'],
];
const DELEGATED_SERVICES = [
  'guardduty.amazonaws.com',
  'securityhub.amazonaws.com',
  'config.amazonaws.com',
  'access-analyzer.amazonaws.com',
  'inspector2.amazonaws.com',
  'macie.amazonaws.com',
  'ipam.amazonaws.com',
  'backup.amazonaws.com',
  'detective.amazonaws.com',
  'fms.amazonaws.com',
  'sso.amazonaws.com',
  'member.org.stacksets.cloudformation.amazonaws.com',
  'auditmanager.amazonaws.com',
  'account.amazonaws.com',
  'ssm.amazonaws.com',
  'health.amazonaws.com',
  'securitylake.amazonaws.com',
  'cloudtrail.amazonaws.com',
  'compute-optimizer.amazonaws.com',
  'license-manager.amazonaws.com',
];
/** Tag keys an account carries 0-5 of (in this order). */
const TAG_KEYS = ['Owner', 'CostCenter', 'Environment', 'Application', 'DataClassification'];
const ADMIN: JsonValue = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};
const READ_ONLY: JsonValue = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ReadOnly',
      Effect: 'Allow',
      Action: ['organizations:Describe*', 'organizations:List*', 'iam:Get*', 'iam:List*'],
      Resource: '*',
    },
  ],
};

function tagValue(key: string, team: string, env: string, rand: () => number): string {
  switch (key) {
    case 'Owner':
      return `${team}@example.com`;
    case 'CostCenter':
      return `CC-${1000 + Math.floor(rand() * 9000)}`;
    case 'Environment':
      return env;
    case 'Application':
      return `${team}-app-${Math.floor(rand() * 40)}`;
    default:
      return ['public', 'internal', 'confidential', 'restricted'][Math.floor(rand() * 4)]!;
  }
}

function allow(id: string, name: string, awsManaged: boolean, targets: string[]): ScpPolicy {
  return { id, name, awsManaged, document: ADMIN, targets };
}

/**
 * A synthetic organization of `accounts` member accounts plus the management
 * account, with its attestations. Deterministic for a given seed; 10,000
 * accounts take a few tens of milliseconds.
 */
export function generateOrg(options: GenerateOptions): GeneratedOrg {
  const rand = prng(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const chance = (p: number): boolean => rand() < p;
  const isoAt = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString();

  // OU tree: top-level OUs first, then a chain under Workloads down to the
  // deepest level AWS allows (so that depth always occurs), then each new OU
  // under a random existing OU whose depth leaves room.
  const ouCount = Math.max(
    TOP_OUS.length + MAX_OU_DEPTH - 1,
    options.ous ?? Math.ceil(options.accounts * 0.03),
  );
  const ous: (OrganizationalUnit & { depth: number })[] = [];
  for (let i = 0; i < ouCount; i++) {
    const id = `ou-gen0-${i.toString(36).padStart(8, '0')}`;
    if (i < TOP_OUS.length) {
      ous.push({ id, name: TOP_OUS[i] as string, parentId: ROOT_ID, depth: 1 });
      continue;
    }
    const chain = i - TOP_OUS.length < MAX_OU_DEPTH - 1;
    let parent = chain
      ? (ous[i === TOP_OUS.length ? 2 : i - 1] as (typeof ous)[number])
      : pick(ous);
    for (let tries = 0; parent.depth >= MAX_OU_DEPTH && tries < 8; tries++) parent = pick(ous);
    if (parent.depth >= MAX_OU_DEPTH) parent = ous[2] as (typeof ous)[number];
    ous.push({
      id,
      name: `${pick(TEAMS)}-${pick(ENVS)}-${i}`,
      parentId: parent.id,
      depth: parent.depth + 1,
    });
  }
  const suspendedOu = ous[6] as (typeof ous)[number];
  const placeable = ous.filter((o) => o !== suspendedOu);

  // Deny SCPs, attached to OUs at depth >= 3 so that each blocks a subtree, not half the org:
  // the conditional one at a dozen distinct OUs (fewer only when the tree has fewer).
  const deep = ous.filter((o) => o.depth >= 3);
  const candidates = deep.length > 0 ? deep : placeable;
  const denyLeaveTargets = new Set<string>();
  const denyLeaveCount = Math.min(DENY_LEAVE_OUS, candidates.length);
  while (denyLeaveTargets.size < denyLeaveCount) denyLeaveTargets.add(pick(candidates).id);
  const mfaTarget = pick(candidates).id;
  const approvalTarget = pick(candidates).id;

  const members: AccountRecord[] = [];
  const errors: CollectionError[] = [];
  const deleting: string[] = [];
  const ssoAccounts: string[] = [];
  const delegated: DelegatedAdministrator[] = [];
  const attestations: Attestation[] = [];
  const attest = (accountId: string, fact: Attestation['fact'], expired = false): void => {
    attestations.push({
      accountId,
      fact,
      value: true,
      attestedBy: 'offboarding-bot@example.com',
      attestedAt: expired ? '2026-08-01T00:00:00Z' : '2026-11-20T00:00:00Z',
      expiresAt: expired ? '2026-11-01T00:00:00Z' : '2027-02-20T00:00:00Z',
      evidence: `OFFBOARD-${accountId.slice(-6)}`,
    });
  };
  // Delegated administrators spread over the account list, one service each.
  const delegatedCount = Math.min(DELEGATED_ADMINS, Math.ceil(options.accounts * 0.01));
  const delegatedEvery = options.accounts / delegatedCount;

  for (let i = 0; i < options.accounts; i++) {
    const id = String(200_000_000_000 + i);
    const team = pick(TEAMS);
    const env = pick(ENVS);
    const name = `${team}-${env}-${i}`;
    const story = rand();
    const suspended = story < 0.01;
    const waiting = story >= 0.01 && story < 0.04;
    const invited = !waiting && chance(0.2);
    const joinedMs = waiting
      ? COLLECTED_MS - rand() * 4 * DAY_MS
      : COLLECTED_MS - (30 + rand() * 2900) * DAY_MS;
    const parent = suspended ? suspendedOu : chance(0.01) ? undefined : pick(placeable);
    const [city, postalCode, stateOrRegion, countryCode, phonePrefix] = pick(CITIES);

    let contact: ContactInformation | null | undefined = {
      fullName: `${team} team`,
      companyName: 'Example Corp',
      addressLine1: `${1 + Math.floor(rand() * 900)} Example Street`,
      city,
      ...(stateOrRegion !== undefined && { stateOrRegion }),
      postalCode,
      countryCode,
      phoneNumber: `${phonePrefix}${String(100 + Math.floor(rand() * 900))}`,
      verificationStatus: chance(0.01) ? 'UNVERIFIED' : 'VERIFIED',
    };
    // 5% have none, 1% an incomplete one, 2% could not be read.
    const contactRoll = rand();
    if (contactRoll < 0.05) contact = null;
    else if (contactRoll < 0.06) contact = { ...contact, phoneNumber: '' };
    else if (contactRoll < 0.08) {
      contact = undefined;
      errors.push({
        accountId: id,
        source: 'account:GetContactInformation',
        code: 'AccessDeniedException',
        message: `not authorized to perform account:GetContactInformation for ${id}`,
      });
    }

    const principalRoll = rand();
    const role = principalRoll < 0.01 ? 'BreakGlass' : 'OrganizationAccountAccessRole';
    const principal: PrincipalInfo = {
      arn: `arn:aws:iam::${id}:role/${role}`,
      tags: chance(0.5)
        ? { ManagedBy: 'platform-team', 'offboarding-approved': 'true' }
        : { ManagedBy: 'platform-team' },
      identityPolicies: [principalRoll > 0.99 ? READ_ONLY : ADMIN],
      identityPolicyNames: [
        principalRoll > 0.99 ? 'inline:OrgReadOnly' : 'arn:aws:iam::aws:policy/AdministratorAccess',
      ],
      permissionsBoundary: null,
    };

    const paidSupportPlan = chance(0.3);
    const memberDenied = chance(0.01);
    if (memberDenied)
      for (const source of [
        'ram:GetResourceShares',
        'savingsplans:DescribeSavingsPlans',
        'sts:AssumeRoot',
      ])
        errors.push({
          accountId: id,
          source,
          code: 'AccessDenied',
          message: `not authorized to perform ${source} in ${id}`,
        });
    if (!suspended && chance(0.02)) deleting.push(id);
    if (!suspended && chance(0.3)) ssoAccounts.push(id);
    const account: AccountRecord = {
      id,
      name,
      email: `aws+${name}@example.com`,
      arn: `arn:aws:organizations::${MANAGEMENT_ID}:account/${ORG_ID}/${id}`,
      state: suspended ? 'SUSPENDED' : 'ACTIVE',
      joinedMethod: invited ? 'INVITED' : 'CREATED',
      joinedTimestamp: isoAt(joinedMs),
      parentId: parent?.id ?? ROOT_ID,
      tags: TAG_KEYS.slice(0, Math.floor(rand() * (TAG_KEYS.length + 1))).map((key) => ({
        key,
        value: tagValue(key, team, env, rand),
      })),
      principal,
      paidSupportPlan,
      ...(contact !== undefined && { contactInformation: contact }),
      ...(!memberDenied && {
        ramShares: chance(0.05)
          ? [
              {
                arn: `arn:aws:ram:us-east-1:${MANAGEMENT_ID}:resource-share/shared-vpc`,
                name: 'shared-vpc-subnets',
                owner: 'OTHER-ACCOUNTS' as const,
                ownerAccountId: MANAGEMENT_ID,
                status: 'ACTIVE',
                viaOrganization: true,
              },
            ]
          : [],
        savingsPlans: chance(0.01)
          ? [
              {
                id: `sp-${id.slice(-8)}`,
                arn: `arn:aws:savingsplans::${id}:savingsplan/sp-${id.slice(-8)}`,
                state: 'active',
                type: 'Compute',
                commitment: '1.5',
                end: '2027-10-01T00:00:00Z',
              },
            ]
          : [],
        rootCredentials: { passwordPresent: !chance(0.01), mfaPresent: true },
      }),
    };
    members.push(account);

    if (delegated.length < delegatedCount && !suspended && i >= delegated.length * delegatedEvery) {
      const servicePrincipal = DELEGATED_SERVICES[delegated.length % DELEGATED_SERVICES.length]!;
      delegated.push({ accountId: id, servicePrincipal });
    }

    const expired = chance(0.02);
    attest(id, 'paymentMethodPresent', expired);
    attest(id, 'billingAccessEnabled');
    if (!paidSupportPlan) attest(id, 'supportPlanChosen');
  }

  const management: AccountRecord = {
    id: MANAGEMENT_ID,
    name: 'management',
    email: 'aws+management@example.com',
    arn: `arn:aws:organizations::${MANAGEMENT_ID}:account/${ORG_ID}/${MANAGEMENT_ID}`,
    state: 'ACTIVE',
    joinedMethod: 'INVITED',
    joinedTimestamp: '2018-01-15T10:00:00Z',
    parentId: ROOT_ID,
    tags: [{ key: 'Owner', value: 'cloud-platform@example.com' }],
    principal: {
      arn: `arn:aws:iam::${MANAGEMENT_ID}:role/PlatformAdmin`,
      tags: {},
      identityPolicies: [ADMIN],
      permissionsBoundary: null,
    },
    contactInformation: {
      fullName: 'Cloud Platform',
      addressLine1: '1 Example Plaza',
      city: 'Seattle',
      stateOrRegion: 'WA',
      postalCode: '98101',
      countryCode: 'US',
      phoneNumber: '+12065550100',
      verificationStatus: 'VERIFIED',
    },
    paidSupportPlan: true,
  };
  const accounts = [management, ...members];

  const policies: ScpPolicy[] = [
    allow('p-FullAWSAccess', 'FullAWSAccess', true, [
      ROOT_ID,
      ...ous.map((o) => o.id),
      ...accounts.map((a) => a.id),
    ]),
    {
      id: 'p-denyleave01',
      name: 'DenyLeaveOrganization',
      awsManaged: false,
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyLeaveExceptBreakGlass',
            Effect: 'Deny',
            Action: 'organizations:LeaveOrganization',
            Resource: '*',
            Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/BreakGlass' } },
          },
        ],
      },
      targets: [...denyLeaveTargets],
    },
    {
      // Depends on how the call is made: the evaluator must say "conditional", never "allowed".
      id: 'p-denynomfa01',
      name: 'DenyLeaveWithoutMFA',
      awsManaged: false,
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'RequireMfaToLeave',
            Effect: 'Deny',
            Action: 'organizations:LeaveOrganization',
            Resource: '*',
            Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
          },
        ],
      },
      targets: [mfaTarget],
    },
    {
      id: 'p-leaveapprv1',
      name: 'DenyLeaveWithoutApproval',
      awsManaged: false,
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'LeaveNeedsApprovalTag',
            Effect: 'Deny',
            Action: 'organizations:*',
            Resource: '*',
            Condition: { StringNotEquals: { 'aws:PrincipalTag/offboarding-approved': 'true' } },
          },
        ],
      },
      targets: [approvalTarget],
    },
    {
      id: 'p-regionguard1',
      name: 'DenyOutsideApprovedRegions',
      awsManaged: false,
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyOutsideApprovedRegions',
            Effect: 'Deny',
            NotAction: ['iam:*', 'organizations:*', 'route53:*', 'sts:*', 'support:*', 'account:*'],
            Resource: '*',
            Condition: {
              StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] },
            },
          },
        ],
      },
      targets: [(ous[2] as (typeof ous)[number]).id, (ous[3] as (typeof ous)[number]).id],
    },
  ];

  const snapshot: Snapshot = {
    schemaVersion: 1,
    collectedAt: COLLECTED_AT,
    organization: {
      id: ORG_ID,
      arn: `arn:aws:organizations::${MANAGEMENT_ID}:organization/${ORG_ID}`,
      featureSet: 'ALL',
      managementAccountId: MANAGEMENT_ID,
      scpEnabled: true,
    },
    rootId: ROOT_ID,
    organizationalUnits: ous.map(({ id, name, parentId }) => ({ id, name, parentId })),
    policies,
    delegatedAdministrators: delegated,
    ...impactSources(accounts, deleting, ssoAccounts, ous),
    accounts,
    errors,
    collector: { tool: 'leavegate-bench', version: '1', scope: 'offline' },
  };
  return { snapshot, attestations: { schemaVersion: 1, attestations } };
}

function stackSet(name: string, retain: boolean, accountIds: readonly string[]): StackSetRecord {
  return {
    name,
    id: `${name}:0f5e9c1a-bench-0001`,
    permissionModel: 'SERVICE_MANAGED',
    autoDeployment: { enabled: true, retainStacksOnAccountRemoval: retain },
    status: 'ACTIVE',
    callAs: 'SELF',
    instances: accountIds.map((accountId) => ({
      accountId,
      region: 'us-east-1',
      status: 'CURRENT',
    })),
  };
}

/** The organization-level leave-impact sources (DESIGN §7), as collect --all reads them. */
function impactSources(
  accounts: readonly AccountRecord[],
  deleting: readonly string[],
  ssoAccounts: readonly string[],
  ous: readonly OrganizationalUnit[],
): Pick<
  Snapshot,
  | 'trustedServices'
  | 'enabledPolicyTypes'
  | 'organizationPolicies'
  | 'stackSets'
  | 'identityCenter'
  | 'controlTower'
  | 'rootAccessFeatures'
> {
  const members = accounts.filter((a) => a.id !== MANAGEMENT_ID).map((a) => a.id);
  const identityCenter: IdentityCenterRecord = {
    instanceArn: 'arn:aws:sso:::instance/ssoins-bench000000001',
    identityStoreId: 'd-bench00001',
    ownerAccountId: MANAGEMENT_ID,
    permissionSets: [
      {
        arn: 'arn:aws:sso:::permissionSet/ssoins-bench000000001/ps-developers0001',
        name: 'Developers',
        accounts: ssoAccounts.map((accountId) => ({
          accountId,
          assignments: [{ principalType: 'GROUP' as const, principalId: 'g-developers' }],
        })),
      },
    ],
  };
  return {
    trustedServices: [
      'account.amazonaws.com',
      'cloudtrail.amazonaws.com',
      'guardduty.amazonaws.com',
      'member.org.stacksets.cloudformation.amazonaws.com',
      'sso.amazonaws.com',
    ],
    enabledPolicyTypes: ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'],
    organizationPolicies: [
      {
        id: 'p-tagbench01',
        name: 'CostAllocationTags',
        type: 'TAG_POLICY',
        awsManaged: false,
        targets: ous.slice(3, 5).map((o) => o.id),
      },
    ],
    stackSets: [
      stackSet('baseline-roles', true, members),
      stackSet('legacy-logging', false, deleting),
    ],
    identityCenter,
    controlTower: null,
    rootAccessFeatures: ['RootCredentialsManagement', 'RootSessions'],
  };
}
