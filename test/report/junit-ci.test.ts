import { describe, expect, it } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { junitTimestamp, renderJunit } from '../../src/report/junit.js';
import type { Report } from '../../src/report/types.js';
import { HOSTILE, hostileReport, provenanceReport } from './fixtures.js';

interface Node {
  [key: string]: unknown;
}

function suitesOf(report: Report): Node[] {
  const xml = renderJunit(report);
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
    trimValues: false,
    parseAttributeValue: false,
    parseTagValue: false,
  });
  return ((parser.parse(xml) as Node).testsuites as Node).testsuite as Node[];
}

describe('renderJunit for Jenkins, GitLab and Azure DevOps', () => {
  it('writes timestamp as YYYY-MM-DDTHH:MM:SS: no milliseconds, no zone, in UTC', () => {
    const report = hostileReport();
    report.generatedAt = '2026-11-28T12:00:05.987Z';
    const suites = suitesOf(report);
    expect(suites.map((s) => s['@timestamp'])).toEqual(Array(4).fill('2026-11-28T12:00:05'));
    expect(junitTimestamp('2026-11-28T14:00:05.5+02:00')).toBe('2026-11-28T12:00:05');
    expect(junitTimestamp('2026-11-28T12:00:05Z')).toBe('2026-11-28T12:00:05');
    expect(junitTimestamp('not a date')).toBe('');
    for (const s of suites) expect(s['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  });

  it('gives every testcase a system-out with its message, markup intact as text', () => {
    const suites = suitesOf(hostileReport());
    const cases = suites.flatMap((s) => (s.testcase as Node[] | undefined) ?? []);
    expect(cases).toHaveLength(6);
    expect(cases.map((c) => c['system-out'])).toEqual([
      `explicit Deny in ${HOSTILE.script} ${HOSTILE.pipes}`,
      'no owner tag',
      'not the management account',
      `not attested ${HOSTILE.quotes}`,
      'not the management account',
      'not the management account',
    ]);
    // A warning that does not block keeps its full details there.
    const warn = (suitesOf(provenanceReport())[0]!.testcase as Node[])[0]!;
    expect(warn['system-out']).toContain('no owner tag');
    expect(warn['system-out']).toContain('Remediation:');
  });

  it('removes control characters from system-out, and keeps the XML valid', () => {
    const report = hostileReport();
    report.accounts[0]!.rules[0]!.message =
      'deny \u001b[31mred\u001b[0m\u0000 bell\u0007 c1\u009b end';
    const xml = renderJunit(report);
    expect(XMLValidator.validate(xml)).toBe(true);
    const out = (suitesOf(report)[0]!.testcase as Node[])[0]!['system-out'];
    expect(out).toBe('deny [31mred[0m bell c1 end');
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });
});
