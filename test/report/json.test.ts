/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- these tests mutate reports into shapes the type forbids, on purpose */
import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertValidReport,
  loadReportFile,
  renderJson,
  renderJsonChunks,
  validateReport,
} from '../../src/report/json.js';
import type { Report } from '../../src/report/types.js';
import { loadSchema, validateSchema } from '../../src/schema.js';
import { countWarnings } from '../../src/gate/verdict.js';
import {
  HOSTILE,
  buildReport,
  hostileAttestation,
  rule,
  hostileReport,
  largeReport,
  provenanceInputs,
  provenanceReport,
} from './fixtures.js';

function clone(report: Report): Report {
  return structuredClone(report);
}

function invalidPaths(mutate: (r: Record<string, any>) => void): string[] {
  const r = clone(hostileReport()) as unknown as Record<string, any>;
  mutate(r);
  try {
    renderJson(r as unknown as Report);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).code).toBe('report.invalid');
    return (e as InputError).issues.map((i) => i.path);
  }
  throw new Error('renderJson accepted an invalid report');
}

describe('report schema', () => {
  it('is a 2020-12 schema with an $id', () => {
    const schema = loadSchema('report');
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('https://leavegate.dev/schemas/report.schema.json');
  });

  it('accepts a well-formed report, including extensions', () => {
    const result = validateSchema('report', hostileReport(), 'report.json');
    expect(result).toEqual({ ok: true, value: expect.anything() });
  });

  it.each([
    ['bad account id', (r: any) => (r.accounts[0].accountId = '12345'), '/accounts/0/accountId'],
    ['unknown verdict', (r: any) => (r.accounts[1].verdict = 'maybe'), '/accounts/1/verdict'],
    [
      'unknown status',
      (r: any) => (r.accounts[0].rules[2].status = 'ok'),
      '/accounts/0/rules/2/status',
    ],
    [
      'unknown severity',
      (r: any) => (r.accounts[0].rules[0].severity = 'info'),
      '/accounts/0/rules/0/severity',
    ],
    ['bad date', (r: any) => (r.generatedAt = 'yesterday'), '/generatedAt'],
    [
      'bad waiver date',
      (r: any) => (r.accounts[0].rules[1].waiver.expiresAt = '2027-13-01'),
      '/accounts/0/rules/1/waiver/expiresAt',
    ],
    [
      'waived without waiver',
      (r: any) => delete r.accounts[0].rules[1].waiver,
      '/accounts/0/rules/1',
    ],
    ['missing message', (r: any) => delete r.accounts[0].rules[0].message, '/accounts/0/rules/0'],
    ['unknown property', (r: any) => (r.accounts[0].extra = 1), '/accounts/0'],
    ['wrong schemaVersion', (r: any) => (r.schemaVersion = 2), '/schemaVersion'],
    ['bad sha256', (r: any) => (r.snapshot.sha256 = 'xyz'), '/snapshot/sha256'],
    ['tool name', (r: any) => (r.tool.name = 'other'), '/tool/name'],
  ])('rejects %s and names the path', (_name, mutate, path) => {
    expect(invalidPaths(mutate)).toContain(path);
  });

  it('accepts a null organization id and free-form evidence', () => {
    const r = hostileReport();
    r.snapshot.organizationId = null;
    r.accounts[0]!.rules[0]!.evidence = { nested: { deep: [1, 'x', null] } };
    expect(() => assertValidReport(r)).not.toThrow();
  });
});

