import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { jsonForScript } from '../../src/report/escape.js';
import { renderHtml } from '../../src/report/html.js';
import {
  HOSTILE,
  HOSTILE_NAME,
  HOSTILE_PROVENANCE,
  buildReport,
  hostileReport,
  largeReport,
  provenanceInputs,
  provenanceReport,
} from './fixtures.js';

/** The page with the two script elements' contents cut out. */
function split(html: string): { markup: string; island: string; script: string } {
  const island = /<script type="application\/json" id="lg-data">([\s\S]*?)<\/script>/.exec(html);
  const script = /<script>([\s\S]*?)<\/script>\n<\/body>/.exec(html);
  if (island === null || script === null) throw new Error('scripts not found');
  return {
    markup: html.replace(island[0], '').replace(script[0], ''),
    island: island[1]!,
    script: script[1]!,
  };
}

describe('renderHtml', () => {
  const html = renderHtml(hostileReport());
  const { markup, island, script } = split(html);

  it('escapes every hostile string in the markup', () => {
    for (const s of [HOSTILE.script, HOSTILE.closeScript, HOSTILE.img, HOSTILE.quotes]) {
      expect(markup).not.toContain(s);
    }
    expect(markup).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(markup).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;');
    expect(markup).toContain('&quot;quotes&quot; and &#39;single&#39; &amp; ampersand');
    // Exactly two script elements: the data island and ours.
    expect(html.match(/<script\b/g)).toHaveLength(2);
    expect(markup).not.toMatch(/<img|onerror=["']?w/i);
  });

  it('keeps the data island inert and lossless', () => {
    expect(island).not.toMatch(/[<>&\u2028\u2029]/);
    const data = JSON.parse(island) as { S: string[] };
    expect(data.S).toContain(HOSTILE_NAME);
    expect(data.S.some((s) => s.includes(HOSTILE.lineSep))).toBe(true);
  });

  it('loads nothing: no external URL except reference links, CSP forbids network', () => {
    const urls = markup.match(/https?:\/\/[^\s"'<]+/g) ?? [];
    const links = [...markup.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);
    for (const url of urls) expect(links).toContain(url);
    expect(markup).not.toMatch(/<link\b|<img\b|<iframe\b|@import|url\(/i);
    expect(markup).toContain("default-src 'none'");
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(markup).toContain(`script-src 'sha256-${hash}'`);
  });

  it('renders summary, rule messages, remediation, waiver, tags and notes without JavaScript', () => {
    expect(markup).toMatch(
      /<a class="card v-blocked"[^>]*><div class="l">Blocked<\/div><div class="n">1</,
    );
    expect(markup).toContain('explicit Deny in &lt;script&gt;');
    expect(markup).toContain('Detach **bold**');
    expect(markup).toContain('Waived: legacy &quot;quotes&quot;');
    expect(markup).toContain('cloud-team@example.com');
    expect(markup).toContain('<code>| pipes | in | cells |</code>');
    expect(markup).toContain('attestation ignored: line1');
    expect(markup).toContain('Tags: </b>none');
    expect(markup).toContain('Tags: </b>not collected');
    // Status is text, not only colour.
    expect(markup).toContain('FAIL</span>');
    expect(markup).toContain('WAIVED</span>');
    expect(markup).toMatch(/<th scope="col">Status<\/th>/);
  });

  it('lists problems first and links references only when they are http(s)', () => {
    const report = hostileReport();
    report.accounts[0]!.rules[0]!.references = [
      'javascript:alert(1)',
      'https://docs.aws.amazon.com/x',
    ];
    const out = renderHtml(report);
    expect(out).not.toContain('href="javascript:');
    expect(out).toContain('<li>javascript:alert(1)</li>');
    expect(out.indexOf('222222222222')).toBeLessThan(out.indexOf('333333333333'));
    expect(out.indexOf('333333333333</span>')).toBeLessThan(out.indexOf('444444444444</span>'));
  });
});

describe('renderHtml overall verdict', () => {
  const verdictLine = (html: string) =>
    /<p class="verdict-line v-(\w+)"[^>]*>(.*?)<\/p>/.exec(html);

  it('never calls a report without accounts ready (the exit code is 3)', () => {
    const line = verdictLine(renderHtml(buildReport([])));
    expect(line?.[1]).toBe('unknown');
    expect(line?.[2]).toContain('<strong>UNKNOWN</strong>');
    expect(line?.[2]).toContain('nothing is known to be ready');
  });

  it('is ready only when every account is ready', () => {
    const ready = buildReport([{ accountId: '444444444444', rules: [] }]);
    expect(verdictLine(renderHtml(ready))?.[1]).toBe('ready');
    expect(verdictLine(renderHtml(hostileReport()))?.[1]).toBe('blocked');
  });
});

describe('renderHtml at scale', () => {
  it('renders 10,000 accounts: the first accounts on the server, the rest as data', () => {
    const report = largeReport(10000);
    const html = renderHtml(report);
    const { markup, island } = split(html);
    expect(markup.match(/<details class="acct /g)).toHaveLength(25);
    expect(markup).toContain('Showing 1\u201325 of 10,000 accounts');
    expect(markup).toContain('Without JavaScript only the first 25 accounts are listed');
    const data = JSON.parse(island) as { A: unknown[]; D: unknown[] };
    expect(data.A).toHaveLength(10000);
    // Rule definitions are stored once, not per account.
    expect(data.D.length).toBeLessThan(20);
    // Evidence is left to report.json for large reports.
    expect(markup).not.toContain('class="ev"');
    // Issue 13: under 5 MB for 10,000 accounts (today's pages are a fraction of that).
    expect(html.length).toBeLessThan(5 * 1024 * 1024);
  });

  it('escapes data island text for a script context', () => {
    expect(jsonForScript({ a: '</script><!--\u2028&' })).toBe(
      '{"a":"\\u003c/script\\u003e\\u003c!--\\u2028\\u0026"}',
    );
    expect(JSON.parse(jsonForScript({ a: '</script>\u2029' }))).toEqual({ a: '</script>\u2029' });
  });
});

describe('renderHtml: severity and provenance', () => {
  const html = renderHtml(provenanceReport());
  const { markup, island } = split(html);
  const esc = (v: string) =>
    v
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;');

  it('says "(N warnings)" in the verdict and counts warnings in a card', () => {
    expect(markup).toContain('<strong>BLOCKED (2 warnings)</strong>');
    expect(markup).toMatch(
      /<div class="card w"[^>]*><div class="l">Warnings<\/div><div class="n">2</,
    );
    expect(markup).toContain('<div class="pct">do not block</div>');
    const report = provenanceReport();
    const one = buildReport(report.accounts.filter((a) => a.accountId === '555555555555'));
    expect(renderHtml(one)).toContain('<strong>READY (1 warning)</strong>');
    expect(renderHtml(provenanceReport('warning'))).toContain('treated as blockers');
    expect(renderHtml(hostileReport())).not.toContain('warnings)</strong>');
  });

  it('marks warning rows that did not pass as warnings, not blockers', () => {
    expect(markup).toContain(
      '<tr class="s-fail w-open"><td><span class="badge s-fail"><span aria-hidden="true">\u2717 </span>FAIL</span><span class="badge w-open">WARNING</span></td><td><code>owner-tag-present</code>',
    );
    expect(markup).toContain('<tr class="s-unknown w-open">');
    expect(markup).toMatch(/<tr class="s-fail"><td>[^]*?<code>scp-allows-leave<\/code>/);
    expect(markup.match(/<span class="badge w-open">/g)).toHaveLength(2);
    expect(markup).toContain('1 failed \u00b7 1 warning \u00b7 1 of 2 passed');
  });

  it('names the attestation on the rule it decided, pass included, escaped', () => {
    expect(markup.match(/<div class="att">/g)).toHaveLength(2);
    expect(markup).toContain(
      `<div class="att"><span class="att-h">Decided by attestation</span><dl><div><dt>Fact</dt><dd>paymentMethodPresent</dd></div><div><dt>Value</dt><dd>true</dd></div><div><dt>Attested by</dt><dd>${esc(HOSTILE_PROVENANCE.attestedBy)}</dd></div>`,
    );
    expect(markup).toContain(`<dt>Evidence</dt><dd>${esc(HOSTILE_PROVENANCE.evidence)}</dd>`);
    expect(markup).not.toContain(HOSTILE_PROVENANCE.attestedBy);
    expect(html.match(/<script\b/g)).toHaveLength(2);
    // The page script renders the same from the island.
    const data = JSON.parse(island) as { S: string[]; A: unknown[][] };
    expect(data.S).toEqual(
      expect.arrayContaining([
        'Attested by',
        HOSTILE_PROVENANCE.attestedBy,
        HOSTILE_PROVENANCE.evidence,
      ]),
    );
  });

  it('shows the inputs once: files with sha256, packs and plugins, a flagged what-if clock, the command line', () => {
    expect(markup.match(/id="h-inputs"/g)).toHaveLength(1);
    expect(markup).toContain(
      `<tr><th scope="row">Snapshot</th><td>out/snapshot.json</td><td><code>${'b'.repeat(64)}</code></td></tr>`,
    );
    expect(markup).toContain(
      `<td>${esc(provenanceInputs().attestations!.path)}</td><td><code>${'c'.repeat(64)}</code></td>`,
    );
    expect(markup).toContain(
      `<tr><th scope="row">Rule</th><td>acme-offboarding/owner-tag-present</td><td><code>${'2'.repeat(64)}</code></td></tr>`,
    );
    expect(markup).toContain(
      'acme-offboarding 1.2.0 from ./plugins/acme.mjs; operators hasTagKey; facts ownerEmail',
    );
    expect(markup).toMatch(
      /<tr class="whatif"><th scope="row">Clock<\/th><td><strong>What-if: <\/strong>2027-01-15 00:00:00 UTC \(set with --now/,
    );
    expect(markup).toContain(
      '<p class="whatif" role="note">What-if: rules were evaluated at 2027-01-15 00:00:00 UTC',
    );
    expect(markup).toContain(
      `<td>leavegate check --now 2027-01-15T00:00:00Z --tag &#39;${esc(HOSTILE_PROVENANCE.arg)}&#39; &#39;a|b \`c\`&#39;</td>`,
    );
    expect(markup).not.toMatch(/<img|<b>ations/i);
    expect(renderHtml(hostileReport())).not.toContain('h-inputs');
  });

  it('lists run warnings apart from warning rules', () => {
    expect(markup).toContain('<h2 id="h-warnings">Run warnings (1)</h2>');
    expect(markup).toContain(`<li>expired waiver ignored ${esc(HOSTILE_PROVENANCE.arg)}</li>`);
  });

  it('keeps inputs once per report at 10,000 accounts', () => {
    const report = largeReport(10000);
    report.inputs = provenanceInputs();
    const out = renderHtml(report);
    expect(out.match(/id="h-inputs"/g)).toHaveLength(1);
    expect(out.match(/<th scope="row">Snapshot<\/th>/g)).toHaveLength(1);
    expect(out.length).toBeLessThan(8 * 1024 * 1024);
  });
});
