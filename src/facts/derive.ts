/**
 * Snapshot + attestations + evaluation time -> per-account facts (pure).
 *
 * Fail closed: a fact whose source was not collected is `unknown` with the
 * reason (from the snapshot's errors[] when there is one), never a default a
 * rule could read as fine. `null` in the snapshot is a known "none".
 */
import { evaluateIdentity, evaluateScpChain } from '../policy/index.js';
import type { PolicyInput, PrincipalContext, ScpLevel, Verdict } from '../policy/types.js';
import type {
  AccountRecord,
  CollectionError,
  ContactInformation,
  Snapshot,
} from '../snapshot/types.js';
import type { AttestationUsed } from '../report/types.js';
import {
  ATTESTABLE_FACTS,
  type AccountFact,
  type AccountFacts,
  type AttestableFact,
  type Attestation,
  type Attestations,
  type DeriveOptions,
  type IgnoredAttestation,
} from './types.js';
import { arnInAccount } from '../arn.js';
import { errorText, pluginFactInputs } from '../rules/plugins.js';
import { attestationFix, fixForErrors, type FixContext } from './fixes.js';

const DAY_MS = 86_400_000;
export const DEFAULT_MEMBER_ROLE = 'OrganizationAccountAccessRole';

/** Verification statuses that let an attestation decide (the API has no answer). */
const UNDECIDED_VERIFICATION = new Set(['NOT_SUPPORTED']);

/** The snapshot indexed once for all accounts. */
interface Index {
  snapshot: Snapshot;
  ouById: Map<string, { id: string; name: string; parentId: string }>;
  policiesByTarget: Map<string, PolicyInput[]>;
  delegated: Map<string, string[]> | undefined;
  errorsByAccount: Map<string, CollectionError[]>;
  orgErrors: CollectionError[];
  pathCache: Map<string, string[] | string>;
  attestationsByAccount: Map<string, Attestation[]>;
}

function buildIndex(snapshot: Snapshot, attestations: Attestations | undefined): Index {
  const ouById = new Map((snapshot.organizationalUnits ?? []).map((ou) => [ou.id, ou]));
  const policiesByTarget = new Map<string, PolicyInput[]>();
  for (const p of snapshot.policies ?? []) {
    for (const t of p.targets) {
      let list = policiesByTarget.get(t);
      if (list === undefined) policiesByTarget.set(t, (list = []));
      list.push({ id: p.id, name: p.name, document: p.document });
    }
  }
  let delegated: Map<string, string[]> | undefined;
  if (snapshot.delegatedAdministrators !== undefined) {
    delegated = new Map();
    for (const d of snapshot.delegatedAdministrators) {
      const list = delegated.get(d.accountId) ?? [];
      list.push(d.servicePrincipal);
      delegated.set(d.accountId, list);
    }
  }
  const errorsByAccount = new Map<string, CollectionError[]>();
  const orgErrors: CollectionError[] = [];
  for (const e of snapshot.errors) {
    if (e.accountId === undefined) orgErrors.push(e);
    else {
      const list = errorsByAccount.get(e.accountId) ?? [];
      list.push(e);
      errorsByAccount.set(e.accountId, list);
    }
  }
  const attestationsByAccount = new Map<string, Attestation[]>();
  for (const a of attestations?.attestations ?? []) {
    const list = attestationsByAccount.get(a.accountId) ?? [];
    list.push(a);
    attestationsByAccount.set(a.accountId, list);
  }
  return {
    snapshot,
    ouById,
    policiesByTarget,
    delegated,
    errorsByAccount,
    orgErrors,
    pathCache: new Map(),
    attestationsByAccount,
  };
}

/**
 * Ids from the root to `parentId` (root first), or a reason string when the
 * chain cannot be followed to the root.
 */
function ouPath(index: Index, parentId: string | undefined): string[] | string {
  if (parentId === undefined) return 'the account parent was not collected';
  const cached = index.pathCache.get(parentId);
  if (cached !== undefined) return cached;
  const rootId = index.snapshot.rootId;
  const path: string[] = [];
  let cur: string | undefined = parentId;
  let result: string[] | string | undefined;
  for (let depth = 0; depth < 16 && result === undefined; depth++) {
    if (cur !== undefined && cur === rootId) {
      path.unshift(cur);
      result = path;
    } else {
      const ou: { id: string; parentId: string } | undefined =
        cur === undefined ? undefined : index.ouById.get(cur);
      if (ou === undefined)
        result = `the organizational unit ${cur ?? '?'} on the account's path was not collected`;
      else {
        path.unshift(ou.id);
        cur = ou.parentId;
      }
    }
  }
  result ??= 'the organizational unit tree is deeper than AWS allows (cycle?)';
  index.pathCache.set(parentId, result);
  return result;
}

