/**
 * How policy verdicts reach rule results: the remediation of a denied verdict
 * is the evaluator's own (it names the policy and, only when the denying
 * statement has one, the exempt principal), and the evaluator's trace is kept
 * where someone must act on it, not on passing results.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { evaluateSnapshot, loadGateConfig } from '../../src/check.js';
import type { Report, RuleResult } from '../../src/report/types.js';
import { loadSnapshotFile } from '../../src/snapshot/load.js';

const DEMO = join(import.meta.dirname, '..', '..', 'examples', 'demo');
let report: Report;
const ruleOf = (accountId: string, id: string): RuleResult =>
  report.accounts.find((a) => a.accountId === accountId)!.rules.find((r) => r.id === id)!;

beforeAll(async () => {
  const { snapshot, sha256 } = await loadSnapshotFile(join(DEMO, 'snapshot.json'));
  const config = await loadGateConfig({ attestationsFile: join(DEMO, 'attestations.json') });
  report = await evaluateSnapshot(snapshot, sha256, config);
});

describe('policy verdict evidence', () => {
  it('a deny with an exemption: the remediation names the policy, the level and the exempt pattern', () => {
    const r = ruleOf('300000000005', 'scp-allows-leave');
    expect(r.status).toBe('fail');
    expect(r.remediation).toMatch(/^detach p-denyleave01 .* from OU ou-demo-prod0001/);
    expect(r.remediation).toMatch(/exempts principals matching arn:aws:iam::\*:role\/BreakGlass/);
    expect(r.evidence.trace).toBeDefined();
  });

  it('an identity-policy implicit deny suggests no exempt principal', () => {
    const r = ruleOf('300000000013', 'principal-allowed-to-leave');
    expect(r.status).toBe('fail');
    expect(r.remediation).not.toMatch(/principal the Deny exempts/);
  });

  it('passing verdict rules carry the decision and summary but not the trace', () => {
    const r = ruleOf('300000000013', 'scp-allows-leave');
    expect(r.status).toBe('pass');
    expect(r.evidence.decision).toBe('allowed');
    expect(r.evidence.trace).toBeUndefined();
    expect(r.remediation).toBeUndefined();
  });
});
