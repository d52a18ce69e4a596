/**
 * The schemas must describe exactly the TypeScript contract types. Each
 * `Keys<T>` / `RequiredKeys<T>` object below only compiles when it lists every
 * (required) property of the type and nothing else, so a field added to a
 * type or a schema without the other fails here.
 */
import { describe, expect, test } from '@jest/globals';
import { loadSchema, type SchemaName } from '../../src/schema.js';
import type { Attestation, Attestations } from '../../src/facts/types.js';
import type { Waiver, Waivers } from '../../src/rules/types.js';
import type {
  AccountRecord,
  CollectionError,
  ContactInformation,
  DelegatedAdministrator,
  OrganizationalUnit,
  OrganizationInfo,
  PrincipalInfo,
  ScpPolicy,
  Snapshot,
  Tag,
} from '../../src/snapshot/types.js';

type Keys<T> = Record<keyof T, true>;
type RequiredKeys<T> = Record<
  { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T],
  true
>;
type Collector = NonNullable<Snapshot['collector']>;

interface SchemaObject {
  properties?: Record<string, unknown>;
  required?: string[];
  additionalProperties?: unknown;
}

function def(schema: SchemaName, name: string | undefined): SchemaObject {
  const doc = loadSchema(schema) as unknown as SchemaObject & {
    $defs: Record<string, SchemaObject>;
  };
  if (name === undefined) return doc;
  const found = doc.$defs[name];
  if (found === undefined) throw new Error(`${schema}: no $defs/${name}`);
  return found;
}

