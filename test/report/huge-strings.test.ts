/** One huge string must not make the human formats huge or slow: they show a clipped value (report.json keeps it). */
import { describe, expect, it } from '@jest/globals';
import { MAX_SHOWN_CHARS } from '../../src/report/escape.js';
import { renderHtml, renderJson, renderMarkdown } from '../../src/report/index.js';
import { hostileReport } from './fixtures.js';

describe('huge strings', () => {
  const big = 'A'.repeat(10_000_000);
  const report = hostileReport();
  for (const a of report.accounts.slice(0, 4)) a.name = big;
  report.accounts[0]!.rules[0]!.message = big;

  it.each([
    ['html', renderHtml],
    ['md', renderMarkdown],
  ])('%s shows at most the clipped value and says so', (_f, render) => {
    const out = render(report);
    expect(out.length).toBeLessThan(2_000_000);
    expect(out).toMatch(/more characters; the full value is in report\\?\.json/);
    expect(out).not.toContain('A'.repeat(MAX_SHOWN_CHARS + 1));
  });

  it('report.json keeps the full value', () => {
    expect(renderJson(report)).toContain(big);
  });
});
