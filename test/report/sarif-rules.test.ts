import { describe, expect, it } from '@jest/globals';
import {
  codeFence,
  codeSpan,
  descriptor,
  helpMarkdown,
  remediationMarkdown,
} from '../../src/report/sarif-rules.js';
import { HOSTILE } from './fixtures.js';

const COMMAND = `aws organizations detach-policy --policy-id p-1 --target-id '${HOSTILE.img}'`;

const HOSTILE_RULE = {
  id: 'owner-tag-present',
  title: `Owner ${HOSTILE.bold}`,
  severity: 'warning' as const,
  pack: 'acme\n# pack',
  description: `Checks ${HOSTILE.script} ${HOSTILE.newline}`,
  remediation: `Run \`${COMMAND}\` then [click](javascript:alert(1)) ${HOSTILE.script} \`echo \`\`x\`\`\``,
  references: ['https://docs.aws.amazon.com/a_(b)', 'javascript:alert(1)'],
};

describe('SARIF rule help', () => {
  it('shows the remediation commands as fenced code, verbatim', () => {
    const { commands } = remediationMarkdown(HOSTILE_RULE.remediation);
    expect(commands).toEqual([COMMAND]);
    const md = helpMarkdown(HOSTILE_RULE, 'blocker');
    expect(md).toContain(`**Commands**\n\n\`\`\`sh\n${COMMAND}\n\`\`\``);
  });

  it('escapes rule text: no raw HTML, no link, no heading from the rule', () => {
    const md = helpMarkdown(HOSTILE_RULE, 'blocker');
    const outsideCode = md.replace(/```sh\n[^\n]*\n```/g, '').replace(/(`+) .*? \1/g, '');
    expect(outsideCode).not.toMatch(/<(script|img)/);
    expect(outsideCode).toContain('&lt;script&gt;');
    expect(outsideCode).not.toContain('](javascript');
    expect(outsideCode).toContain('\\[click\\]\\(javascript\\:alert\\(1\\)\\)');
    expect(md.split('\n').filter((l) => l.startsWith('#'))).toEqual([]);
    // Only http(s) references become links; the others are text.
    expect(md).toContain(
      '- [https\\://docs\\.aws\\.amazon\\.com/a\\_\\(b\\)](<https://docs.aws.amazon.com/a_(b)>)',
    );
    expect(md).toContain('- javascript\\:alert\\(1\\)');
    expect(md).toContain('warning: reported, does not block the account');
    expect(helpMarkdown(HOSTILE_RULE, 'warning')).toContain(
      'blocks the account when it fails or cannot be determined',
    );
  });

  it('never lets code close its own span or fence', () => {
    expect(codeSpan('a ``b`` c')).toBe('``` a ``b`` c ```');
    const fence = codeFence('aws x ```\n```y');
    expect(fence).toBe('````sh\naws x ``` ```y\n````');
    expect(codeFence('aws s3 ls\r\nrm -rf /')).toBe('```sh\naws s3 ls rm -rf /\n```');
  });

  it('builds a descriptor GitHub accepts from a hostile rule', () => {
    const long = { ...HOSTILE_RULE, description: 'x'.repeat(5000), title: 't'.repeat(2000) };
    const d = descriptor(long, 'blocker');
    expect(d.fullDescription!.text).toHaveLength(1024);
    expect(d.shortDescription!.text).toHaveLength(1024);
    expect(d.helpUri).toBe('https://docs.aws.amazon.com/a_(b)');
    expect(d.properties!['security-severity']).toBe('5.0');
    expect(d.properties!.tags).toEqual([
      'security',
      'aws-organizations',
      'leavegate',
      'warning',
      // A line break in a pack name cannot reach GitHub's tag filter.
      'acme # pack',
    ]);
    expect(d.defaultConfiguration!.level).toBe('warning');
    expect(descriptor(long, 'warning').defaultConfiguration!.level).toBe('error');
    const noHttp = descriptor({ ...HOSTILE_RULE, references: ['javascript:alert(1)'] }, 'blocker');
    expect(noHttp.helpUri).toBeUndefined();
  });
});
