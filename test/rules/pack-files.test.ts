/** Rule pack files go through the one strict JSON reader: duplicate keys and a bad pack.json are exit-2 errors. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { loadRulePack, vocabulary } from '../../src/rules/load.js';

const RULE = {
  id: 'owner-known',
  title: 'Owner known',
  severity: 'warning',
  description: 'The account names its owner.',
  remediation: 'Tag the account with its owner.',
  references: ['https://docs.aws.amazon.com/organizations/latest/userguide/orgs_tagging.html'],
  facts: ['tags'],
  conditions: { all: [{ fact: 'tags', operator: 'equal', value: [] }] },
};

async function pack(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'leavegate-pack-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

async function issuesOf(dir: string): Promise<string[]> {
  const err = await loadRulePack(dir, vocabulary([], [])).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).issues.map(
    (i) => `${(i.file ?? '').replace(dir, 'D')}: ${i.path}: ${i.message}`,
  );
}

describe('rule pack files', () => {
  it('a duplicate key in a rule file names the file and JSON path', async () => {
    const text = JSON.stringify(RULE).replace(
      '"severity":"warning"',
      '"severity":"warning","severity":"blocker"',
    );
    const dir = await pack({ 'owner-known.json': text });
    expect((await issuesOf(dir)).join('\n')).toMatch(
      /^D\/owner-known\.json: \/severity: duplicate key "severity"/,
    );
  });

  it.each([
    ['null', 'must be an object'],
    ['[]', 'must be an object'],
    ['{"name": 3}', '/name: must be a non-empty string'],
    ['{"name":"a","name":"b"}', 'duplicate key "name"'],
  ])('pack.json %s is an error', async (text, message) => {
    const dir = await pack({ 'pack.json': text, 'owner-known.json': JSON.stringify(RULE) });
    expect((await issuesOf(dir)).join('\n')).toContain(message);
  });

  it('a valid pack.json names the pack', async () => {
    const dir = await pack({
      'pack.json': '{"name":"acme","version":"1.2.0"}',
      'owner-known.json': JSON.stringify(RULE),
    });
    const p = await loadRulePack(dir, vocabulary([], []));
    expect([p.name, p.version, p.rules.length]).toEqual(['acme', '1.2.0', 1]);
  });
});

describe('pack.json include', () => {
  it('loads a shared rule file as a rule of the including pack', async () => {
    const shared = await pack({ 'owner-known.json': JSON.stringify(RULE) });
    const dir = await pack({
      'pack.json': JSON.stringify({
        name: 'b',
        include: [`${shared.replace(/.*\//, '../')}/owner-known.json`],
      }),
    });
    const p = await loadRulePack(dir, vocabulary([], []));
    expect(p.rules.map((r) => [r.id, r.pack, r.source])).toEqual([
      ['owner-known', 'b', join(shared, 'owner-known.json')],
    ]);
  });

  it.each([
    ['"x.json"', '/include: must be an array'],
    ['["/abs/x.json"]', '/include/0: must be a relative path'],
    ['[3]', '/include/0: must be a relative path'],
  ])('include %s is an error', async (include, message) => {
    const dir = await pack({
      'pack.json': `{"name":"b","include":${include}}`,
      'owner-known.json': JSON.stringify(RULE),
    });
    expect((await issuesOf(dir)).join('\n')).toContain(message);
  });
});
