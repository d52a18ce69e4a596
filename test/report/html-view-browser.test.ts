/**
 * report.html for people, in Chromium: the failing-only view with its "show
 * passed rules" toggle, everything open when printed, OU names beside ids,
 * titled reference links, commands as code, one timestamp format — and the
 * same markup whether the server or the page script rendered it. Also
 * prints how long 10,000 accounts take to become interactive (not asserted:
 * `npm run bench` measures it).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderHtml, type HtmlOptions } from '../../src/report/html.js';
import type { Report } from '../../src/report/types.js';
import { HOSTILE, hostileReport, largeReport } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const BROWSER_MARKER = join(tmpdir(), 'leavegate-browser-tests-ran');
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') {
  describe('report.html view in Chromium', () => {
    it('needs Chromium under CI', () => {
      throw new Error(`${CHROMIUM} not found: report.html view tests FAIL under CI=true`);
    });
  });
}
const suite = available ? describe : describe.skip;

const DOC =
  'https://docs.aws.amazon.com/organizations/latest/APIReference/API_LeaveOrganization.html';

/** The hostile report with OU names, a command in a remediation, titled and hostile references. */
export function viewReport(): Report {
  const report = hostileReport();
  report.organizationalUnits = [{ id: 'ou-ab12-aaaa1111', name: `Workloads ${HOSTILE.script}` }];
  const scp = report.accounts[0]!.rules[0]!;
  scp.remediation =
    'Detach it: `aws organizations detach-policy --policy-id p-1 --target-id r-ab12`';
  scp.references = [DOC, 'javascript:alert(1)'];
  report.accounts[0]!.rules.push({
    ...report.accounts[0]!.rules[2]!,
    id: 'tags-inventoried',
    message: 'tags inventoried at 2026-11-28T12:00:00Z',
  });
  // Long prose is stored by clauses in the data island, the account's id and name factored out.
  const acct = report.accounts[0]!;
  report.accounts[0]!.rules.push({
    ...acct.rules[2]!,
    id: 'waiting-period-elapsed',
    message: `joined 2020-12-07 (created), 2182.1 days ago; account ${acct.accountId} (${acct.name ?? ''}) is past the wait; invited accounts are exempt and created accounts wait 4 days`,
  });
  // A value spelled like the island's own parts list of that message is still itself.
  acct.tags = [...(acct.tags ?? []), { key: 'spelled', value: JSON.stringify(['joined ', 0]) }];
  acct.rules.push({ ...acct.rules[2]!, id: 'account-active', message: `joined ${acct.accountId}` });
  return report;
}