/** Why a fact is missing, and how to fix that. */
interface Gap {
  why: string;
  fix: string;
}

/**
 * What each collected part of the snapshot is read through: the sources
 * whose errors explain its absence (organization-wide or the account's own),
 * and what to do when no error says why (it was not asked for).
 */
const READ_THROUGH = {
  organization: {
    orgWide: true,
    sources: ['organizations:DescribeOrganization'],
    notCollected: 'collect again from the management account (organizations:DescribeOrganization)',
  },
  delegatedAdministrators: {
    orgWide: true,
    sources: ['organizations:ListDelegatedAdministrators'],
    notCollected:
      'collect again from the management account (organizations:ListDelegatedAdministrators)',
  },
  policies: {
    orgWide: true,
    sources: ['organizations:'],
    notCollected:
      'collect again from the management account (organizations:ListRoots, ListPolicies, ListTargetsForPolicy, DescribePolicy)',
  },
  ouTree: {
    orgWide: false,
    sources: ['organizations:'],
    notCollected:
      'collect the organizational unit tree again from the management account (organizations:ListOrganizationalUnitsForParent, ListParents)',
  },
  tags: {
    orgWide: false,
    sources: ['organizations:ListTagsForResource'],
    notCollected: 'collect again from the management account (organizations:ListTagsForResource)',
  },
  contactInformation: {
    orgWide: false,
    sources: ['account:', 'sts:AssumeRole'],
    notCollected:
      'collect again with the member role (--member-role), or enable trusted access for account.amazonaws.com so the management account reads it (aws organizations enable-aws-service-access --service-principal account.amazonaws.com)',
  },
  supportPlan: {
    orgWide: false,
    sources: ['support:', 'sts:AssumeRole'],
    notCollected:
      'collect again with the member role (--member-role): support:DescribeSeverityLevels is called in the member account',
  },
  principal: {
    orgWide: false,
    sources: ['sts:', 'iam:'],
    notCollected:
      'collect again with the member role (--member-role): the principal is read in the member account',
  },
  identityPolicies: {
    orgWide: false,
    sources: ['iam:'],
    notCollected:
      'collect again with the member role (--member-role): identity policies are read in the member account',
  },
} as const satisfies Record<
  string,
  { orgWide: boolean; sources: readonly string[]; notCollected: string }
>;

/** Why `part` of the snapshot is missing for an account, and how to fix that. */
function collectionGap(index: Index, context: FixContext, part: keyof typeof READ_THROUGH): Gap {
  const { orgWide, sources, notCollected } = READ_THROUGH[part];
  const errors = orgWide ? index.orgErrors : index.errorsByAccount.get(context.accountId);
  const relevant = (errors ?? []).filter((e) => sources.some((p) => e.source.startsWith(p)));
  const why =
    relevant.length === 0
      ? 'not collected'
      : relevant.map((e) => `${e.code} from ${e.source}: ${e.message}`).join('; ');
  return { why, fix: fixForErrors(relevant, context, notCollected) };
}

/** Who attested what, when, on what evidence: enough to tell two attestations apart. */
function describeAttestation(a: Attestation): string {
  return `${String(a.value)} by ${a.attestedBy} at ${a.attestedAt} (evidence: ${a.evidence ?? 'none'})`;
}

