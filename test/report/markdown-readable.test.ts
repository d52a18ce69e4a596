/** report.md reads as written, stays inert, and gives each remediation once per rule. */
import { describe, expect, it } from '@jest/globals';
import { markdownCode, markdownText } from '../../src/report/escape.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildReport, hostileReport, largeReport, rule } from './fixtures.js';

/** What a CommonMark renderer shows for escaped text (backslash escapes and entities undone). */
function shown(md: string): string {
  return md
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&#32;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The content of a single code span, per CommonMark (fence, one padding space stripped). */
function spanContent(span: string): string {
  const fence = /^`+/.exec(span)![0];
  expect(span.endsWith(fence)).toBe(true);
  const inner = span.slice(fence.length, span.length - fence.length);
  expect(inner).not.toContain(fence + (inner.includes(fence + '`') ? '' : ''));
  return /^ .* $/.test(inner) && inner.trim() !== '' ? inner.slice(1, -1) : inner;
}

describe('markdownText', () => {
  it('leaves ordinary punctuation alone', () => {
    for (const s of [
      'payments-prod.example (v1.2): ok! #42 + 3 = 45',
      'orgs_manage_accounts_leave-as-member',
      'a & b "quoted" it\'s {braces}',
    ]) {
      expect(markdownText(s)).toBe(s);
    }
  });

  it.each([
    ['raw HTML', '<script>alert(1)</script>', /<script/],
    ['a link', '[x](javascript:alert(1))', /(^|[^\\])\[/],
    ['an image', '![x](https://evil.example/x.png)', /(^|[^\\])\[/],
    ['an autolink', 'see https://evil.example/path', /[^\\]:\/\//],
    ['a www autolink', 'www.evil.example', /www\.(?!\\)/],
    ['an email autolink', 'jane@evil.example', /[^\\]@/],
    ['emphasis', '**bold** _em_ ~~strike~~', /(^|[^\\])[*~]|(^|[^\\])_(?![a-z])/],
    ['code', '`code`', /(^|[^\\])`/],
    ['a table pipe', 'a | b', /(^|[^\\])\|/],
    ['an entity', '&lt;script&gt;', /&lt;script/],
    ['math', '$x^2$', /(^|[^\\])\$/],
    ['a heading', '# heading', /^#/],
    ['a list item', '- item', /^-/],
    ['an ordered list item', '1. item', /^1\./],
    ['a line break', 'line1\n# heading\r\n| a |', /[\n\r]/],
  ])('neutralises %s and keeps its text', (_name, value, forbidden) => {
    const out = markdownText(value);
    expect(out).not.toMatch(forbidden);
    expect(shown(out)).toBe(value.replace(/\r\n|[\r\n]/g, ' '));
  });

  it('escapes a backslash so an input cannot cancel an escape', () => {
    expect(markdownText('\\*x*')).toBe('\\\\\\*x\\*');
  });
});

describe('markdownCode', () => {
  it.each([
    ['plain', 'aws iam delete-role --role-name X'],
    ['one backtick', 'echo `id`'],
    ['a run of three', 'a ``` b'],
    ['starts with a backtick', '`x'],
    ['spaces at both ends', ' x '],
    ['markup', '<script>alert(1)</script> | [x](y)'],
  ])('%s: one code span whose content is the command', (_name, cmd) => {
    const span = markdownCode(cmd);
    const longest = Math.max(0, ...(cmd.match(/`+/g) ?? []).map((r) => r.length));
    expect(/^`+/.exec(span)![0]).toHaveLength(longest + 1);
    expect(spanContent(span)).toBe(cmd);
  });

  it('turns line breaks into spaces', () => {
    expect(markdownCode('a\nb')).toBe('`a b`');
  });
});

describe('renderMarkdown: readable, remediation once per rule', () => {
  it('gives each remediation once, with the accounts it applies to', () => {
    const out = renderMarkdown(largeReport(100));
    const lines = out.split('\n');
    // not-delegated-admin fails for accounts 3, 13, ..., 93: ten accounts, one remediation.
    const rem = lines.filter((l) => l.startsWith('Fix not-delegated-admin:'));
    expect(rem).toHaveLength(1);
    const applies = lines.find((l) => l.startsWith('Failed for 10 accounts: 100000000003'));
    expect(applies).toContain('100000000093 (workload-00093).');
    expect(out).not.toContain('Remediation:');
    expect(lines).toContain('## How to fix');
  });

  it("factors the account's own id out of a remediation that names it", () => {
    const accounts = ['222222222222', '333333333333'].map((id) => ({
      accountId: id,
      rules: [
        rule('phone-verified', 'unknown', 'not attested', {
          remediation: `record it: \`leavegate attest --account ${id}\``,
        }),
      ],
    }));
    const out = renderMarkdown(buildReport(accounts));
    expect(out).toContain('record it: `leavegate attest --account <account-id>`');
    expect(out).toContain('Unknown for 2 accounts: 222222222222, 333333333333.');
    expect(out).not.toContain('--account 222222222222');
  });

  it('shows commands as code spans, with a longer fence around backticks', () => {
    const out = renderMarkdown(
      buildReport([
        {
          accountId: '222222222222',
          rules: [
            rule('scp-allows-leave', 'fail', 'denied', {
              remediation: 'Run ``echo `id` `` then `aws organizations list-roots`.',
            }),
          ],
        },
      ]),
    );
    expect(out).toContain('Run `` echo `id`  `` then `aws organizations list-roots`.');
    expect(out).not.toContain('\\`');
  });

  it('keeps hostile account data inert: no raw HTML, link, image, heading or broken table', () => {
    const out = renderMarkdown(hostileReport());
    expect(out).not.toMatch(/<(script|img)/i);
    expect(out).not.toMatch(/(^|[^\\])\[link\]\(javascript/);
    expect(out).not.toMatch(/(^|[^\\])!\[/);
    expect(out.split('\n').some((l) => /^#+ heading/.test(l))).toBe(false);
    for (const row of out.split('\n').filter((l) => l.startsWith('| '))) {
      expect([2, 5, 3]).toContain(row.split(/(?<!\\)\|/).length - 2);
    }
    // Reference links come from the rules only, titled.
    expect(out).toContain(
      'References: [Manage accounts remove — AWS Organizations User Guide](https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_remove.html)',
    );
  });
});