describe('report consistency', () => {
  it('rejects a verdict that contradicts the rule results', () => {
    expect(invalidPaths((r) => (r.accounts[0].verdict = 'ready'))).toContain('/accounts/0/verdict');
  });

  it('rejects summary counts that do not add up', () => {
    const paths = invalidPaths((r) => {
      r.summary.ready = 5;
      r.summary.accounts = 9;
    });
    expect(paths).toEqual(expect.arrayContaining(['/summary/ready', '/summary/accounts']));
  });

  it('rejects duplicate accounts', () => {
    expect(
      invalidPaths((r) => {
        r.accounts[2].accountId = r.accounts[0].accountId;
        r.accounts[2].name = 'dup';
      }),
    ).toContain('/accounts/2/accountId');
  });

  /** The hostile report's first account (fail, waived, pass) with the catalog of its rules. */
  function withCatalog(): Report {
    const r = buildReport([clone(hostileReport()).accounts[0]!]);
    r.rules = r.accounts[0]!.rules.map((x) => ({
      id: x.id,
      title: x.title,
      severity: x.severity,
      description: 'd',
      remediation: 'r',
      references: [],
      pack: x.id === 'owner-tag-present' ? 'acme' : 'leave-organization',
      waivable: x.id === 'owner-tag-present',
    }));
    return r;
  }

  it('rejects an account without a result for a rule of the catalog', () => {
    const r = withCatalog();
    expect(validateReport(r)).toEqual({ ok: true, value: r });
    // Drop the failing result: the account would read ready, consistently with what is left.
    r.accounts[0]!.rules = r.accounts[0]!.rules.filter((x) => x.status !== 'fail');
    r.accounts[0]!.verdict = 'ready';
    r.summary = { accounts: 1, ready: 1, blocked: 0, unknown: 0 };
    const result = validateReport(r, 'r.json');
    expect(result.ok ? [] : result.issues).toEqual([
      {
        file: 'r.json',
        path: '/accounts/0/rules',
        message: 'has no result for scp-allows-leave: every rule of the report must have one',
      },
    ]);
  });

  it('rejects a waiver on a rule the catalog says cannot be waived', () => {
    const r = withCatalog();
    r.rules!.find((x) => x.id === 'owner-tag-present')!.waivable = false;
    const result = validateReport(r, 'r.json');
    expect(result.ok ? [] : result.issues).toEqual([
      {
        file: 'r.json',
        path: '/accounts/0/rules/1/status',
        message: 'is "waived" but rule owner-tag-present cannot be waived',
      },
    ]);
  });

  it('loadReportFile checks consistency, not only the schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leavegate-report-'));
    try {
      const file = join(dir, 'report.json');
      writeFileSync(file, renderJson(hostileReport()));
      expect(await loadReportFile(file)).toEqual(hostileReport());
      const bad = clone(hostileReport());
      bad.accounts[0]!.verdict = 'ready';
      bad.summary = { accounts: 3, ready: 2, blocked: 0, unknown: 1 };
      writeFileSync(file, JSON.stringify(bad));
      // Schema-valid: only the consistency check sees that a failing account is called ready.
      expect(validateSchema('report', bad).ok).toBe(true);
      await expect(loadReportFile(file)).rejects.toMatchObject({
        code: 'report.invalid',
        message: expect.stringContaining(`${file}: /accounts/0/verdict: is "ready"`),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the file in the message', () => {
    const r = clone(hostileReport());
    (r as any).generatedAt = 'nope';
    expect(() => renderJson(r)).toThrow(
      /^report\.json: \/generatedAt: must match format "date-time"/,
    );
  });
});

describe('renderJson', () => {
  it('round-trips every value, hostile strings included', () => {
    const report = hostileReport();
    const parsed = JSON.parse(renderJson(report)) as Report;
    expect(parsed).toEqual(report);
    expect(parsed.accounts[0]!.name).toContain(HOSTILE.closeScript);
  });

  it('is stable: key order follows the schema, whatever order the input had', () => {
    const report = hostileReport();
    const shuffled = Object.fromEntries(Object.entries(report).reverse()) as unknown as Report;
    shuffled.accounts = report.accounts.map(
      (a) => Object.fromEntries(Object.entries(a).reverse()) as any,
    );
    shuffled.accounts[0]!.rules[0]!.evidence = { statement: 'x', decision: 'explicitDeny' };
    report.accounts[0]!.rules[0]!.evidence = { decision: 'explicitDeny', statement: 'x' };
    const a = renderJson(report);
    expect(renderJson(shuffled)).toBe(a);
    expect(Object.keys(JSON.parse(a))).toEqual([
      'schemaVersion',
      'tool',
      'generatedAt',
      'evaluatedAt',
      'snapshot',
      'rulePacks',
      'summary',
      'accounts',
      'warnings',
      'stats',
    ]);
    expect(a.endsWith('}\n')).toBe(true);
    expect(a).toContain('\n  "schemaVersion": 1,\n');
  });

  it('handles 10,000 accounts, one account per line', () => {
    const report = largeReport(10000);
    const text = renderJson(report);
    expect(text.split('\n').filter((l) => l.startsWith('    {"accountId"'))).toHaveLength(10000);
    const parsed = JSON.parse(text) as Report;
    expect(parsed.accounts).toHaveLength(10000);
    expect(parsed.summary).toEqual(report.summary);
  });
});

