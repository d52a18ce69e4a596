/**
 * `leavegate rules doc`: the committed docs/rules/ pages are what the
 * built-in rules render to now (a changed rule without regenerated pages
 * fails here), the conditions read as words, and rule text is escaped for
 * Markdown.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { packageRoot } from '../../src/paths.js';
import { conditionsInWords } from '../../src/rules/doc-conditions.js';
import { documentedRules, renderRuleDocs } from '../../src/rules/doc-write.js';
import { codeSpan, mdText } from '../../src/rules/doc.js';
import { runCli } from './run-cli.js';

const docs = join(packageRoot(), 'docs', 'rules');
const temp = mkdtempSync(join(tmpdir(), 'leavegate-rules-doc-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('docs/rules/', () => {
  it('is current: every page equals what `leavegate rules doc` writes (regenerate with it)', async () => {
    const pages = renderRuleDocs(await documentedRules([]));
    expect(readdirSync(docs).sort()).toEqual([...pages.keys()].sort());
    for (const [name, text] of pages)
      expect({ name, current: readFileSync(join(docs, name), 'utf8') === text }).toEqual({
        name,
        current: true,
      });
    expect(pages.size).toBe(12 + 4 + 8 + 1);
  });

  it('a rule changed without regenerating is caught', async () => {
    const rules = await documentedRules([]);
    const changed = rules.map((d) =>
      d.rule.id === 'waiting-period-elapsed'
        ? {
            ...d,
            rule: {
              ...d.rule,
              conditions: {
                all: [{ fact: 'daysSinceJoined', operator: 'greaterThanInclusive', value: 7 }],
              },
            },
          }
        : d,
    );
    const page = renderRuleDocs(changed).get('waiting-period-elapsed.md')!;
    expect(page).toContain('`daysSinceJoined` is at least 7');
    expect(readFileSync(join(docs, 'waiting-period-elapsed.md'), 'utf8')).not.toBe(page);
  });

  it('a page has the id, severity, packs, facts, conditions in words, commands as code blocks, titled references, waivability', () => {
    const page = readFileSync(join(docs, 'waiting-period-elapsed.md'), 'utf8');
    expect(page).toMatch(/^# `waiting-period-elapsed`: Waiting period after joining has elapsed\n/);
    expect(page).toContain('- **Severity:** blocker');
    expect(page).toContain('- **Pack:** `leave-organization`, `transfer-organization`');
    expect(page).toContain('- **Waivable:** no');
    expect(page).toContain('- `daysSinceJoined`\n');
    expect(page).toContain(
      '- any of:\n  - `account.joinedMethod` is `"INVITED"`\n  - `daysSinceJoined` is at least 4',
    );
    expect(page).toContain(
      '```sh\naws organizations describe-account --account-id <id> --query "Account.[JoinedMethod,JoinedTimestamp]"\n```',
    );
    expect(page).toContain(
      '[AWS Organizations API Reference: LeaveOrganization](https://docs.aws.amazon.com/organizations/latest/APIReference/API_LeaveOrganization.html)',
    );
    const root = readFileSync(join(docs, 'root-credentials-recoverable.md'), 'utf8');
    expect(root).toContain('- **Severity:** blocker; warning in a transfer check');
    expect(root).toContain('- **Waivable:** yes');
  });
});

describe('conditions in words', () => {
  it('renders all/any/not, comparisons and element conditions', () => {
    const words = conditionsInWords({
      all: [
        {
          fact: 'tags',
          operator: 'someElement',
          value: {
            all: [
              { path: '$.key', operator: 'equal', value: 'Owner' },
              { not: { path: '$.value', operator: 'in', value: ['', 'none'] } },
            ],
          },
        },
        { not: { fact: 'account', path: '$.state', operator: 'notEqual', value: 'ACTIVE' } },
        { fact: 'x', operator: 'hasTagKey', value: 'Owner' },
      ],
    });
    expect(words).toBe(
      [
        '- all of:',
        '  - `tags` has some element where:',
        '    - all of:',
        '      - the element\'s `key` is `"Owner"`',
        '      - not:',
        '        - the element\'s `value` is one of `""`, `"none"`',
        '  - not:',
        '    - `account.state` is not `"ACTIVE"`',
        '  - `x` satisfies the operator `hasTagKey` with `"Owner"`',
      ].join('\n'),
    );
  });

  it('escapes rule text: no heading, link, HTML or table break from a title', () => {
    expect(mdText('# [x](http://e) <b>|*')).toBe('\\# \\[x\\](http://e) &lt;b&gt;\\|\\*');
    expect(mdText('1. first\nline')).toBe('\\1. first line');
    expect(codeSpan('a ` b')).toBe('``a ` b``');
  });
});

describe('leavegate rules doc on a user pack', () => {
  it('writes a page per rule and the index into --out, escaping its text', async () => {
    const dir = join(temp, 'pack');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'owner-tag.json'),
      JSON.stringify({
        id: 'owner-tag',
        title: '<script>alert(1)</script> [owner](javascript:x)',
        severity: 'warning',
        description: '# not a heading',
        remediation:
          'Run `aws organizations tag-resource --resource-id <id> --tags Key=Owner,Value=x` now.',
        references: ['https://example.com/a(b)'],
        facts: ['tags'],
        conditions: {
          all: [
            {
              fact: 'tags',
              operator: 'someElement',
              value: { path: '$.key', operator: 'equal', value: 'Owner' },
            },
          ],
        },
      }),
    );
    writeFileSync(join(dir, 'owner-tag.test.json'), '{"cases": []}');
    const out = join(temp, 'out');
    const r = await runCli(['rules', 'doc', dir, '--out', out], temp);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['README.md', 'owner-tag.md']);
    const page = readFileSync(join(out, 'owner-tag.md'), 'utf8');
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;');
    expect(page).toContain('\\[owner\\](javascript:x)');
    expect(page).toContain('\n\\# not a heading\n');
    expect(page).toContain('- **Waivable:** yes');
    expect(page).toContain('[example.com/a(b)](https://example.com/a%28b%29)');
    expect(page).toContain('`tags` has some element where:\n  - the element\'s `key` is `"Owner"`');
  });
});
