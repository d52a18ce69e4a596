/**
 * Hand-built reports for the report tests: a small one full of hostile
 * strings, and a deterministic builder for large ones.
 */
import { countWarnings, verdictOf } from '../../src/gate/verdict.js';
import type {
  AccountReport,
  AttestationUsed,
  Report,
  ReportInputs,
  RuleResult,
  RuleStatus,
} from '../../src/report/types.js';

/** Strings every format must neutralise. */
export const HOSTILE = {
  script: '<script>alert(1)</script>',
  closeScript: '</script><script>window.__pwned=1</script>',
  img: '<img src=x onerror="window.__pwned=1">',
  pipes: '| pipes | in | cells |',
  bold: '**bold** _em_ `code` [link](javascript:alert(1))',
  quotes: '"quotes" and \'single\' & ampersand',
  lineSep: 'before\u2028after\u2029end',
  newline: 'line1\n# heading\n| a | b |',
} as const;

/** The account name used to prove that HTML from data never runs. */
export const HOSTILE_NAME = `${HOSTILE.img}${HOSTILE.closeScript}`;

const DOC =
  'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_remove.html';

export function rule(
  id: string,
  status: RuleStatus,
  message: string,
  extra: Partial<RuleResult> = {},
): RuleResult {
  return {
    id,
    title: `Title of ${id}`,
    severity: 'blocker',
    status,
    message,
    evidence: { found: status === 'pass', expected: true },
    remediation: `Fix ${id}: run aws organizations describe-account --account-id 222222222222`,
    pack: 'leave-organization',
    references: [DOC],
    ...extra,
  };
}

/** Builds a consistent report (verdicts, under `extra.failOn`, and summary derived from the rules). */
export function buildReport(
  accounts: Omit<AccountReport, 'verdict'>[],
  extra: Partial<Report> = {},
): Report {
  const full: AccountReport[] = accounts.map((a) => ({
    ...a,
    verdict: verdictOf(a, extra.failOn),
  }));
  const count = (v: string) => full.filter((a) => a.verdict === v).length;
  return {
    schemaVersion: 1,
    tool: { name: 'leavegate', version: '0.1.0' },
    generatedAt: '2026-11-28T12:00:05Z',
    evaluatedAt: '2026-11-28T12:00:00Z',
    snapshot: {
      collectedAt: '2026-11-28T12:00:00Z',
      organizationId: 'o-abc123defg',
      sha256: 'a'.repeat(64),
    },
    rulePacks: [{ name: 'leave-organization', version: '1.0.0', rules: 3 }],
    summary: {
      accounts: full.length,
      ready: count('ready'),
      blocked: count('blocked'),
      unknown: count('unknown'),
    },
    accounts: full,
    stats: { durationMs: 12, apiCalls: {} },
    ...extra,
  };
}

/** Three accounts (blocked, unknown, ready) whose strings are all hostile. */
export function hostileReport(): Report {
  return buildReport(
    [
      {
        accountId: '222222222222',
        name: HOSTILE_NAME,
        rules: [
          rule('scp-allows-leave', 'fail', `explicit Deny in ${HOSTILE.script} ${HOSTILE.pipes}`, {
            evidence: { decision: 'explicitDeny', statement: HOSTILE.closeScript },
            remediation: `Detach ${HOSTILE.bold} ${HOSTILE.lineSep}`,
          }),
          rule('owner-tag-present', 'waived', 'no owner tag', {
            severity: 'warning',
            waiver: {
              reason: `legacy ${HOSTILE.quotes} ${HOSTILE.script}`,
              owner: 'cloud-team@example.com',
              expiresAt: '2027-01-31T00:00:00Z',
            },
          }),
          rule('member-account', 'pass', 'not the management account'),
        ],
        tags: [{ key: HOSTILE.pipes, value: HOSTILE.script }],
        ouPath: ['r-ab12', 'ou-ab12-aaaa1111'],
        notes: [`attestation ignored: ${HOSTILE.newline}`],
      },
      {
        accountId: '333333333333',
        name: HOSTILE.bold,
        rules: [
          rule('phone-verified', 'unknown', `not attested ${HOSTILE.quotes}`),
          rule('member-account', 'pass', 'not the management account'),
        ],
        tags: [],
      },
      {
        accountId: '444444444444',
        name: 'payments-prod',
        rules: [rule('member-account', 'pass', 'not the management account')],
      },
    ],
    { warnings: [`attestation for 999999999999 ignored ${HOSTILE.script}`] },
  );
}

/** Hostile strings for the provenance fields (attestations, command line). */
export const HOSTILE_PROVENANCE = {
  attestedBy: '<script>alert("by")</script>',
  evidence: 'JIRA-1 | `rm -rf` ```\n# not a heading\n| x | y |',
  arg: '</script><img src=x onerror="window.__pwned=1">',
  pipeArg: 'a|b `c`',
} as const;

/** An attestation whose strings are hostile. */
export function hostileAttestation(extra: Partial<AttestationUsed> = {}): AttestationUsed {
  return {
    fact: 'paymentMethodPresent',
    value: true,
    attestedBy: HOSTILE_PROVENANCE.attestedBy,
    attestedAt: '2026-11-01T09:00:00Z',
    expiresAt: '2027-02-01T00:00:00Z',
    evidence: HOSTILE_PROVENANCE.evidence,
    ...extra,
  };
}

