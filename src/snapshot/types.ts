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
  DelegatedAdministrator,
  OrganizationalUnit,
  OrganizationInfo,
  PrincipalInfo,
  ScpPolicy,
  Snapshot,
  Tag,
} from '../generated/snapshot.js';
