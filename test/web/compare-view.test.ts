/**
 * End-to-end: the compare view of the web page in headless Chromium (as chat-page.test.ts): the form posts to
 * /api/compare, the items show as a table filterable by kind, each side's [n] opens its highlighted source.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchHeadless, watchErrors } from '../helpers/browser.js';
import { browserSkip, findBrowser } from '../helpers/find-browser.js';
import { startTestServer, type TestServer } from '../server/test-server.js';

const BROWSER = findBrowser();
const skip = browserSkip(BROWSER);

if (skip) it('compare view in headless Chromium', { skip }, () => {});
else
  describe('compare view in headless Chromium', { timeout: 120_000 }, () => {
    let server: TestServer;
    let browser: Browser;

    before(async () => {
      server = await startTestServer({ env: { POLICYBOT_WEB_RATE_LIMIT_PER_MINUTE: '1000' } });
      browser = await launchHeadless(BROWSER);
    });

    after(async () => {
      await browser?.close();
      await server?.close();
    });

    it('compares 中小企业局 results with targets, filters by kind, opens a cited side', async () => {
      const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(server.url);
      const posted = page.waitForRequest((r) => r.url().endsWith('/api/compare'));
      await page.locator('#compare-before').fill('中小企业局');
      await page.locator('#compare-send').click();
      const body = JSON.parse((await posted).postData() ?? '{}') as {
        before?: string;
        after?: string | null;
      };
      assert.deepEqual([body.before, body.after], ['中小企业局', null]);
      await page.waitForFunction(() => {
        const items = document.querySelectorAll('li.msg-summary');
        return items[items.length - 1]?.getAttribute('data-state') === 'final';
      });
      const card = page.locator('li.msg-summary').last();
      assert.match((await card.locator('.compare-sides').textContent()) ?? '', /2021年成绩 → .*2022年目标/);
      const changed = card.locator('tr[data-kind="changed"]').first();
      assert.match((await changed.textContent()) ?? '', /2930家.*3000家左右/);
      const rows = await card.locator('tbody tr').count();
      await card.locator('select.compare-filter').selectOption('added');
      const visible = await card.locator('tbody tr:not([hidden])').count();
      assert.ok(visible > 0 && visible < rows, `filter shows only added rows (${visible} of ${rows})`);
      assert.equal(await card.locator('tbody tr[data-kind="changed"]:not([hidden])').count(), 0);
      await card.locator('select.compare-filter').selectOption('');
      await changed.locator('button.cite').first().click();
      await page.locator('#citation-panel').waitFor({ state: 'visible' });
      const mark = page.locator('#citation-context mark');
      await mark.waitFor();
      assert.match((await mark.textContent()) ?? '', /2930家/);
      assert.deepEqual(errors, [], 'no console errors or CSP violations');
      await context.close();
    });
  });