describe('what report.json does not repeat', () => {
  const catalogued = (): Report => {
    const results = (id: string) => [
      rule('scp-allows-leave', 'fail', `explicit Deny for ${id} ${HOSTILE.bold}`),
      (({ references: _, ...r }) => r)(rule('phone-verified', 'pass', 'verified')),
    ];
    const report = buildReport([
      { accountId: '222222222222', rules: results('a'), tags: [] },
      { accountId: '333333333333', rules: results('b'), tags: [] },
    ]);
    const rules = report.accounts[0]!.rules.map((r) => ({
      id: r.id,
      title: r.title,
      severity: r.severity,
      description: `About ${r.id}`,
      remediation: r.remediation ?? '',
      references: r.references ?? [],
      pack: r.pack ?? 'leave-organization',
      waivable: false,
    }));
    return { ...report, rules };
  };

  it('leaves out each failing result references the catalog gives, and restores them on load', () => {
    const report = catalogued();
    const text = renderJson(report);
    const parsed = JSON.parse(text) as Report;
    const failed = parsed.accounts.flatMap((a) => a.rules).filter((r) => r.status !== 'pass');
    expect(failed.length).toBeGreaterThan(0);
    for (const r of parsed.accounts.flatMap((a) => a.rules)) {
      expect(r.pack).toBe('leave-organization');
      expect(r.references).toBeUndefined();
    }
    const loaded = validateReport(parsed);
    expect(loaded.ok && loaded.value).toEqual(report);
    // Written again from what was loaded: the same bytes.
    expect(loaded.ok && renderJson(loaded.value)).toBe(text);
  });

  it('keeps what differs from the catalog, and everything when there is no catalog', () => {
    const report = catalogued();
    const own = report.accounts[0]!.rules[0]!;
    own.references = ['https://example.com/own'];
    const parsed = JSON.parse(renderJson(report)) as Report;
    expect(parsed.accounts[0]!.rules[0]!.references).toEqual(['https://example.com/own']);
    const { rules: _rules, ...bareReport } = report;
    const bare = JSON.parse(renderJson(bareReport)) as Report;
    expect(bare.accounts[1]!.rules[0]!.references).toEqual(
      report.accounts[1]!.rules[0]!.references,
    );
  });
});