suite('report.html view in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let ran = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leavegate-view-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    if (ran > 0) writeFileSync(BROWSER_MARKER, `${new Date().toISOString()} ${ran} view tests\n`);
  });

  async function open(report: Report, name: string, options: HtmlOptions = {}): Promise<Page> {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderHtml(report, options));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    expect(await page.getAttribute('html', 'data-lg-ready')).toBe('1');
    expect(errors).toEqual([]);
    return page;
  }

  it('shows what did not pass; passes collapse into "N passed" and the toggle shows them', async () => {
    const page = await open(viewReport(), 'failing-only');
    try {
      const blocked = page.locator('details.acct.v-blocked');
      // Only failing rules are in view; the passes are counted, collapsed.
      await expect(blocked.locator('tr.s-fail').isVisible()).resolves.toBe(true);
      const passed = blocked.locator('details.passed');
      expect(await passed.locator(':scope > summary').textContent()).toBe('4 passed');
      expect(await passed.getAttribute('open')).toBeNull();
      await expect(passed.locator('tr.s-pass').first().isVisible()).resolves.toBe(false);
      await page.check('#lg-all');
      await expect(passed.locator('tr.s-pass').first().isVisible()).resolves.toBe(true);
      // Pages rendered later keep the choice.
      await page.selectOption('#lg-verdict', 'blocked');
      await expect(
        page.locator('details.acct.v-blocked details.passed').getAttribute('open'),
      ).resolves.not.toBeNull();
      ran++;
    } finally {
      await page.close();
    }
  });

  it('opens every detail, evidence included, under print media, and closes them after', async () => {
    const page = await open(viewReport(), 'print');
    try {
      const closed = () => page.locator('details:not([open])').count();
      expect(await closed()).toBeGreaterThan(3);
      await expect(page.locator('details.ev pre').first().isVisible()).resolves.toBe(false);
      await page.emulateMedia({ media: 'print' });
      await page.locator('html[data-lg-print]').waitFor({ state: 'attached' });
      expect(await closed()).toBe(0);
      await expect(page.locator('details.ev pre').first().isVisible()).resolves.toBe(true);
      await expect(page.locator('details.acct.v-ready tr.s-pass').isVisible()).resolves.toBe(true);
      // The controls are not printed; reference links print their URL.
      await expect(page.locator('#lg-controls').isVisible()).resolves.toBe(false);
      const after = await page
        .locator('.refs a')
        .first()
        .evaluate(
          (a) =>
            (
              globalThis as unknown as {
                getComputedStyle(e: unknown, p: string): { content: string };
              }
            ).getComputedStyle(a, '::after').content,
        );
      expect(after).toContain(DOC);
      await page.emulateMedia({ media: 'screen' });
      await page.locator('html:not([data-lg-print])').waitFor({ state: 'attached' });
      expect(await closed()).toBeGreaterThan(3);
      ran++;
    } finally {
      await page.close();
    }
  });

  it('shows OU names beside ids, titled links, commands as code, one timestamp format', async () => {
    const page = await open(viewReport(), 'text');
    try {
      const blocked = page.locator('details.acct.v-blocked');
      expect(await blocked.locator('.ou').allTextContents()).toEqual([
        'Root r-ab12',
        `Workloads ${HOSTILE.script} ou-ab12-aaaa1111`,
      ]);
      const links = blocked.locator('.refs a');
      expect(await links.count()).toBe(1);
      expect(await links.textContent()).toBe(
        'LeaveOrganization \u2014 AWS Organizations API Reference',
      );
      expect(await links.getAttribute('href')).toBe(DOC);
      await expect(blocked.locator('.refs li').nth(1).textContent()).resolves.toBe(
        'javascript:alert(1)',
      );
      const rem = blocked.locator('.rem').first();
      expect(await rem.locator('code').textContent()).toBe(
        'aws organizations detach-policy --policy-id p-1 --target-id r-ab12',
      );
      expect(await rem.textContent()).not.toContain('`');
      expect(await page.locator('dl.meta').textContent()).toContain('2026-11-28 12:00:00 UTC');
      expect(await page.locator('dl.meta').textContent()).not.toMatch(/\dT\d/);
      await page.check('#lg-all');
      await expect(
        blocked.getByText('tags inventoried at 2026-11-28 12:00:00 UTC').isVisible(),
      ).resolves.toBe(true);
      expect(await blocked.locator('.waiver').textContent()).toContain(
        'expires 2027-01-31 00:00:00 UTC',
      );
      ran++;
    } finally {
      await page.close();
    }
  });

  it('renders the same markup from the data island as the server does', async () => {
    const page = await open(viewReport(), 'same', { pageSize: 1 });
    try {
      const list = page.locator('#lg-list');
      const server = await list.innerHTML();
      expect(server).toContain('class="ou"');
      await page.selectOption('#lg-verdict', 'unknown');
      await page.selectOption('#lg-verdict', '');
      expect(await list.innerHTML()).toBe(server.replace(' open=""', ''));
      ran++;
    } finally {
      await page.close();
    }
  });

  it('renders page 1 from the data when the markup holds fewer accounts', async () => {
    const page = await open(largeReport(300), 'server-few', { serverAccounts: 5 });
    try {
      expect(await page.locator('#lg-list > details.acct').count()).toBe(100);
      expect(await page.locator('#lg-status').textContent()).toBe(
        'Showing 1\u2013100 of 300 accounts (blocked first).',
      );
      ran++;
    } finally {
      await page.close();
    }
  });

  it('becomes interactive quickly with 10,000 accounts (printed, not asserted)', async () => {
    const page = await open(largeReport(10000), 'interactive');
    try {
      const ready = await page.evaluate(
        () => performance.getEntriesByName('lg-ready')[0]?.startTime ?? -1,
      );
      expect(ready).toBeGreaterThan(0);
      const t0 = Date.now();
      await page.selectOption('#lg-verdict', 'unknown');
      await page.locator('#lg-status', { hasText: 'matching accounts' }).waitFor();
      console.log(
        `report.html, 10,000 accounts: interactive ${Math.round(ready)} ms after navigation start; a filter took ${Date.now() - t0} ms`,
      );
      ran++;
    } finally {
      await page.close();
    }
  });
});
