/** The built-in packs per mode: the impact pack joins leave (waivable), its severity is per mode. */
import { describe, expect, it } from '@jest/globals';
import { loadGateConfig } from '../../src/check.js';
import {
  applyBuiltinPack,
  BUILTIN_PACKS,
  builtinRulesDir,
  loadRulePack,
  vocabulary,
} from '../../src/rules/load.js';

/** A transfer check names its target organization. */
const inputsFor = (mode: 'leave' | 'transfer') =>
  mode === 'transfer' ? { mode, transfer: { targetOrganizationId: 'o-target12345' } } : { mode };

const severityOf = async (mode: 'leave' | 'transfer', id: string) => {
  const config = await loadGateConfig(inputsFor(mode));
  const rule = config.packs.flatMap((p) => p.rules).find((r) => r.id === id);
  return [rule?.severity, rule?.waivable];
};

describe('built-in packs', () => {
  it('leave loads leave-organization (not waivable) then leave-impact (waivable)', async () => {
    expect(BUILTIN_PACKS.leave.map((p) => [p.dir, p.waivable])).toEqual([
      ['leave-organization', false],
      ['leave-impact', true],
    ]);
    const config = await loadGateConfig({ mode: 'leave' });
    expect(config.packs.map((p) => [p.name, p.rules.length])).toEqual([
      ['leave-organization', 12],
      ['leave-impact', 8],
    ]);
    expect(config.packs[0]!.rules.every((r) => !r.waivable)).toBe(true);
    expect(config.packs[1]!.rules.every((r) => r.waivable)).toBe(true);
  });

  it('root-credentials-recoverable blocks a leave and warns a transfer, from one rule file', async () => {
    expect(await severityOf('leave', 'root-credentials-recoverable')).toEqual(['blocker', true]);
    expect(await severityOf('transfer', 'root-credentials-recoverable')).toEqual(['warning', true]);
    expect(await severityOf('transfer', 'stacksets-retain-stacks')).toEqual(['blocker', true]);
  });

  it('the overridden severity is in the provenance digest (the rule decided on is the weighed one)', async () => {
    const digest = async (mode: 'leave' | 'transfer') =>
      (await loadGateConfig(inputsFor(mode))).provenance.rulePacks
        .flatMap((p) => p.rules)
        .find((r) => r.id === 'root-credentials-recoverable')?.sha256;
    expect(await digest('leave')).not.toEqual(await digest('transfer'));
  });

  it('an override naming no rule of the pack is an internal error', async () => {
    const pack = await loadRulePack(builtinRulesDir('leave-impact'), vocabulary());
    expect(() =>
      applyBuiltinPack(pack, {
        dir: 'leave-impact',
        waivable: true,
        severity: { nope: 'warning' },
      }),
    ).toThrow('overrides the severity of no rule "nope"');
  });
});