// [schema, $defs name (undefined = the document), every key, required keys, open for extension]
const contracts: [SchemaName, string | undefined, object, object, boolean][] = [
  [
    'snapshot',
    undefined,
    {
      schemaVersion: true,
      collectedAt: true,
      organization: true,
      rootId: true,
      organizationalUnits: true,
      policies: true,
      delegatedAdministrators: true,
      trustedServices: true,
      enabledPolicyTypes: true,
      organizationPolicies: true,
      stackSets: true,
      identityCenter: true,
      controlTower: true,
      rootAccessFeatures: true,
      accounts: true,
      errors: true,
      collector: true,
    } satisfies Keys<Snapshot>,
    {
      schemaVersion: true,
      collectedAt: true,
      accounts: true,
      errors: true,
    } satisfies RequiredKeys<Snapshot>,
    false,
  ],
  [
    'snapshot',
    'organization',
    {
      id: true,
      arn: true,
      featureSet: true,
      managementAccountId: true,
      managementAccountEmail: true,
      scpEnabled: true,
    } satisfies Keys<OrganizationInfo>,
    {
      id: true,
      featureSet: true,
      managementAccountId: true,
      scpEnabled: true,
    } satisfies RequiredKeys<OrganizationInfo>,
    false,
  ],
  [
    'snapshot',
    'organizationalUnit',
    { id: true, name: true, parentId: true } satisfies Keys<OrganizationalUnit>,
    { id: true, name: true, parentId: true } satisfies RequiredKeys<OrganizationalUnit>,
    false,
  ],
  [
    'snapshot',
    'policy',
    {
      id: true,
      name: true,
      awsManaged: true,
      document: true,
      targets: true,
    } satisfies Keys<ScpPolicy>,
    {
      id: true,
      name: true,
      awsManaged: true,
      document: true,
      targets: true,
    } satisfies RequiredKeys<ScpPolicy>,
    false,
  ],
  [
    'snapshot',
    'delegatedAdministrator',
    { accountId: true, servicePrincipal: true } satisfies Keys<DelegatedAdministrator>,
    { accountId: true, servicePrincipal: true } satisfies RequiredKeys<DelegatedAdministrator>,
    false,
  ],
  [
    'snapshot',
    'tag',
    { key: true, value: true } satisfies Keys<Tag>,
    { key: true, value: true } satisfies RequiredKeys<Tag>,
    false,
  ],
  [
    'snapshot',
    'principal',
    {
      arn: true,
      tags: true,
      identityPolicies: true,
      identityPolicyNames: true,
      permissionsBoundary: true,
      permissionsBoundaryArn: true,
    } satisfies Keys<PrincipalInfo>,
    { arn: true } satisfies RequiredKeys<PrincipalInfo>,
    false,
  ],
  [
    'snapshot',
    'contactInformation',
    {
      fullName: true,
      companyName: true,
      addressLine1: true,
      addressLine2: true,
      addressLine3: true,
      city: true,
      stateOrRegion: true,
      districtOrCounty: true,
      postalCode: true,
      countryCode: true,
      phoneNumber: true,
      websiteUrl: true,
      verificationStatus: true,
    } satisfies Keys<ContactInformation>,
    {} satisfies RequiredKeys<ContactInformation>,
    true,
  ],
  [
    'snapshot',
    'account',
    {
      id: true,
      name: true,
      email: true,
      arn: true,
      state: true,
      joinedMethod: true,
      joinedTimestamp: true,
      parentId: true,
      tags: true,
      principal: true,
      contactInformation: true,
      paidSupportPlan: true,
      ramShares: true,
      savingsPlans: true,
      rootCredentials: true,
      handshakes: true,
      paymentInstruments: true,
    } satisfies Keys<AccountRecord>,
    { id: true } satisfies RequiredKeys<AccountRecord>,
    true,
  ],
  [
    'snapshot',
    'collectionError',
    { accountId: true, source: true, code: true, message: true } satisfies Keys<CollectionError>,
    { source: true, code: true, message: true } satisfies RequiredKeys<CollectionError>,
    false,
  ],
  [
    'snapshot',
    'collector',
    {
      tool: true,
      version: true,
      scope: true,
      durationMs: true,
      apiCalls: true,
      accountsComplete: true,
    } satisfies Keys<Collector>,
    {} satisfies RequiredKeys<Collector>,
    true,
  ],
  [
    'attestations',
    undefined,
    { schemaVersion: true, attestations: true } satisfies Keys<Attestations>,
    { schemaVersion: true, attestations: true } satisfies RequiredKeys<Attestations>,
    false,
  ],
  [
    'attestations',
    'attestation',
    {
      accountId: true,
      fact: true,
      value: true,
      attestedBy: true,
      attestedAt: true,
      expiresAt: true,
      evidence: true,
    } satisfies Keys<Attestation>,
    {
      accountId: true,
      fact: true,
      value: true,
      attestedBy: true,
      attestedAt: true,
      expiresAt: true,
    } satisfies RequiredKeys<Attestation>,
    false,
  ],
  [
    'waivers',
    undefined,
    { schemaVersion: true, waivers: true } satisfies Keys<Waivers>,
    { schemaVersion: true, waivers: true } satisfies RequiredKeys<Waivers>,
    false,
  ],
  [
    'waivers',
    'waiver',
    {
      rule: true,
      accounts: true,
      reason: true,
      owner: true,
      expiresAt: true,
    } satisfies Keys<Waiver>,
    {
      rule: true,
      accounts: true,
      reason: true,
      owner: true,
      expiresAt: true,
    } satisfies RequiredKeys<Waiver>,
    false,
  ],
];

describe('schemas match the contract types', () => {
  test.each(contracts)('%s $defs/%s', (schema, name, keys, required, open) => {
    const s = def(schema, name);
    // `$schema` is an editor annotation the documents may carry, not part of the data.
    const properties = Object.keys(s.properties ?? {}).filter((k) => k !== '$schema');
    expect(properties.sort()).toEqual(Object.keys(keys).sort());
    expect([...(s.required ?? [])].sort()).toEqual(Object.keys(required).sort());
    expect(s.additionalProperties).toBe(open ? undefined : false);
  });

  test.each(['snapshot', 'attestations', 'waivers'] as const)('%s: 2020-12 with an $id', (name) => {
    const doc = loadSchema(name);
    expect(doc.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(doc.$id).toBe(`https://leavegate.dev/schemas/${name}.schema.json`);
  });

  test('the attestable facts of the schema are those of the code', async () => {
    const { ATTESTABLE_FACTS } = await import('../../src/facts/types.js');
    const fact = (def('attestations', 'attestation').properties?.fact ?? {}) as { enum: string[] };
    expect(fact.enum).toEqual([...ATTESTABLE_FACTS]);
  });
});
