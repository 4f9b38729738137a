/**
 * End-to-end: the chat page in a real headless Chromium (Debian's `chromium`, driven by playwright-core)
 * against the real HTTP server. Saves screenshots to test/.tmp/ for a human to look at.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchHeadless, watchErrors } from '../helpers/browser.js';
import { browserSkip, findBrowser } from '../helpers/find-browser.js';
import { startTestServer, type TestServer } from '../server/test-server.js';

const BROWSER = findBrowser();
const SHOTS = new URL('../.tmp/', import.meta.url);
const QUESTION = '2021年新建了多少个5G基站？';
// In CI the browser test must run: a missing browser is a failure there, not a skip.
const skip = browserSkip(BROWSER);

function shot(name: string): string {
  mkdirSync(SHOTS, { recursive: true });
  return new URL(name, SHOTS).pathname;
}

/** Counts text mutations of the answer while it is still streaming, to prove it arrived in pieces. */
async function countStreamingUpdates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { streamingUpdates: number };
    w.streamingUpdates = 0;
    new MutationObserver((records) => {
      for (const record of records) {
        const target = record.target instanceof Element ? record.target : record.target.parentElement;
        const item = target?.closest('li.msg-bot');
        if (item?.getAttribute('data-state') === 'streaming' && target?.closest('.answer-body')) {
          w.streamingUpdates++;
        }
      }
    }).observe(document.getElementById('messages') as HTMLElement, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
}

/**
 * WCAG contrast ratios of text against its own (or nearest opaque ancestor's) background. Kept as a
 * string: tsx would otherwise wrap the inner functions in a `__name` helper the page does not have.
 */
const CONTRAST_SCRIPT = `(selectors) => {
  const rgb = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
  const channel = (c) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c;
    }
    return rgb(getComputedStyle(document.body).backgroundColor);
  };
  const out = {};
  for (const selector of selectors) {
    const element = document.querySelector(selector);
    if (!element) continue;
    const a = luminance(rgb(getComputedStyle(element).color));
    const b = luminance(background(element));
    out[selector] = Math.round(((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)) * 10) / 10;
  }
  return out;
}`;

async function contrastRatios(page: Page, selectors: string[]): Promise<Record<string, number>> {
  return (await page.evaluate(`(${CONTRAST_SCRIPT})(${JSON.stringify(selectors)})`)) as Record<
    string,
    number
  >;
}

const CONTRAST_SELECTORS = [
  '.brand-title',
  '.notice',
  '.issuers .chip',
  '.msg-user .bubble',
  '.answer-body',
  '.cite',
  '.source-quote',
  '.card-refused',
  '#send',
  '.composer-hint',
];

async function askAndWait(page: Page, question: string): Promise<void> {
  const before = await page.locator('li.msg-bot').count();
  await page.locator('#question').fill(question);
  await page.locator('#question').press('Enter');
  await page.waitForFunction(
    (n) => {
      const items = document.querySelectorAll('li.msg-bot');
      const last = items[items.length - 1];
      return items.length > n && last?.getAttribute('data-state') !== 'streaming';
    },
    before,
    { timeout: 30_000 },
  );
}

