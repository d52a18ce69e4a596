import { describe, expect, it } from '@jest/globals';
import { escapeMarkdown } from '../../src/report/escape.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import {
  HOSTILE,
  HOSTILE_PROVENANCE,
  buildReport,
  hostileReport,
  largeReport,
  provenanceReport,
} from './fixtures.js';

/** The text a CommonMark renderer would show for an escaped string (backslash escapes and entities undone). */
function unescape(md: string): string {
  return md
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

describe('escapeMarkdown', () => {
  it.each(Object.entries(HOSTILE))('neutralises %s and keeps its text', (_name, value) => {
    const out = escapeMarkdown(value);
    // No raw HTML, no line break, no unescaped special character.
    expect(out).not.toMatch(/[<>\n\r\u2028\u2029]/);
    expect(out).not.toMatch(/(^|[^\\])[|*_`[\]()#]/);
    expect(unescape(out)).toBe(value.replace(/\r\n|[\r\n\u2028\u2029]/g, ' '));
  });

  it('escapes backslashes so an input cannot cancel an escape', () => {
    expect(escapeMarkdown('\\*x*')).toBe('\\\\\\*x\\*');
    expect(unescape(escapeMarkdown('a\\|b'))).toBe('a\\|b');
  });

  it('leaves plain words alone', () => {
    expect(escapeMarkdown('payments prod 42')).toBe('payments prod 42');
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(hostileReport());
  const lines = md.split('\n');

  it('has a summary table with the counts', () => {
    expect(md).toContain('❌ **BLOCKED**: 1 blocked, 1 unknown, 1 ready of 3 accounts.');
    expect(lines).toContain('| ❌ Blocked | 1 |');
    expect(lines).toContain('| ❔ Unknown | 1 |');
    expect(lines).toContain('| ✅ Ready | 1 |');
    expect(lines).toContain('| **Total** | **3** |');
  });

  it('has a section per blocked or unknown account, not for ready ones', () => {
    const headings = lines.filter((l) => /^### [❌❔]/.test(l));
    expect(headings).toHaveLength(2);
    expect(headings[0]).toMatch(/^### ❌ 222222222222 \(.*\): blocked$/);
    expect(headings[1]).toMatch(/^### ❔ 333333333333 \(.*\): unknown$/);
    expect(md).not.toContain('444444444444');
    expect(md).toMatch(/- ❌ FAIL scp-allows-leave .*explicit Deny in &lt;script&gt;/);
    expect(md).toContain('  - Waiver: legacy "quotes"');
  });

  it('never lets a hostile string through raw', () => {
    expect(md).not.toMatch(/<(script|img)/i);
    expect(md).not.toContain('**bold**');
    expect(md).not.toContain('| pipes |');
    expect(md).not.toMatch(/[\u2028\u2029]/);
    // Every table row still has its column count (no pipe injected into a cell).
    for (const row of lines.filter((l) => l.startsWith('| '))) {
      const cells = row.split(/(?<!\\)\|/).length - 2;
      expect([2, 5]).toContain(cells);
    }
    // A newline in a note cannot start a heading.
    expect(lines.some((l) => l.startsWith('# heading') || l.startsWith('\\# heading'))).toBe(false);
  });

  it('names the waivers a ready account relies on, with reason, owner and expiry', () => {
    const report = hostileReport();
    // Make the blocked account ready: its only remaining non-pass result is the waiver.
    const account = report.accounts[0]!;
    account.rules = account.rules.filter((r) => r.status !== 'fail');
    const out = renderMarkdown(buildReport(report.accounts));
    expect(out).toContain('## Ready with waivers');
    const line = out.split('\n').find((l) => l.startsWith('- 222222222222 '));
    expect(line).toContain('➖ WAIVED owner-tag-present (Title of owner-tag-present)');
    expect(line).toContain(': legacy "quotes"');
    expect(line).toContain('(owner cloud-team\\@example.com, expires 2027-01-31 00:00:00 UTC)');
    expect(renderMarkdown(hostileReport())).not.toContain('Ready with waivers');
  });

  it('never calls a report without accounts ready (the exit code is 3)', () => {
    const out = renderMarkdown(buildReport([]));
    expect(out).toContain('❔ **UNKNOWN**: 0 blocked, 0 unknown, 0 ready of 0 accounts.');
    expect(out).not.toContain('READY');
  });

  it('caps account sections for large reports', () => {
    const out = renderMarkdown(largeReport(2000), { maxAccounts: 10 });
    expect(out.split('\n').filter((l) => /^### [❌❔]/.test(l))).toHaveLength(10);
    expect(out).toMatch(/… and [\d,]+ more accounts not ready: see report\.json/);
  });
});

describe('renderMarkdown: severity and provenance', () => {
  const md = renderMarkdown(provenanceReport());
  const lines = md.split('\n');

  it('says how many warnings there are, in the verdict line and the summary', () => {
    expect(md).toContain(
      '❌ **BLOCKED** (2 warnings): 1 blocked, 0 unknown, 2 ready of 3 accounts.',
    );
    expect(lines).toContain(
      '⚠️ Warnings: **2** (warning rules that failed or are unknown; they do not block).',
    );
    // One account left, ready, with one warning: "ready (1 warning)".
    const report = provenanceReport();
    report.accounts = report.accounts.filter((a) => a.accountId === '555555555555');
    const one = renderMarkdown(buildReport(report.accounts));
    expect(one).toContain('✅ **READY** (1 warning): 0 blocked, 0 unknown, 1 ready of 1 accounts.');
    expect(renderMarkdown(provenanceReport('warning'))).toContain('treated as blockers');
    expect(renderMarkdown(hostileReport())).toContain('⚠️ Warnings: **0**');
  });

  it('marks warning rows as warnings, apart from blockers, and lists warnings of ready accounts', () => {
    expect(lines).toContain(
      '- ⚠️ WARNING ❔ UNKNOWN support-plan-chosen (Title of support-plan-chosen): support plan not attested',
    );
    expect(lines).toContain(
      '- ❌ FAIL scp-allows-leave (Title of scp-allows-leave): explicit Deny',
    );
    expect(md).toContain('## Ready with warnings');
    expect(lines).toContain(
      '- 555555555555 (sandbox): ⚠️ WARNING ❌ FAIL owner-tag-present (Title of owner-tag-present): no owner tag',
    );
    expect(renderMarkdown(hostileReport())).not.toContain('Ready with warnings');
  });

  it('names every attestation that decided a result, pass included, hostile strings escaped', () => {
    const at = lines.indexOf('## Decided by attestations');
    expect(at).toBeGreaterThan(0);
    const section = lines.slice(at, lines.indexOf('', at + 2)).join('\n');
    expect(section).toContain('- 555555555555 (sandbox): ✅ PASS payment-method-present');
    expect(section).toContain(
      '  - Attestation: fact paymentMethodPresent, value true, attested by &lt;script&gt;alert("by")&lt;/script&gt;, attested at 2026-11-01 09:00:00 UTC, expires at 2027-02-01 00:00:00 UTC, evidence JIRA-1 \\| \\`rm -rf\\` \\`\\`\\` # not a heading \\| x \\| y \\|',
    );
    expect(section).toContain('value false, attested by');
    expect(md).not.toMatch(/<script|<img|<b>/i);
    expect(lines.some((l) => /^\\?# not a heading/.test(l))).toBe(false);
    expect(md).not.toMatch(/(^|[^\\])```/m);
  });

  it('lists run warnings and the inputs once: files with sha256, packs, plugins, clock, command line', () => {
    expect(md).toContain('## Run warnings');
    expect(md).toContain('- expired waiver ignored &lt;/script&gt;&lt;img src=x onerror=');
    expect(md).toContain('> ⚠️ **What-if: rules were evaluated at 2027-01-15 00:00:00 UTC');
    expect(lines).toContain(`| Snapshot | out/snapshot.json | ${'b'.repeat(64)} |`);
    expect(lines).toContain(
      `| Rule | leave-organization/payment-method-present | ${'e'.repeat(64)} |`,
    );
    expect(lines).toContain(
      `| Plugin | acme-offboarding 1.2.0 from ./plugins/acme.mjs; operators hasTagKey; facts ownerEmail | ${'1'.repeat(64)} |`,
    );
    const clock = lines.find((l) => l.startsWith('| Clock |'))!;
    expect(clock).toContain('⚠️ **what-if:** 2027-01-15 00:00:00 UTC');
    const cmd = lines.find((l) => l.startsWith('| Command line |'))!;
    expect(cmd).toContain('&lt;/script&gt;&lt;img');
    // A renderer shows the argument exactly, as text.
    expect(unescape(cmd)).toContain(`'${HOSTILE_PROVENANCE.arg}'`);
    expect(cmd).toContain("'a\\|b \\`c\\`'");
    // Every row of the inputs table has exactly three cells (no pipe got through).
    const table = lines.slice(lines.indexOf('## Inputs') + 2).filter((l) => l.startsWith('| '));
    expect(table.length).toBeGreaterThan(8);
    for (const row of table) expect(row.split(/(?<!\\)\|/).length - 2).toBe(3);
    expect(md.match(/^## Inputs$/gm)).toHaveLength(1);
    expect(renderMarkdown(hostileReport())).not.toContain('## Inputs');
  });

  it('caps the attestation section like the account sections', () => {
    const report = largeReport(300);
    for (const a of report.accounts) {
      a.rules.find((r) => r.id === 'payment-method-present')!.attestations = [
        { ...provenanceReport().accounts[0]!.rules[1]!.attestations![0]! },
      ];
    }
    const out = renderMarkdown(report, { maxAccounts: 10 }).split('\n');
    const at = out.indexOf('## Decided by attestations');
    const section = out.slice(at + 2, out.indexOf('', at + 2));
    expect(section.filter((l) => l.startsWith('- 1'))).toHaveLength(10);
    expect(section.at(-1)).toBe('- … and 290 more accounts: see report.json');
  });
});
