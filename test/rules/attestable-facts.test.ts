/**
 * Rule packs declare attestable facts of their own (pack.json
 * `attestableFacts`): with the pack loaded an attestations file may attest
 * them and the pack's rule reads them as `attested.<fact>`; without it the
 * same file is exit 2 naming the file and JSON path. Plugin facts receive the
 * account's valid attestations only.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { loadRulePack, vocabulary } from '../../src/rules/load.js';
import { runCli } from './run-cli.js';

const temp = mkdtempSync(join(tmpdir(), 'leavegate-attestable-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const SNAPSHOT = join(import.meta.dirname, '..', 'fixtures', 'snapshots', 'single-account.json');
const ACCOUNT = '555555555555';

const packDir = join(temp, 'finance');
mkdirSync(packDir);
writeFileSync(
  join(packDir, 'pack.json'),
  JSON.stringify({
    name: 'finance',
    version: '1.0.0',
    attestableFacts: [
      {
        name: 'financeSignOff',
        description: 'Finance signed off the offboarding',
        type: 'boolean',
      },
    ],
  }),
);
writeFileSync(
  join(packDir, 'finance-signed-off.json'),
  JSON.stringify({
    id: 'finance-signed-off',
    title: 'Finance signed off',
    severity: 'blocker',
    description: 'Finance must sign off before an account leaves.',
    remediation: 'Ask finance, then record a financeSignOff attestation.',
    references: [
      'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts.html',
    ],
    facts: ['attested.financeSignOff'],
    conditions: {
      all: [{ fact: 'attested', path: '$.financeSignOff', operator: 'equal', value: true }],
    },
  }),
);
const pluginFile = join(temp, 'finance-plugin.mjs');
writeFileSync(
  pluginFile,
  `export default {
    name: 'finance-plugin', version: '1.0.0',
    facts: { financeAttestations: (account, snapshot, attestations) =>
      attestations.filter((a) => a.fact === 'financeSignOff').map((a) => a.attestedBy + ':' + a.value) },
    rules: [{
      id: 'finance-plugin-sees', title: 'The plugin fact sees the sign-off', severity: 'warning',
      description: 'A plugin fact reads the valid attestations.', remediation: 'Attest financeSignOff.',
      references: ['https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts.html'],
      facts: ['financeAttestations'],
      conditions: { all: [{ fact: 'financeAttestations', operator: 'contains', value: 'cfo@example.com:true' }] },
    }],
  };\n`,
);

const attestation = (over: Record<string, unknown> = {}) => ({
  accountId: ACCOUNT,
  fact: 'financeSignOff',
  value: true,
  attestedBy: 'cfo@example.com',
  attestedAt: '2026-11-20T00:00:00Z',
  expiresAt: '2026-12-20T00:00:00Z',
  evidence: 'FIN-1',
  ...over,
});
let n = 0;
function attestationsFile(list: unknown[]): string {
  const file = join(temp, `attestations-${++n}.json`);
  writeFileSync(file, JSON.stringify({ schemaVersion: 1, attestations: list }));
  return file;
}

async function check(args: string[]) {
  const out = join(temp, `out-${++n}`);
  const r = await runCli(
    ['check', '--snapshot', SNAPSHOT, '--format', 'json', '--out', out, ...args],
    temp,
  );
  const report =
    r.code === 2
      ? undefined
      : (JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
          accounts: {
            rules: { id: string; status: string; attestations?: { fact: string }[] }[];
          }[];
        });
  const status = (id: string) => report?.accounts[0]?.rules.find((x) => x.id === id);
  return { ...r, status };
}

describe('pack-declared attestable facts', () => {
  it('the pack loads with its declaration', async () => {
    const pack = await loadRulePack(packDir, vocabulary());
    expect(pack.attestableFacts).toEqual([
      {
        name: 'financeSignOff',
        description: 'Finance signed off the offboarding',
        type: 'boolean',
      },
    ]);
  });

  it("with the pack, the attestation is accepted and the pack's rule sees it (pass, named as provenance)", async () => {
    const r = await check([
      '--rules',
      packDir,
      '--attestations',
      attestationsFile([attestation()]),
    ]);
    expect(r.err).not.toContain('error');
    expect(r.status('finance-signed-off')?.status).toBe('pass');
    expect(r.status('finance-signed-off')?.attestations?.[0]?.fact).toBe('financeSignOff');
  });

  it('false fails; expired or missing is unknown', async () => {
    const f = await check([
      '--rules',
      packDir,
      '--attestations',
      attestationsFile([attestation({ value: false })]),
    ]);
    expect(f.status('finance-signed-off')?.status).toBe('fail');
    const expired = attestation({
      attestedAt: '2026-10-01T00:00:00Z',
      expiresAt: '2026-11-01T00:00:00Z',
    });
    const e = await check(['--rules', packDir, '--attestations', attestationsFile([expired])]);
    expect(e.status('finance-signed-off')?.status).toBe('unknown');
    const none = await check(['--rules', packDir]);
    expect(none.status('finance-signed-off')?.status).toBe('unknown');
  });

  it('without the pack, the same attestations file is exit 2 naming the file and JSON path', async () => {
    const file = attestationsFile([attestation()]);
    const r = await check(['--attestations', file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}: /attestations/0/fact: must be one of`);
    expect(r.err).toContain('pack.json');
  });

  it('plugin facts receive the valid attestations only (expired and contradicted left out)', async () => {
    const valid = await check([
      '--rules',
      packDir,
      '--plugin',
      pluginFile,
      '--attestations',
      attestationsFile([attestation()]),
    ]);
    expect(valid.status('finance-plugin-sees')?.status).toBe('pass');
    const expired = attestation({
      attestedAt: '2026-10-01T00:00:00Z',
      expiresAt: '2026-11-01T00:00:00Z',
    });
    const e = await check([
      '--rules',
      packDir,
      '--plugin',
      pluginFile,
      '--attestations',
      attestationsFile([expired]),
    ]);
    expect(e.status('finance-plugin-sees')?.status).toBe('fail');
    const contradicted = [
      attestation(),
      attestation({ value: false, attestedBy: 'auditor@example.com' }),
    ];
    const c = await check([
      '--rules',
      packDir,
      '--plugin',
      pluginFile,
      '--attestations',
      attestationsFile(contradicted),
    ]);
    expect(c.status('finance-plugin-sees')?.status).toBe('fail');
    expect(c.status('finance-signed-off')?.status).toBe('unknown');
  });

  it.each([
    [
      { attestableFacts: [{ name: 'phoneVerified', description: 'x', type: 'boolean' }] },
      '/attestableFacts/0/name',
      'built-in attestable fact',
    ],
    [
      { attestableFacts: [{ name: 'x', description: 'x', type: 'string' }] },
      '/attestableFacts/0/type',
      'must be one of "boolean"',
    ],
    [
      { attestableFacts: [{ name: 'x-y', description: 'x', type: 'boolean' }] },
      '/attestableFacts/0/name',
      'identifier',
    ],
    [{ attestableFacts: {} }, '/attestableFacts', 'must be an array'],
  ])('a bad declaration %j is exit 2 at %s', async (meta, path, message) => {
    const dir = join(temp, `bad-${++n}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'pack.json'), JSON.stringify({ name: 'bad', ...meta }));
    writeFileSync(
      join(dir, 'finance-signed-off.json'),
      readFileSync(join(packDir, 'finance-signed-off.json')),
    );
    const r = await runCli(['rules', 'validate', '--rules', dir], temp);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(dir, 'pack.json')}: ${path}: `);
    expect(r.err).toContain(message);
  });

  it('rules test accepts the pack-declared fact in a case', async () => {
    writeFileSync(
      join(packDir, 'finance-signed-off.test.json'),
      JSON.stringify({
        cases: [
          {
            name: 'signed off',
            rule: 'finance-signed-off',
            account: { id: ACCOUNT },
            attestations: [attestation()],
            expected: 'pass',
          },
          {
            name: 'not signed off',
            rule: 'finance-signed-off',
            account: { id: ACCOUNT },
            expected: 'unknown',
          },
        ],
      }),
    );
    const r = await runCli(['rules', 'test', packDir], temp);
    expect(r.out).toContain('2 cases: 2 agree, 0 disagree');
    expect(r.code).toBe(0);
    rmSync(join(packDir, 'finance-signed-off.test.json'));
  });
});
