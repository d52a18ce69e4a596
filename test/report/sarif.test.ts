import { describe, expect, it } from '@jest/globals';
import type { Log } from 'sarif';
import { renderSarif } from '../../src/report/sarif.js';
import {
  HOSTILE,
  HOSTILE_NAME,
  HOSTILE_PROVENANCE,
  hostileAttestation,
  hostileReport,
  provenanceInputs,
  provenanceReport,
} from './fixtures.js';
import { githubProblems, sarifSchemaValidator } from './sarif-check.js';

describe('renderSarif', () => {
  const text = renderSarif(hostileReport());
  const log = JSON.parse(text) as Log;
  const run = log.runs[0]!;

  it('validates against the official SARIF 2.1.0 schema and GitHub ingestion rules', () => {
    const validate = sarifSchemaValidator();
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // And the validator is not vacuous.
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
    expect(githubProblems(log)).toEqual([]);
  });

  it('describes every rule once, with help from remediation and references', () => {
    const rules = run.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual([
      'scp-allows-leave',
      'owner-tag-present',
      'member-account',
      'phone-verified',
    ]);
    const scp = rules[0]!;
    expect(scp.name).toBe('ScpAllowsLeave');
    expect(scp.shortDescription?.text).toBe('Title of scp-allows-leave');
    expect(scp.fullDescription?.text).toBe('Title of scp-allows-leave');
    expect(scp.help?.text).toContain('Detach **bold**');
    expect(scp.help?.markdown).toContain('Detach \\*\\*bold\\*\\*');
    expect(scp.properties?.['security-severity']).toBe('8.0');
    expect(rules[1]!.properties?.['security-severity']).toBe('5.0');
    expect(scp.properties?.tags).toEqual(
      expect.arrayContaining(['security', 'blocker', 'leave-organization']),
    );
    expect(scp.helpUri).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(scp.defaultConfiguration?.level).toBe('error');
    expect(rules[1]!.defaultConfiguration?.level).toBe('warning');
  });

  it('has one result per rule that did not pass, per account', () => {
    const results = run.results!;
    expect(results.map((r) => [r.ruleId, r.kind, r.level])).toEqual([
      ['scp-allows-leave', 'fail', 'error'],
      ['owner-tag-present', 'fail', 'note'],
      // Unknown: kind open, and SARIF then wants level none; that it blocks is said elsewhere.
      ['phone-verified', 'open', 'none'],
    ]);
    expect(results[2]!.message.text).toBe(
      `333333333333 (${HOSTILE.bold}): unknown, blocks like a failure: not attested ${HOSTILE.quotes}`,
    );
    expect(results.map((r): unknown => r.properties?.blocking)).toEqual([true, false, true]);
    const [fail, waived] = results;
    expect(fail!.ruleIndex).toBe(0);
    expect(results[2]!.ruleIndex).toBe(3);
    expect(fail!.message.text).toBe(
      `222222222222 (${HOSTILE_NAME}): explicit Deny in ${HOSTILE.script} ${HOSTILE.pipes}`,
    );
    expect(fail!.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'accounts/222222222222' },
      region: { startLine: 1 },
    });
    expect(fail!.locations![0]!.logicalLocations![0]).toEqual({
      name: HOSTILE_NAME,
      fullyQualifiedName: 'r-ab12/ou-ab12-aaaa1111/222222222222',
      kind: 'resource',
    });
    expect(fail!.partialFingerprints).toEqual({
      'leavegate/account-rule/v1': '222222222222/scp-allows-leave',
      primaryLocationLineHash: expect.stringMatching(/^[0-9a-f]{16}:1$/),
    });
    const hashes = results.map((r) => r.partialFingerprints!.primaryLocationLineHash);
    expect(new Set(hashes).size).toBe(results.length);
    expect(fail!.properties?.evidence).toEqual({
      decision: 'explicitDeny',
      statement: HOSTILE.closeScript,
    });
    expect(waived!.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: `legacy ${HOSTILE.quotes} ${HOSTILE.script}`,
        properties: { owner: 'cloud-team@example.com', expiresAt: '2027-01-31T00:00:00Z' },
      },
    ]);
  });

  it('reports warnings as notifications and keeps strings intact (JSON escapes them)', () => {
    const notes = run.invocations![0]!.toolExecutionNotifications!;
    expect(notes[0]!.message.text).toBe(`attestation for 999999999999 ignored ${HOSTILE.script}`);
    expect(run.tool.driver.version).toBe('0.1.0');
    expect(text.endsWith('\n')).toBe(true);
  });
});

