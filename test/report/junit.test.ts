import { describe, expect, it } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { create } from 'xmlbuilder2';
import { renderJunit } from '../../src/report/junit.js';
import {
  HOSTILE,
  HOSTILE_NAME,
  HOSTILE_PROVENANCE,
  hostileReport,
  largeReport,
  provenanceReport,
} from './fixtures.js';

interface Node {
  [key: string]: unknown;
}

// Parsed back with an independent XML parser (the renderer uses xmlbuilder2).
function parse(xml: string): Node {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
    // Keep entity-decoded text exactly as in the document.
    trimValues: false,
    parseAttributeValue: false,
    parseTagValue: false,
  });
  return parser.parse(xml) as Node;
}

describe('renderJunit', () => {
  const xml = renderJunit(hostileReport());
  const doc = parse(xml);
  const root = doc.testsuites as Node;
  const suites = root.testsuite as Node[];

  it('has one testsuite per account and one testcase per rule, with totals', () => {
    // Three accounts, then the run's own testsuite (provenance) with no testcase.
    expect(suites).toHaveLength(4);
    expect(suites[3]!['@name']).toBe('leavegate run');
    expect(suites[3]!['@tests']).toBe('0');
    expect(suites[3]!.testcase).toBeUndefined();
    expect((suites[0]!.testcase as Node[]).map((c) => c['@name'])).toEqual([
      'scp-allows-leave',
      'owner-tag-present',
      'member-account',
    ]);
    expect(root['@tests']).toBe('6');
    expect(root['@failures']).toBe('1');
    expect(root['@errors']).toBe('1');
    expect(root['@skipped']).toBe('1');
    expect(suites[0]!['@failures']).toBe('1');
    expect(suites[0]!['@skipped']).toBe('1');
    expect(suites[1]!['@errors']).toBe('1');
    expect(suites[0]!['@timestamp']).toBe('2026-11-28T12:00:05');
  });

  it('maps fail to <failure>, unknown to <error>, waived to <skipped> with the reason, pass to nothing', () => {
    const [fail, waived, pass] = suites[0]!.testcase as Node[];
    const failure = fail!.failure as Node;
    expect(failure['@message']).toBe(`explicit Deny in ${HOSTILE.script} ${HOSTILE.pipes}`);
    expect(failure['@type']).toBe('blocker');
    expect(failure['#text']).toContain('Remediation:');
    expect(failure['#text']).toContain('"decision": "explicitDeny"');
    expect((waived!.skipped as Node)['@message']).toBe(
      `waived: legacy ${HOSTILE.quotes} ${HOSTILE.script} (owner cloud-team@example.com, expires 2027-01-31T00:00:00Z)`,
    );
    // A pass has no outcome element, only its message as output.
    expect(Object.keys(pass!).filter((k) => !k.startsWith('@') && k !== '#text')).toEqual([
      'system-out',
    ]);
    const unknown = (suites[1]!.testcase as Node[])[0]!;
    expect((unknown.error as Node)['@type']).toBe('unknown');
    expect(unknown.failure).toBeUndefined();
  });

  it('escapes hostile strings: they come back exactly, never as markup', () => {
    expect(suites[0]!['@name']).toBe(`222222222222 (${HOSTILE_NAME})`);
    const props = ((suites[0]!.properties as Node).property as Node[]).map((p) => [
      p['@name'],
      p['@value'],
    ]);
    expect(props).toContainEqual(['accountName', HOSTILE_NAME]);
    expect(props).toContainEqual(['verdict', 'blocked']);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('<img');
    expect(suites[0]!['system-out']).toContain('attestation ignored: line1\n# heading');
  });

  it('reads back the same with an independent parser (xmlbuilder2 DOM)', () => {
    const dom = create(xml);
    const suite = dom.root().first();
    expect(suite.node.nodeName).toBe('testsuite');
    const el = suite.node as unknown as { getAttribute(name: string): string | null };
    expect(el.getAttribute('name')).toBe(`222222222222 (${HOSTILE_NAME})`);
    const failure = dom.find((n) => n.node.nodeName === 'failure', true, true);
    const f = failure?.node as unknown as {
      getAttribute(name: string): string | null;
      textContent: string;
    };
    expect(f.getAttribute('message')).toBe(`explicit Deny in ${HOSTILE.script} ${HOSTILE.pipes}`);
    expect(f.textContent).toContain(`"statement": "${HOSTILE.closeScript.replace(/"/g, '\\"')}"`);
  });

  it('replaces characters XML 1.0 cannot carry', () => {
    const report = hostileReport();
    report.accounts[0]!.name = 'bell\u0007 and nul\u0000';
    const out = renderJunit(report);
    expect(XMLValidator.validate(out)).toBe(true);
    expect(out.includes('\u0000') || out.includes('\u0007')).toBe(false);
    expect(out).toContain('bell\uFFFD and nul\uFFFD');
  });

  it('scales to thousands of accounts', () => {
    const report = largeReport(1000);
    const parsed = parse(renderJunit(report));
    const all = (parsed.testsuites as Node).testsuite as Node[];
    expect(all).toHaveLength(1001);
    expect(all.filter((s) => s['@name'] === 'leavegate run')).toHaveLength(1);
    expect((parsed.testsuites as Node)['@tests']).toBe('12000');
  });
});

