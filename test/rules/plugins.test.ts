import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadGateConfig } from '../../src/check.js';
import { InputError } from '../../src/errors.js';
import { loadPlugin, validatePlugin } from '../../src/rules/plugins.js';

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    return (err as InputError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected an InputError');
}

describe('plugins', () => {
  it('rejects a default export that is not a plugin object', () => {
    expect(issuesOf(() => validatePlugin(undefined, 'p.mjs'))[0]).toContain('default export');
    expect(issuesOf(() => validatePlugin({ version: '1' }, 'p.mjs'))).toContain(
      '/name: must be a non-empty string',
    );
  });

  it('rejects non-function operators/facts and replacing built-ins', () => {
    const issues = issuesOf(() =>
      validatePlugin(
        {
          name: 'x',
          version: '1',
          operators: { equal: () => true, odd: 3 },
          facts: { account: () => 1 },
        },
        'p.mjs',
      ),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        '/operators/odd: must be a function',
        '/operators/equal: cannot replace the built-in operator "equal"',
        '/facts/account: cannot replace the built-in fact "account"',
      ]),
    );
  });

  it('a plugin that cannot be imported is an input error naming it', async () => {
    await expect(loadPlugin('./no-such-plugin.mjs', tmpdir())).rejects.toThrow(
      /no-such-plugin\.mjs/,
    );
  });

  it('a plugin rule using an operator nobody provides is a load error with its JSON path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leavegate-plugin-'));
    const file = join(dir, 'p.mjs');
    await writeFile(
      file,
      `export default { name: 'p', version: '1.0.0', rules: [{ id: 'r', title: 'A rule', severity: 'warning',
        description: 'Needs an operator nobody has.', remediation: 'Provide the operator.',
        references: ['https://docs.aws.amazon.com/organizations/latest/userguide/orgs_introduction.html'],
        facts: ['tags'], conditions: { all: [{ fact: 'tags', operator: 'hasTagKey', value: 'Owner' }] },
        messages: { pass: 'ok', fail: 'no' } }] };\n`,
    );
    await expect(loadGateConfig({ plugins: [file] })).rejects.toThrow(
      /p\.mjs#\/rules\/0: \/conditions\/all\/0\/operator: unknown operator "hasTagKey"/,
    );
  });

  it('two plugins providing the same operator or fact is a load error naming the second', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leavegate-plugin-'));
    const body = (name: string) =>
      `export default { name: '${name}', version: '1.0.0', operators: { hasTagKey: () => true }, facts: { ownerEmail: () => 'x' } };\n`;
    await writeFile(join(dir, 'a.mjs'), body('a'));
    await writeFile(join(dir, 'b.mjs'), body('b'));
    const err = await loadGateConfig({ plugins: ['./a.mjs', './b.mjs'], cwd: dir }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).issues.map((i) => `${i.file}: ${i.path}`)).toEqual([
      './b.mjs: /operators/hasTagKey',
      './b.mjs: /facts/ownerEmail',
    ]);
  });
});