describe('key order', () => {
  it('keeps a "__proto__" evidence key as a key when it reorders', () => {
    const report = hostileReport();
    const evidence = JSON.parse('{"z": 1, "__proto__": {"polluted": true}}') as Record<
      string,
      unknown
    >;
    report.accounts[0]!.rules[0]!.evidence = evidence;
    const parsed = JSON.parse(renderJson(report)) as Report;
    const written = parsed.accounts[0]!.rules[0]!.evidence as Record<string, unknown>;
    expect(Object.keys(written)).toEqual(['__proto__', 'z']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('writes an object already in order as it is, and sorts a free-form one', () => {
    const report = hostileReport();
    report.accounts[0]!.rules[0]!.evidence = { b: { d: 1, c: 2 }, a: [{ y: 1, x: 2 }] };
    const line = renderJson(report);
    expect(line).toContain('"evidence": {\n');
  });
});

describe('renderJsonChunks (what writeReports streams)', () => {
  it('produces exactly the bytes of renderJson, with and without accounts', () => {
    for (const report of [hostileReport(), largeReport(50), largeReport(1001)]) {
      expect([...renderJsonChunks(report)].join('')).toBe(renderJson(report));
    }
    const empty = {
      ...hostileReport(),
      accounts: [],
      summary: { accounts: 0, ready: 0, blocked: 0, unknown: 0 },
    };
    expect([...renderJsonChunks(empty)].join('')).toBe(renderJson(empty));
  });
});

describe('severity and provenance fields', () => {
  /** Issues of `report` after `mutate`, as JSON paths (an empty list: valid). */
  function issues(report: Report, mutate: (r: Record<string, any>) => void = () => {}): string[] {
    const r = clone(report) as unknown as Record<string, any>;
    mutate(r);
    const result = validateReport(r);
    return result.ok ? [] : result.issues.map((i) => i.path);
  }

  it('accepts summary.warnings, failOn, inputs and rule attestations, and keeps them in report.json', () => {
    for (const failOn of [undefined, 'blocker', 'warning'] as const) {
      expect(issues(provenanceReport(failOn))).toEqual([]);
    }
    const parsed = JSON.parse(renderJson(provenanceReport('warning'))) as Report;
    expect(parsed.failOn).toBe('warning');
    expect(parsed.summary.warnings).toBe(2);
    expect(parsed.inputs).toEqual(provenanceInputs());
    expect(parsed.accounts[0]!.rules[1]!.attestations).toEqual([hostileAttestation()]);
  });

  it.each([
    ['negative warnings', (r: any) => (r.summary.warnings = -1), '/summary/warnings'],
    ['unknown failOn', (r: any) => (r.failOn = 'unknown'), '/failOn'],
    ['bad clock source', (r: any) => (r.inputs.clock.source = 'ntp'), '/inputs/clock/source'],
    ['bad file digest', (r: any) => (r.inputs.waivers.sha256 = 'x'), '/inputs/waivers/sha256'],
    [
      'bad rule digest',
      (r: any) => (r.inputs.rulePacks[0].rules[0].sha256 = 'E'.repeat(64)),
      '/inputs/rulePacks/0/rules/0/sha256',
    ],
    ['plugin without facts', (r: any) => delete r.inputs.plugins[0].facts, '/inputs/plugins/0'],
    ['inputs without command line', (r: any) => delete r.inputs.commandLine, '/inputs'],
    [
      'attestation without attestedBy',
      (r: any) => delete r.accounts[0].rules[1].attestations[0].attestedBy,
      '/accounts/0/rules/1/attestations/0',
    ],
    [
      'attestation with a string value',
      (r: any) => (r.accounts[0].rules[1].attestations[0].value = 'yes'),
      '/accounts/0/rules/1/attestations/0/value',
    ],
  ])('rejects %s', (_name, mutate, path) => {
    expect(issues(provenanceReport(), mutate)).toContain(path);
  });

  it('computes verdicts with the report failOn: a failing warning blocks only under failOn warning', () => {
    // 555… fails only a warning: ready by default, blocked under --fail-on warning.
    const lenient = provenanceReport();
    expect(lenient.accounts[0]!.verdict).toBe('ready');
    expect(issues(lenient, (r) => (r.accounts[0].verdict = 'blocked'))).toContain(
      '/accounts/0/verdict',
    );
    const strict = provenanceReport('warning');
    expect(strict.accounts[0]!.verdict).toBe('blocked');
    expect(issues(strict)).toEqual([]);
    // The strict report's verdicts read without failOn contradict the rules.
    expect(issues(strict, (r) => delete r.failOn)).toContain('/accounts/0/verdict');
  });

  it('rejects a summary.warnings that is not the count of failing or unknown warnings', () => {
    expect(issues(provenanceReport(), (r) => (r.summary.warnings = 1))).toContain(
      '/summary/warnings',
    );
    // A waived warning is not counted.
    expect(countWarnings(hostileReport().accounts)).toBe(0);
  });
});
