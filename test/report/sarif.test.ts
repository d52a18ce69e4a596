import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Log } from 'sarif';
import { renderSarif } from '../../src/report/sarif.js';
import { HOSTILE, HOSTILE_NAME, hostileReport } from './fixtures.js';

// The official SARIF 2.1.0 (rtm.5) schema, shipped in @microsoft/jest-sarif.
// It is draft-04 and its `language` pattern is not a valid unicode regexp, so
// it is compiled with ajv's default draft and unicodeRegExp off.
function sarifValidator() {
  const require = createRequire(import.meta.url);
  const pkg = dirname(require.resolve('@microsoft/jest-sarif/package.json'));
  const schema = JSON.parse(
    readFileSync(join(pkg, 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8'),
  ) as Record<string, unknown>;
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
    addFormatsModule) as unknown as (ajv: Ajv) => void;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('renderSarif', () => {
  const text = renderSarif(hostileReport());
  const log = JSON.parse(text) as Log;
  const run = log.runs[0]!;

  it('validates against the SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // And the validator is not vacuous.
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
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
    expect(scp.helpUri).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(scp.defaultConfiguration?.level).toBe('error');
    expect(rules[1]!.defaultConfiguration?.level).toBe('warning');
  });

  it('has one result per rule that did not pass, per account', () => {
    const results = run.results!;
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([
      ['scp-allows-leave', 'error'],
      ['owner-tag-present', 'note'],
      ['phone-verified', 'warning'],
    ]);
    const [fail, waived] = results;
    expect(fail!.ruleIndex).toBe(0);
    expect(results[2]!.ruleIndex).toBe(3);
    expect(fail!.message.text).toBe(
      `222222222222 (${HOSTILE_NAME}): explicit Deny in ${HOSTILE.script} ${HOSTILE.pipes}`,
    );
    expect(fail!.locations![0]!.logicalLocations![0]).toEqual({
      name: HOSTILE_NAME,
      fullyQualifiedName: 'r-ab12/ou-ab12-aaaa1111/222222222222',
      kind: 'resource',
    });
    expect(fail!.partialFingerprints).toEqual({
      'leavegate/account-rule/v1': '222222222222/scp-allows-leave',
    });
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
