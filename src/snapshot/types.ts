/**
 * Snapshot v1 (contract, DESIGN §4.2). The types are generated from
 * schemas/snapshot.schema.json into src/generated/snapshot.ts; this module is
 * where the code imports them from.
 *
 * A field that is ABSENT was not collected: rules that need it are unknown.
 * `null` means collected and there is none. `errors[]` says why something is absent.
 */
export type {
  AccountRecord,
  CollectionError,
  Collector,
  ContactInformation,
  ControlTowerRecord,
  DelegatedAdministrator,
  HandshakeRecord,
  IdentityCenterRecord,
  OrganizationalUnit,
  OrganizationInfo,
  OrganizationPolicyRecord,
  PaymentInstrumentRecord,
  PermissionSetRecord,
  PrincipalInfo,
  RamShareRecord,
  RootCredentialsRecord,
  SavingsPlanRecord,
  ScpPolicy,
  Snapshot,
  StackSetRecord,
  Tag,
} from '../generated/snapshot.js';
