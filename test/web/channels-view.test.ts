/**
 * End-to-end: the web page's "Channels & digests" view in headless Chromium (as compare-view.test.ts), over the
 * two-folder library with a scopes file and two subscriptions: the document sets with their documents and
 * conversations, each set's key figures, the subscriptions (read-only), and a digest dry run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { MemorySubscriptionStore } from '../../src/digest/index.js';
import type { Engine } from '../../src/engine/createEngine.js';
import { documentsIndexedSince } from '../../src/index/document-changes.js';
import { ChannelScopes, parseScopes } from '../../src/scopes/index.js';
import { launchHeadless, watchErrors } from '../helpers/browser.js';
import { browserSkip, findBrowser } from '../helpers/find-browser.js';
import { createScopedTestEngine } from '../helpers/scoped-engine.js';
import { startTestServer, type TestServer } from '../server/test-server.js';

const BROWSER = findBrowser();
const skip = browserSkip(BROWSER);

if (skip) it('channels view in headless Chromium', { skip }, () => {});
else
  describe('channels view in headless Chromium', { timeout: 120_000 }, () => {
    let engine: Engine;
    let server: TestServer;
    let plain: TestServer;
    let browser: Browser;

    before(async () => {
      ({ engine } = await createScopedTestEngine());
      const scopes = new ChannelScopes(
        parseScopes(
          {
            sets: { miit: { folders: ['miit'], label: 'MIIT plans' }, ndrc: { folders: ['ndrc'] } },
            slack: { CMIIT: 'miit' },
            wecom: { wrNDRC: 'ndrc' },
          },
          'scopes.json',
        ),
        engine.documents(),
      );
      const subscriptions = new MemorySubscriptionStore();
      await subscriptions.add({ platform: 'slack', conversation: 'CMIIT', filter: null });
      await subscriptions.add({ platform: 'wecom', conversation: 'chat:wrNDRC', filter: null });
      const env = { POLICYBOT_WEB_RATE_LIMIT_PER_MINUTE: '1000' };
      server = await startTestServer({
        env,
        engine,
        channels: {
          scopes,
          subscriptions,
          documentsSince: (since) => documentsIndexedSince(engine.index.manifest, since),
          slashCommand: '/policy',
        },
      });
      plain = await startTestServer({ env, engine });
      browser = await launchHeadless(BROWSER);
    });

    after(async () => {
      await browser?.close();
      await server?.close();
      await plain?.close();
      await engine?.close();
    });

    it('shows the sets, their figures, the subscriptions and a digest preview', async () => {
      const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(server.url);
      await page.locator('button.chip-channels').click();
      await page.waitForFunction(
        () => document.querySelector('li.msg-channels')?.getAttribute('data-state') === 'final',
      );
      const card = page.locator('li.msg-channels');
      const sets = card.locator('.channels-sets-table tbody tr');
      assert.equal(await sets.count(), 3, 'all, miit, ndrc');
      const miit = sets.filter({ hasText: 'MIIT plans' });
      assert.match((await miit.textContent()) ?? '', /落实工作会精神 推动高质量发展.*CMIIT/);
      assert.match(
        (await sets.filter({ hasText: 'ndrc' }).textContent()) ?? '',
        /国家发展改革委 2022年重点工作思路.*wrNDRC/,
      );
      const subs = card.locator('.channels-subscriptions-table tbody tr');
      assert.equal(await subs.count(), 2);
      assert.match((await subs.first().textContent()) ?? '', /slack.*CMIIT.*miit/);
      assert.match((await card.locator('.channels-note').textContent()) ?? '', /只读/);

      await card.locator('input.digest-since').fill('2000-01-01');
      await card.locator('button.digest-run').click();
      const messages = card.locator('.digest-message');
      await messages.first().waitFor();
      assert.equal(await messages.count(), 2);
      const slack = card.locator('.digest-message[data-platform="slack"] .digest-preview');
      assert.match((await slack.textContent()) ?? '', /Key figures/);
      const wecom = card.locator('.digest-message[data-platform="wecom"] .digest-preview');
      assert.match((await wecom.textContent()) ?? '', /新文件：国家发展改革委 2022年重点工作思路/);

      const figuresOf = async (scope: string) => {
        await card.locator(`button.channels-figures[data-scope="${scope}"]`).click();
        await page.waitForFunction(() => {
          const items = document.querySelectorAll('li.msg-figures');
          return items[items.length - 1]?.getAttribute('data-state') === 'final';
        });
        return page.locator('li.msg-figures').last().locator('tbody tr').count();
      };
      assert.ok((await figuresOf('miit')) > 0, 'the MIIT set has figures');
      assert.equal(await figuresOf('ndrc'), 0, 'the NDRC set states none');
      assert.deepEqual(errors, [], 'no console errors or CSP violations');
      await context.close();
    });

    it('/?q= (the link of a WeCom digest) asks that question and drops it from the address', async () => {
      const context = await browser.newContext({ locale: 'zh-CN' });
      const page = await context.newPage();
      const asked = page.waitForRequest((r) => r.url().endsWith('/api/ask/stream'));
      await page.goto(`${server.url}/?q=${encodeURIComponent('2021年新建了多少个5G基站？')}`);
      const body = JSON.parse((await asked).postData() ?? '{}') as { question?: string };
      assert.equal(body.question, '2021年新建了多少个5G基站？');
      assert.equal(new URL(page.url()).search, '');
      await page.waitForFunction(() => {
        const items = document.querySelectorAll('li.msg-bot');
        return items[items.length - 1]?.getAttribute('data-state') === 'final';
      });
      assert.match((await page.locator('li.msg-bot').last().textContent()) ?? '', /60万/);
      await context.close();
    });

    it('a server without channel settings shows no channels button', async () => {
      const context = await browser.newContext({ locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(plain.url);
      await page.locator('button.chip-figures').waitFor();
      assert.equal(await page.locator('button.chip-channels').count(), 0);
      await context.close();
    });
  });
