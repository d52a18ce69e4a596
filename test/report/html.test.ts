import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { jsonForScript } from '../../src/report/escape.js';
import { renderHtml } from '../../src/report/html.js';
import { HOSTILE, HOSTILE_NAME, buildReport, hostileReport, largeReport } from './fixtures.js';

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
  it('renders 10,000 accounts: first page on the server, the rest as data', () => {
    const report = largeReport(10000);
    const html = renderHtml(report);
    const { markup, island } = split(html);
    expect(markup.match(/<details class="acct /g)).toHaveLength(100);
    expect(markup).toContain('Showing 1\u2013100 of 10,000 accounts');
    const data = JSON.parse(island) as { A: unknown[]; D: unknown[] };
    expect(data.A).toHaveLength(10000);
    // Rule definitions are stored once, not per account.
    expect(data.D.length).toBeLessThan(20);
    // Evidence is left to report.json for large reports.
    expect(markup).not.toContain('class="ev"');
    expect(html.length).toBeLessThan(8 * 1024 * 1024);
  });

  it('escapes data island text for a script context', () => {
    expect(jsonForScript({ a: '</script><!--\u2028&' })).toBe(
      '{"a":"\\u003c/script\\u003e\\u003c!--\\u2028\\u0026"}',
    );
    expect(JSON.parse(jsonForScript({ a: '</script>\u2029' }))).toEqual({ a: '</script>\u2029' });
  });
});