/** Inputs of a `--now` what-if run whose command line carries markup. */
export function provenanceInputs(): ReportInputs {
  return {
    snapshot: { path: 'out/snapshot.json', sha256: 'b'.repeat(64) },
    attestations: { path: 'attest <b>ations</b>.json', sha256: 'c'.repeat(64) },
    waivers: { path: 'waivers.json', sha256: 'd'.repeat(64) },
    rulePacks: [
      {
        name: 'leave-organization',
        version: '1.0.0',
        source: 'builtin:rules/leave-organization',
        rules: [
          { id: 'payment-method-present', sha256: 'e'.repeat(64) },
          { id: 'scp-allows-leave', sha256: 'f'.repeat(64) },
        ],
      },
    ],
    plugins: [
      {
        name: 'acme-offboarding',
        version: '1.2.0',
        source: './plugins/acme.mjs',
        sha256: '1'.repeat(64),
        rules: [{ id: 'owner-tag-present', sha256: '2'.repeat(64) }],
        operators: ['hasTagKey'],
        facts: ['ownerEmail'],
      },
    ],
    clock: { now: '2027-01-15T00:00:00Z', source: '--now' },
    commandLine: [
      'check',
      '--now',
      '2027-01-15T00:00:00Z',
      '--tag',
      HOSTILE_PROVENANCE.arg,
      HOSTILE_PROVENANCE.pipeArg,
    ],
  };
}

/**
 * Severity and provenance: 555… is ready but fails a warning and passes on a
 * hostile attestation; 666… is blocked and unknown on a warning; 777… is
 * ready and clean. Under `failOn: 'warning'` 555… and 666… are blocked.
 */
export function provenanceReport(failOn?: 'blocker' | 'warning'): Report {
  const absent = hostileAttestation({ value: false });
  delete absent.evidence;
  const report = buildReport(
    [
      {
        accountId: '555555555555',
        name: 'sandbox',
        rules: [
          rule('owner-tag-present', 'fail', 'no owner tag', { severity: 'warning' }),
          rule('payment-method-present', 'pass', 'payment method attested', {
            attestations: [hostileAttestation()],
          }),
        ],
      },
      {
        accountId: '666666666666',
        name: 'legacy',
        rules: [
          rule('scp-allows-leave', 'fail', 'explicit Deny'),
          rule('support-plan-chosen', 'unknown', 'support plan not attested', {
            severity: 'warning',
          }),
          rule('payment-method-present', 'fail', 'attested absent', {
            attestations: [absent],
          }),
        ],
      },
      {
        accountId: '777777777777',
        name: 'clean',
        rules: [rule('member-account', 'pass', 'not the management account')],
      },
    ],
    {
      ...(failOn === undefined ? {} : { failOn }),
      inputs: provenanceInputs(),
      warnings: [`expired waiver ignored ${HOSTILE_PROVENANCE.arg}`],
    },
  );
  report.summary.warnings = countWarnings(report.accounts);
  return report;
}

const RULE_IDS = [
  'member-account',
  'account-active',
  'scp-allows-leave',
  'principal-allowed-to-leave',
  'not-delegated-admin',
  'waiting-period-elapsed',
  'contact-info-complete',
  'phone-verified',
  'payment-method-present',
  'support-plan-chosen',
  'billing-access-enabled',
  'tags-inventoried',
];

/** Account id for index `i` of a large report. */
export function largeAccountId(i: number): string {
  return String(100000000000 + i);
}

/**
 * A report of `n` accounts with 12 rules each, deterministic: every 10th
 * account fails `not-delegated-admin`, every 7th is unknown on
 * `payment-method-present`, every 25th fails `scp-allows-leave`.
 */
export function largeReport(n: number): Report {
  const accounts: Omit<AccountReport, 'verdict'>[] = [];
  for (let i = 0; i < n; i++) {
    const rules = RULE_IDS.map((id) => {
      let status: RuleStatus = 'pass';
      if (id === 'not-delegated-admin' && i % 10 === 3) status = 'fail';
      if (id === 'payment-method-present' && i % 7 === 2) status = 'unknown';
      if (id === 'scp-allows-leave' && i % 25 === 4) status = 'fail';
      const message =
        status === 'pass'
          ? `${id} passed`
          : id === 'not-delegated-admin'
            ? `delegated administrator for guardduty.amazonaws.com (account ${largeAccountId(i)})`
            : `${id} ${status} for account ${largeAccountId(i)}`;
      return rule(id, status, message, {
        evidence: { decision: status === 'pass' ? 'allowed' : 'explicitDeny', index: i },
      });
    });
    accounts.push({
      accountId: largeAccountId(i),
      name: `workload-${String(i).padStart(5, '0')}`,
      rules,
      tags: [
        { key: 'team', value: `team-${i % 40}` },
        { key: 'CostCenter', value: String(1000 + (i % 97)) },
      ],
      ouPath: ['r-ab12', `ou-ab12-${String(i % 50).padStart(8, '0')}`],
    });
  }
  return buildReport(accounts, {
    rulePacks: [{ name: 'leave-organization', version: '1.0.0', rules: 12 }],
  });
}