describe('renderJunit: severity and provenance', () => {
  function suitesOf(failOn?: 'blocker' | 'warning'): Node[] {
    return (parse(renderJunit(provenanceReport(failOn))).testsuites as Node).testsuite as Node[];
  }
  function props(node: Node): [unknown, unknown][] {
    return ((node.properties as Node).property as Node[]).map((p) => [p['@name'], p['@value']]);
  }

  it('shows a failing or unknown warning as skipped with its message, never red', () => {
    const suites = suitesOf();
    const [warn] = suites[0]!.testcase as Node[];
    expect(warn!.failure).toBeUndefined();
    expect(warn!.error).toBeUndefined();
    expect((warn!.skipped as Node)['@message']).toBe(
      'warning (failed, does not block): no owner tag',
    );
    expect(warn!['system-out']).toContain('Remediation:');
    const unknownWarn = (suites[1]!.testcase as Node[])[1]!;
    expect(unknownWarn.error).toBeUndefined();
    expect((unknownWarn.skipped as Node)['@message']).toContain('warning (unknown');
    // Counts follow: the sandbox account has no failure at all.
    expect(suites[0]!['@failures']).toBe('0');
    expect(suites[0]!['@skipped']).toBe('1');
    expect(suites[1]!['@failures']).toBe('2');
    expect(suites[1]!['@errors']).toBe('0');
  });

  it('under failOn warning, maps warnings exactly like blockers', () => {
    const suites = suitesOf('warning');
    const [warn] = suites[0]!.testcase as Node[];
    expect((warn!.failure as Node)['@type']).toBe('warning');
    expect(warn!.skipped).toBeUndefined();
    expect(((suites[1]!.testcase as Node[])[1]!.error as Node)['@type']).toBe('unknown');
    expect(suites[1]!['@errors']).toBe('1');
  });

  it('names the attestation that decided a testcase in its properties, hostile strings intact', () => {
    const suites = suitesOf();
    const attested = (suites[0]!.testcase as Node[])[1]!;
    expect(props(attested)).toEqual([
      ['attestation.0.fact', 'paymentMethodPresent'],
      ['attestation.0.value', 'true'],
      ['attestation.0.attestedBy', HOSTILE_PROVENANCE.attestedBy],
      ['attestation.0.attestedAt', '2026-11-01T09:00:00Z'],
      ['attestation.0.expiresAt', '2027-02-01T00:00:00Z'],
      // Attribute values are one line: newlines become spaces.
      ['attestation.0.evidence', 'JIRA-1 | `rm -rf` ``` # not a heading | x | y |'],
    ]);
    const failed = (suites[1]!.testcase as Node[])[2]!;
    expect((failed.failure as Node)['#text']).toContain(
      `Decided by attestation:\n- fact paymentMethodPresent, value false, attested by ${HOSTILE_PROVENANCE.attestedBy}`,
    );
    expect(props(failed).map(([k]) => k)).not.toContain('attestation.0.evidence');
  });

  it('carries the run once: failOn, warnings, inputs with sha256, command line, run warnings', () => {
    const out = renderJunit(provenanceReport());
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<img');
    const run = suitesOf().at(-1)!;
    expect(run['@name']).toBe('leavegate run');
    const p = props(run);
    expect(p).toContainEqual(['failOn', 'blocker']);
    expect(p).toContainEqual(['warnings', '2']);
    expect(p).toContainEqual(['input.snapshot', `out/snapshot.json sha256:${'b'.repeat(64)}`]);
    expect(p).toContainEqual([
      'input.rule',
      `leave-organization/payment-method-present sha256:${'e'.repeat(64)}`,
    ]);
    expect(p).toContainEqual([
      'input.plugin',
      `acme-offboarding 1.2.0 from ./plugins/acme.mjs; operators hasTagKey; facts ownerEmail sha256:${'1'.repeat(64)}`,
    ]);
    expect(p.find(([k]) => k === 'input.clock')?.[1]).toContain('--now');
    expect(p).toContainEqual([
      'input.command-line',
      `leavegate check --now 2027-01-15T00:00:00Z --tag '${HOSTILE_PROVENANCE.arg}' '${HOSTILE_PROVENANCE.pipeArg}'`,
    ]);
    expect(run['system-err']).toBe(`expired waiver ignored ${HOSTILE_PROVENANCE.arg}`);
  });
});