// A skipped suite is not counted in the runner's "skipped" total; a skipped test is, with its reason.
if (skip) it('chat page in headless Chromium', { skip }, () => {});
else
  describe('chat page in headless Chromium', { timeout: 120_000 }, () => {
    let server: TestServer;
    let browser: Browser;
    let context: BrowserContext;
    let standIn = false;

    before(async () => {
      server = await startTestServer({ env: { POLICYBOT_WEB_RATE_LIMIT_PER_MINUTE: '1000' } });
      standIn = server.engine.status().corpusFingerprint === 'stand-in';
      browser = await launchHeadless(BROWSER, [
        '--disable-quic',
        '--disable-component-update',
        '--disable-sync',
      ]);
      context = await browser.newContext({
        locale: 'zh-CN',
        viewport: { width: 1280, height: 860 },
        deviceScaleFactor: 1,
      });
    });

    after(async () => {
      await context?.close();
      await browser?.close();
      await server?.close();
    });

    it('streams a cited answer, highlights the quote, and shows a issuer summary', async () => {
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(server.url);
      assert.equal(await page.title(), '政策问答 · PolicyBot');
      await page.locator('#issuer-list button').first().waitFor();
      await page.locator('#notices .notice').first().waitFor();

      // Shift+Enter is a newline, not a send.
      await page.locator('#question').fill('第一行');
      await page.locator('#question').press('Shift+Enter');
      assert.equal(await page.locator('li.msg').count(), 0);
      assert.match(await page.locator('#question').inputValue(), /\n/);

      await countStreamingUpdates(page);
      await askAndWait(page, QUESTION);
      const answer = page.locator('li.msg-bot').nth(0);
      assert.equal(await answer.getAttribute('data-state'), 'final');
      const updates = await page.evaluate(
        () => (window as unknown as { streamingUpdates: number }).streamingUpdates,
      );
      assert.ok(updates >= 2, `expected the answer to arrive in several deltas, saw ${updates} update(s)`);
      assert.equal(await page.locator('#question').inputValue(), '', 'the box is cleared after sending');
      if (!standIn) assert.match((await answer.locator('.answer-body').textContent()) ?? '', /60万/);

      // [n] is a button; opening it shows issuer, article and the quote marked inside its paragraph.
      const cite = answer.locator('.answer-body button.cite').first();
      await cite.waitFor();
      assert.match((await cite.getAttribute('aria-label')) ?? '', /信息通信发展司/);
      await answer.locator('.sources .source').first().waitFor();
      await cite.click();
      const panel = page.locator('#citation-panel');
      await panel.waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'citation-panel');
      assert.match((await page.locator('#citation-meta').textContent()) ?? '', /信息通信发展司/);
      // The source line names the document in 《》 (and its 文号 and section path when it has them).
      assert.match((await answer.locator('.sources .source-where').first().textContent()) ?? '', /《.+》/);
      const mark = page.locator('#citation-context mark');
      await mark.waitFor();
      const marked = (await mark.textContent()) ?? '';
      assert.ok(marked.length >= 10, `highlighted quote too short: "${marked}"`);
      await page.waitForFunction(() =>
        document.getElementById('citation-context')?.textContent?.includes('60万'),
      );
      const contextText = (await page.locator('#citation-context').textContent()) ?? '';
      assert.ok(contextText.includes(marked), 'the mark sits inside its paragraph');
      assert.ok(contextText.length > marked.length || standIn, 'the paragraph is more than the quote');

      // Esc closes the panel and returns focus to the citation.
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'hidden' });
      assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('cite')), true);

      // A follow-up keeps the conversation: the request carries the earlier turns.
      const followUp = page.waitForRequest((request) => request.url().endsWith('/api/ask/stream'));
      await askAndWait(page, '其中千兆光网覆盖了多少户家庭？');
      const sent = JSON.parse((await followUp).postData() ?? '{}') as { history?: Array<{ role: string }> };
      assert.deepEqual(
        sent.history?.map((turn) => turn.role),
        ['user', 'assistant'],
      );

      // Issuer summary from the summary buttons.
      await page.locator('#issuer-list button[data-issuer="信息通信发展司"]').click();
      const summary = page.locator('li.msg-summary').last();
      await page.waitForFunction(() => {
        const items = document.querySelectorAll('li.msg-summary');
        return items[items.length - 1]?.getAttribute('data-state') === 'final';
      });
      assert.match((await summary.locator('.summary-title').textContent()) ?? '', /信息通信发展司/);
      assert.ok((await summary.locator('.summary-bullets li').count()) > 0);

      // A document's summary from its button (one per document of the library).
      const docs = (await (await fetch(`${server.url}/api/documents`)).json()) as {
        documents: { id: string; title: string }[];
      };
      assert.equal(await page.locator('#document-list button').count(), docs.documents.length);
      await page.locator('#document-list button').first().click();
      await page.waitForFunction(() => {
        const items = document.querySelectorAll('li.msg-summary');
        return items.length >= 2 && items[items.length - 1]?.getAttribute('data-state') === 'final';
      });
      const docSummary = page.locator('li.msg-summary').last();
      assert.ok(
        ((await docSummary.locator('.summary-title').textContent()) ?? '').includes(
          docs.documents[0]?.title ?? '?',
        ),
      );
      assert.ok((await docSummary.locator('.summary-bullets li').count()) > 0);

      // Screenshot with the citation panel open next to the conversation.
      await cite.scrollIntoViewIfNeeded();
      await cite.click();
      await mark.waitFor();
      await page.waitForFunction(() =>
        document.getElementById('citation-context')?.textContent?.includes('60万'),
      );
      await page.screenshot({ path: shot('chat-page.png') });
      await summary.screenshot({ path: shot('chat-page-summary.png') });

      // New conversation clears everything and puts focus back in the box.
      await page.keyboard.press('Escape');
      await page.locator('#new-conversation').click();
      assert.equal(await page.locator('li.msg').count(), 0);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'question');

      assert.deepEqual(errors, [], 'no console errors or CSP violations');
      await page.close();
    });

    it('shows key figures in a sortable, filterable table; a row opens its quote in its paragraph', async () => {
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(server.url);
      await page.locator('#issuer-list button.chip-figures').click();
      const card = page.locator('li.msg-figures').last();
      await page.waitForFunction(
        () => document.querySelector('li.msg-figures')?.getAttribute('data-state') === 'final',
      );
      const rows = card.locator('.figures-table tbody tr');
      const total = await rows.count();
      assert.equal(total, server.engine.figures().length);
      assert.ok(total > 0);

      // Sorting by value, twice: ascending then descending.
      const values = async () => card.locator('.figures-table tbody tr td:nth-child(5)').allTextContents();
      await card.locator('button.figures-sort[data-key="value"]').click();
      const ascending = await values();
      await card.locator('button.figures-sort[data-key="value"]').click();
      assert.deepEqual(await values(), [...ascending].reverse());
      assert.equal(
        await card.locator('th:has(button[data-key="value"])').getAttribute('aria-sort'),
        'descending',
      );

      // Filtering by words and by target/result.
      await card.locator('.figures-filter').fill('虚拟专网');
      assert.equal(await rows.count(), 1);
      await card.locator('.figures-filter').fill('');
      await card.locator('.figures-status').selectOption('result');
      const results = server.engine.figures({ status: 'result' }).length;
      assert.equal(await rows.count(), results);

      // A row's quote opens the source panel with the quote marked inside its paragraph.
      await card.locator('.figures-status').selectOption('');
      await card.locator('.figures-filter').fill('2930家');
      await rows.first().locator('button.figure-source').click();
      const mark = page.locator('#citation-context mark');
      await mark.waitFor();
      assert.equal(await mark.textContent(), '新培育专精特新“小巨人”企业2930家');
      await page.waitForFunction(() =>
        (document.getElementById('citation-context')?.textContent ?? '').includes('中央财政安排35亿元'),
      );
      await page.screenshot({ path: shot('chat-page-figures.png') });
      assert.deepEqual(errors, [], 'no console errors or CSP violations');
      await page.close();
    });

    it('is readable on a 375px phone', async () => {
      const phone = await browser.newContext({
        locale: 'zh-CN',
        viewport: { width: 375, height: 812 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      });
      try {
        const page = await phone.newPage();
        const errors = watchErrors(page);
        await page.goto(server.url);
        await page.locator('#issuer-list button').first().waitFor();
        await page.screenshot({ path: shot('chat-page-375-welcome.png') });
        await askAndWait(page, QUESTION);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
        await page.screenshot({ path: shot('chat-page-375.png') });
        await page.locator('li.msg-bot .answer-body button.cite').first().click();
        await page.locator('#citation-context mark').waitFor();
        await page.screenshot({ path: shot('chat-page-375-citation.png') });
        assert.deepEqual(errors, []);
      } finally {
        await phone.close();
      }
    });

    it('renders a refusal with clickable suggestions, and English when asked to', async () => {
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(server.url);
      await page.locator('#lang-toggle').click();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      assert.equal((await page.locator('#send').textContent())?.trim(), 'Send');
      await askAndWait(page, 'Tell me about the weather on Mars');
      const refused = page.locator('li.msg-bot').last();
      assert.equal(await refused.getAttribute('data-state'), 'refused');
      assert.ok(await refused.locator('.card-refused').count());
      const chips = refused.locator('.suggestions button.chip');
      if ((await chips.count()) > 0) {
        const before = await page.locator('li.msg-bot').count();
        await chips.first().click();
        await page.waitForFunction((n) => document.querySelectorAll('li.msg-bot').length > n, before);
      }
      await page.screenshot({ path: shot('chat-page-refused.png') });

      // Text stays readable (WCAG AA, 4.5:1) in the light and the dark scheme.
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        const ratios = await contrastRatios(page, CONTRAST_SELECTORS);
        assert.ok(Object.keys(ratios).length >= 8, `measured ${Object.keys(ratios).join(', ')}`);
        for (const [selector, ratio] of Object.entries(ratios)) {
          assert.ok(ratio >= 4.5, `${scheme}: ${selector} has contrast ${ratio}:1`);
        }
      }
      await page.screenshot({ path: shot('chat-page-dark.png') });
      // Reset the stored language so later runs start in Chinese.
      await page.evaluate(() => localStorage.removeItem('policybot.lang'));
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