describe('renderSarif: severity and provenance', () => {
  const log = JSON.parse(renderSarif(provenanceReport())) as Log;
  const run = log.runs[0]!;

  it('still validates against the SARIF 2.1.0 schema and GitHub ingestion rules', () => {
    const validate = sarifSchemaValidator();
    expect(validate(log)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    expect(githubProblems(log)).toEqual([]);
  });

  it('gives a failed warning level warning and an unknown one kind open, unless failOn is warning', () => {
    const levels = (l: Log) => l.runs[0]!.results!.map((r) => [r.ruleId, r.level]);
    expect(levels(log)).toEqual([
      ['owner-tag-present', 'warning'],
      ['scp-allows-leave', 'error'],
      ['support-plan-chosen', 'none'],
      ['payment-method-present', 'error'],
    ]);
    const blocking = (l: Log) => l.runs[0]!.results!.map((r): unknown => r.properties?.blocking);
    expect(blocking(log)).toEqual([false, true, false, true]);
    const owner = run.tool.driver.rules!.find((r) => r.id === 'owner-tag-present')!;
    expect(owner.defaultConfiguration?.level).toBe('warning');
    const strict = JSON.parse(renderSarif(provenanceReport('warning'))) as Log;
    expect(levels(strict)).toEqual([
      ['owner-tag-present', 'error'],
      ['scp-allows-leave', 'error'],
      ['support-plan-chosen', 'none'],
      ['payment-method-present', 'error'],
    ]);
    expect(blocking(strict)).toEqual([true, true, true, true]);
    expect(
      strict.runs[0]!.tool.driver.rules!.find((r) => r.id === 'owner-tag-present')!
        .defaultConfiguration?.level,
    ).toBe('error');
  });

  it('names the deciding attestation in the result properties, strings intact', () => {
    const failed = run.results!.find((r) => r.ruleId === 'payment-method-present')!;
    const absent = hostileAttestation({ value: false });
    delete absent.evidence;
    expect(failed.properties?.attestations).toEqual([absent]);
    expect(
      run.results!.find((r) => r.ruleId === 'scp-allows-leave')!.properties,
    ).not.toHaveProperty('attestations');
  });

  it('carries the command line, clock and inputs in the invocation, files as hashed artifacts', () => {
    const inv = run.invocations![0]!;
    expect(inv.arguments).toEqual(provenanceInputs().commandLine);
    expect(inv.commandLine).toBe(
      `leavegate check --now 2027-01-15T00:00:00Z --tag '${HOSTILE_PROVENANCE.arg}' '${HOSTILE_PROVENANCE.pipeArg}'`,
    );
    expect(inv.properties).toMatchObject({
      failOn: 'blocker',
      warnings: 2,
      clock: { now: '2027-01-15T00:00:00Z', source: '--now' },
      whatIf: true,
      inputs: provenanceInputs(),
    });
    expect(inv.toolExecutionNotifications![0]!.message.text).toBe(
      `expired waiver ignored ${HOSTILE_PROVENANCE.arg}`,
    );
    expect(run.artifacts).toEqual([
      {
        location: { uri: 'out/snapshot.json' },
        roles: ['analysisTarget'],
        hashes: { 'sha-256': 'b'.repeat(64) },
      },
      {
        location: { uri: 'attest%20%3Cb%3Eations%3C/b%3E.json' },
        roles: ['userSpecifiedConfiguration'],
        hashes: { 'sha-256': 'c'.repeat(64) },
      },
      {
        location: { uri: 'waivers.json' },
        roles: ['userSpecifiedConfiguration'],
        hashes: { 'sha-256': 'd'.repeat(64) },
      },
    ]);
    const ext = run.tool.extensions!;
    expect(ext.map((e): unknown[] => [e.name, e.version, e.properties?.source])).toEqual([
      ['leave-organization', '1.0.0', 'builtin:rules/leave-organization'],
      ['acme-offboarding', '1.2.0', './plugins/acme.mjs'],
    ]);
    expect(ext[1]!.properties).toMatchObject({
      sha256: '1'.repeat(64),
      operators: ['hasTagKey'],
      facts: ['ownerEmail'],
      rules: [{ id: 'owner-tag-present', sha256: '2'.repeat(64) }],
    });
  });

  it('writes an absolute input path as a file: URI and a relative one as a relative reference', () => {
    const report = provenanceReport();
    report.inputs!.snapshot = { path: '/var/lib/leave gate/snap#1.json', sha256: 'b'.repeat(64) };
    report.inputs!.waivers = { path: 'cfg/waivers?.json', sha256: 'd'.repeat(64) };
    const uris = (JSON.parse(renderSarif(report)) as Log).runs[0]!.artifacts!.map(
      (a) => a.location?.uri,
    );
    expect(uris).toEqual([
      'file:///var/lib/leave%20gate/snap%231.json',
      'attest%20%3Cb%3Eations%3C/b%3E.json',
      'cfg/waivers%3F.json',
    ]);
  });
});