/** Same text whatever the order of the file: true before false, then by date, author, evidence. */
function byValueThenDate(a: Attestation, b: Attestation): number {
  const key = (x: Attestation): string =>
    `${x.value ? 0 : 1}\u0000${x.attestedAt}\u0000${x.attestedBy}\u0000${x.evidence ?? ''}`;
  const [ka, kb] = [key(a), key(b)];
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function attestationUsed(a: Attestation): AttestationUsed {
  return {
    fact: a.fact,
    value: a.value,
    attestedBy: a.attestedBy,
    attestedAt: a.attestedAt,
    expiresAt: a.expiresAt,
    ...(a.evidence !== undefined && { evidence: a.evidence }),
  };
}

/**
 * The valid attestations of each fact. Several that agree all stand behind
 * the value; several that disagree cancel out, whatever their order or
 * dates (a newer one does not silently outvote an older one): the fact is
 * then unattested, and the report names every one of them.
 */
function validAttestations(
  index: Index,
  accountId: string,
  now: number,
): { valid: Map<AttestableFact, Attestation[]>; ignored: IgnoredAttestation[] } {
  const byFact = new Map<AttestableFact, Attestation[]>();
  const ignored: IgnoredAttestation[] = [];
  for (const a of index.attestationsByAccount.get(accountId) ?? []) {
    const at = Date.parse(a.attestedAt);
    const exp = Date.parse(a.expiresAt);
    const base = { accountId, fact: a.fact };
    if (Number.isNaN(at) || Number.isNaN(exp)) {
      ignored.push({
        ...base,
        reason: 'unparseable-date',
        message: `attestation ${a.fact} by ${a.attestedBy} has an unparseable date`,
      });
    } else if (exp <= now) {
      ignored.push({
        ...base,
        reason: 'expired',
        message: `attestation ${a.fact} by ${a.attestedBy} expired ${a.expiresAt}`,
      });
    } else if (at > now) {
      ignored.push({
        ...base,
        reason: 'not-yet-valid',
        message: `attestation ${a.fact} by ${a.attestedBy} is dated in the future (${a.attestedAt})`,
      });
    } else {
      const list = byFact.get(a.fact) ?? [];
      list.push(a);
      byFact.set(a.fact, list);
    }
  }
  const valid = new Map<AttestableFact, Attestation[]>();
  for (const [fact, list] of byFact) {
    const sorted = [...list].sort(byValueThenDate);
    if (sorted.every((a) => a.value === sorted[0]?.value)) valid.set(fact, sorted);
    else {
      ignored.push({
        accountId,
        fact,
        reason: 'contradictory',
        message: `attestations of ${fact} contradict each other, so none is used: ${sorted.map(describeAttestation).join('; ')}`,
      });
    }
  }
  return { valid, ignored };
}

/**
 * Text with nothing a person could read or dial: whitespace, separators,
 * control and format characters (a NUL, a zero-width space) only.
 */
const BLANK = /^[\s\p{Z}\p{Cc}\p{Cf}]*$/u;

/**
 * The contactInformation fact: blank fields are not contact information, so
 * they read as empty (a rule requiring a field then fails on them exactly as
 * on an empty one, whatever the rule or plugin checks). The verification
 * status is the API's answer, not a contact field, and stays as it is.
 */
function contactInformation(info: ContactInformation | null): ContactInformation | null {
  if (info === null) return null;
  const out: ContactInformation = { ...info };
  for (const [key, value] of Object.entries(info) as [keyof ContactInformation, unknown][]) {
    if (key !== 'verificationStatus' && typeof value === 'string' && BLANK.test(value))
      out[key] = '';
  }
  return out;
}

/** Sets a fact: known value, or unknown with a reason and, where there is one, its fix. */
class FactSet {
  readonly known: Record<string, unknown> = {};
  readonly unknown: Record<string, string> = {};
  readonly fixes: Record<string, string> = {};
  set(name: string, value: unknown): void {
    this.known[name] = value;
  }
  miss(name: string, reason: string, fix?: string): void {
    this.unknown[name] = reason;
    if (fix !== undefined) this.fixes[name] = fix;
  }
}

function verdictFact(facts: FactSet, name: string, verdict: Verdict): void {
  if (verdict.decision === 'error') {
    facts.miss(
      name,
      `policy could not be evaluated: ${verdict.summary}`,
      'correct the policy document the reason names (it is not a policy IAM would accept), then collect again',
    );
  } else facts.set(name, verdict);
}

function deriveAccount(index: Index, account: AccountRecord, options: DeriveOptions): AccountFacts {
  const { snapshot } = index;
  const now = options.now.getTime();
  const facts = new FactSet();
  const org = snapshot.organization;
  const fixContext: FixContext = {
    accountId: account.id,
    memberRole: options.memberRole ?? DEFAULT_MEMBER_ROLE,
  };
  // Built only when something is missing: most accounts need no fix text.
  const gapOf = (part: keyof typeof READ_THROUGH): Gap => collectionGap(index, fixContext, part);

  const path = ouPath(index, account.parentId);
  const accountFact: AccountFact = {
    id: account.id,
    ouPath: typeof path === 'string' ? [] : path,
    ...(account.name !== undefined && { name: account.name }),
    ...(account.email !== undefined && { email: account.email }),
    ...(account.state !== undefined && { state: account.state }),
    ...(account.joinedMethod !== undefined && { joinedMethod: account.joinedMethod }),
    ...(account.joinedTimestamp !== undefined && { joinedTimestamp: account.joinedTimestamp }),
    ...(account.parentId !== undefined && { parentId: account.parentId }),
  };
  facts.set('account', accountFact);

  const isManagement = org === undefined ? undefined : org.managementAccountId === account.id;
  if (isManagement === undefined) {
    const gap = gapOf('organization');
    facts.miss('isManagementAccount', `organization not collected (${gap.why})`, gap.fix);
  } else facts.set('isManagementAccount', isManagement);

  const joined = account.joinedTimestamp === undefined ? NaN : Date.parse(account.joinedTimestamp);
  if (Number.isNaN(joined)) {
    facts.miss(
      'daysSinceJoined',
      'joined timestamp not collected',
      'collect again from the management account: organizations:ListAccountsForParent reports JoinedTimestamp',
    );
  } else facts.set('daysSinceJoined', (now - joined) / DAY_MS);

  if (index.delegated === undefined) {
    const gap = gapOf('delegatedAdministrators');
    facts.miss(
      'delegatedAdminServices',
      `delegated administrators not collected (${gap.why})`,
      gap.fix,
    );
  } else facts.set('delegatedAdminServices', index.delegated.get(account.id) ?? []);

  if (account.tags === undefined) {
    const gap = gapOf('tags');
    facts.miss('tags', `tags ${gap.why}`, gap.fix);
  } else facts.set('tags', account.tags);

  if (account.contactInformation === undefined) {
    const gap = gapOf('contactInformation');
    facts.miss('contactInformation', `contact information ${gap.why}`, gap.fix);
  } else facts.set('contactInformation', contactInformation(account.contactInformation));

  if (account.paidSupportPlan === undefined) {
    const gap = gapOf('supportPlan');
    facts.miss('paidSupportPlan', `support plan ${gap.why}`, gap.fix);
  } else facts.set('paidSupportPlan', account.paidSupportPlan);

  // Attestations: valid ones, minus those an API fact contradicts.
  const { valid, ignored } = validAttestations(index, account.id, now);
  const contradict = (fact: AttestableFact, why: string): void => {
    const list = valid.get(fact);
    if (list === undefined) return;
    valid.delete(fact);
    ignored.push({
      accountId: account.id,
      fact,
      reason: 'contradicted-by-api',
      message: `attestation ${fact}=${String(list[0]?.value)} by ${list.map((a) => a.attestedBy).join(', ')} ignored: ${why}`,
    });
  };
  const attestedValue = (fact: AttestableFact): boolean | undefined => valid.get(fact)?.[0]?.value;
  const status = account.contactInformation?.verificationStatus;
  let phoneFromApi: boolean | undefined;
  if (status === 'VERIFIED') phoneFromApi = true;
  else if (status !== undefined && !UNDECIDED_VERIFICATION.has(status)) phoneFromApi = false;
  if (phoneFromApi !== undefined && attestedValue('phoneVerified') !== phoneFromApi) {
    contradict('phoneVerified', `the API reports VerificationStatus ${status ?? '?'}`);
  }
  if (account.paidSupportPlan === true && attestedValue('supportPlanChosen') === false) {
    contradict('supportPlanChosen', 'a paid support plan is visible through the Support API');
  }
  const attested: Record<string, boolean> = {};
  const used: Record<string, AttestationUsed[]> = {};
  for (const [fact, list] of valid) {
    attested[fact] = list[0]?.value ?? false;
    used[`attested.${fact}`] = list.map(attestationUsed);
  }
  facts.set('attested', attested);
  if (valid.size > 0) used.attested = Object.values(used).flat();
  const attestationGap = (fact: AttestableFact): string => {
    const why = ignored.filter((a) => a.fact === fact);
    const gap = why.some((a) => a.reason === 'contradictory')
      ? 'contradictory'
      : why.length > 0
        ? 'invalid'
        : 'none';
    return attestationFix(fact, gap, account.id);
  };
  for (const fact of ATTESTABLE_FACTS) {
    if (!valid.has(fact)) facts.fixes[`attested.${fact}`] = attestationGap(fact);
  }
  // Why an attestable fact is unattested, for the reason of a derived fact.
  const unattested = (fact: AttestableFact): string => {
    const why = ignored.filter((a) => a.fact === fact).map((a) => a.message);
    return why.length > 0 ? why.join('; ') : `nobody validly attested ${fact}`;
  };

  const phoneAttested = attestedValue('phoneVerified');
  if (phoneFromApi !== undefined) facts.set('phoneVerified', phoneFromApi);
  else if (phoneAttested !== undefined) {
    facts.set('phoneVerified', phoneAttested);
    used.phoneVerified = used['attested.phoneVerified'] ?? [];
  } else {
    facts.miss(
      'phoneVerified',
      account.contactInformation === undefined
        ? `phone verification unknown: contact information ${gapOf('contactInformation').why}, and ${unattested('phoneVerified')}`
        : `the API gives no verification status${status === undefined ? '' : ` (${status})`} and ${unattested('phoneVerified')}`,
      account.contactInformation === undefined
        ? `${gapOf('contactInformation').fix}; or ${attestationGap('phoneVerified')}`
        : attestationGap('phoneVerified'),
    );
  }

  const supportAttested = attestedValue('supportPlanChosen');
  if (account.paidSupportPlan === true) facts.set('supportPlanChosen', true);
  else if (supportAttested !== undefined) {
    facts.set('supportPlanChosen', supportAttested);
    used.supportPlanChosen = used['attested.supportPlanChosen'] ?? [];
  } else {
    facts.miss(
      'supportPlanChosen',
      account.paidSupportPlan === false
        ? `no paid support plan is visible through the API (Basic may still have been chosen) and ${unattested('supportPlanChosen')}`
        : `support plan ${gapOf('supportPlan').why}, and ${unattested('supportPlanChosen')}`,
      account.paidSupportPlan === false
        ? attestationGap('supportPlanChosen')
        : `${gapOf('supportPlan').fix}; or ${attestationGap('supportPlanChosen')}`,
    );
  }

  // Policy verdicts for the principal that will call LeaveOrganization.
  const collected = account.principal;
  const principalArn =
    options.principalArn !== undefined
      ? arnInAccount(options.principalArn, account.id)
      : (collected?.arn ??
        `arn:aws:iam::${account.id}:role/${options.memberRole ?? DEFAULT_MEMBER_ROLE}`);
  const sameAsCollected = collected !== undefined && collected.arn === principalArn;
  // A session ARN (sts assumed-role) hides the role's path, on which aws:PrincipalArn
  // conditions depend: no verdict is better than one about a guessed principal.
  const principalProblem = /^arn:aws[a-z-]*:iam::\d{12}:((role|user)\/.+|root)$/.test(principalArn)
    ? undefined
    : `${principalArn} is not an IAM role or user ARN with its path`;
  const principal: PrincipalContext = {
    arn: principalArn,
    accountId: account.id,
    ...(org !== undefined && { orgId: org.id }),
    tags: sameAsCollected ? collected.tags : undefined,
  };

  if (principalProblem !== undefined) {
    facts.miss(
      'scpVerdict',
      principalProblem,
      `pass --principal as the IAM role or user ARN with its path (arn:aws:iam::${account.id}:role/<path>/<name>), not a session ARN`,
    );
  } else if (org === undefined)
    facts.miss('scpVerdict', 'organization not collected', gapOf('organization').fix);
  else if (isManagement === true) {
    facts.set(
      'scpVerdict',
      evaluateScpChain({
        levels: [],
        principal,
        isManagementAccount: true,
        scpEnabled: org.scpEnabled,
      }),
    );
  } else if (snapshot.rootId === undefined || snapshot.policies === undefined) {
    const gap = gapOf('policies');
    facts.miss('scpVerdict', `service control policies not collected (${gap.why})`, gap.fix);
  } else if (typeof path === 'string') {
    const gap = gapOf('ouTree');
    facts.miss('scpVerdict', path, gap.fix);
  } else {
    const levels: ScpLevel[] = path.map((id) => {
      const ou = index.ouById.get(id);
      return {
        kind: id === snapshot.rootId ? 'root' : 'ou',
        id,
        ...(ou !== undefined && { name: ou.name }),
        policies: index.policiesByTarget.get(id) ?? [],
      };
    });
    levels.push({
      kind: 'account',
      id: account.id,
      ...(account.name !== undefined && { name: account.name }),
      policies: index.policiesByTarget.get(account.id) ?? [],
    });
    const scpEnabled = org.featureSet === 'ALL' && org.scpEnabled;
    verdictFact(
      facts,
      'scpVerdict',
      evaluateScpChain({ levels, principal, isManagementAccount: false, scpEnabled }),
    );
  }

  if (collected === undefined) {
    const gap = gapOf('principal');
    facts.miss(
      'principalVerdict',
      `the principal ${principalArn} was not collected (${gap.why})`,
      gap.fix,
    );
  } else if (!sameAsCollected) {
    facts.miss(
      'principalVerdict',
      `identity policies of ${principalArn} were not collected (collected: ${collected.arn})`,
      `collect again with --principal ${principalArn}, or check without --principal to evaluate ${collected.arn}`,
    );
  } else if (
    collected.identityPolicies === undefined ||
    collected.permissionsBoundary === undefined
  ) {
    const gap = gapOf('identityPolicies');
    facts.miss('principalVerdict', `identity policies of ${principalArn} ${gap.why}`, gap.fix);
  } else {
    const names = collected.identityPolicyNames ?? [];
    const identityPolicies: PolicyInput[] = collected.identityPolicies.map((document, i) => ({
      id: names[i] ?? `identity-policy-${i}`,
      name: names[i] ?? `identity policy ${i}`,
      document,
    }));
    const boundary =
      collected.permissionsBoundary === null
        ? null
        : {
            id: collected.permissionsBoundaryArn ?? 'permissions-boundary',
            name: collected.permissionsBoundaryArn ?? 'permissions boundary',
            document: collected.permissionsBoundary,
          };
    // aws:PrincipalOrgPaths is known from the tree: o-id/r-id/ou-id/.../ (the SCP side derives it from the levels).
    const requestContext =
      org !== undefined && typeof path !== 'string'
        ? { 'aws:PrincipalOrgPaths': [`${org.id}/${path.join('/')}/`] }
        : undefined;
    verdictFact(
      facts,
      'principalVerdict',
      evaluateIdentity({
        principal,
        identityPolicies,
        permissionsBoundary: boundary,
        ...(requestContext !== undefined && { requestContext }),
      }),
    );
  }

  const pluginFacts = Object.entries(options.pluginFacts ?? {});
  // Plugins read a frozen copy (made once per derivation: the index), never what built-in facts use.
  const inputs = pluginFacts.length > 0 ? pluginFactInputs(index, snapshot, account) : undefined;
  for (const [name, fn] of pluginFacts) {
    try {
      const value = inputs === undefined ? undefined : fn(inputs.account, inputs.snapshot);
      if (value === undefined) facts.miss(name, `plugin fact ${name} gave no value`);
      else facts.set(name, value);
    } catch (err) {
      facts.miss(name, `plugin fact ${name} failed: ${errorText(err)}`);
    }
  }

  return {
    accountId: account.id,
    known: facts.known,
    unknown: facts.unknown,
    ignoredAttestations: ignored,
    attestationsUsed: used,
    fixes: facts.fixes,
    tags: account.tags,
  };
}

/**
 * Facts for every account of the snapshot, one account at a time (so a large
 * organization's facts need not all be alive at once). Attestations for
 * accounts that are not in the snapshot are warned about by the caller.
 */
export function* deriveFactsIter(
  snapshot: Snapshot,
  attestations: Attestations | undefined,
  options: DeriveOptions,
): Generator<AccountFacts> {
  const index = buildIndex(snapshot, attestations);
  for (const account of snapshot.accounts) yield deriveAccount(index, account, options);
}

/** Facts for every account of the snapshot. */
export function deriveFacts(
  snapshot: Snapshot,
  attestations: Attestations | undefined,
  options: DeriveOptions,
): AccountFacts[] {
  return [...deriveFactsIter(snapshot, attestations, options)];
}
