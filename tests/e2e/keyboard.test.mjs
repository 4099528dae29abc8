// The widget with the keyboard alone (no clicks, no fills): read the
// status, open a component group, switch walls, post, hug and load older
// messages, on the demo page served by the real server mid-incident. Every
// focused control shows a focus ring that contrasts with the background;
// the focus stays put while live messages arrive, and the screen-reader
// announcements of those messages come once each, politely.
import { randomUUID } from 'node:crypto';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, launchBrowser, watchErrors } from './harness.mjs';

let server;
let browser;

before(async () => {
  // No rate limit: the test posts faster than a person would.
  server = await Server.start({ args: ['--demo', '--rate-per-minute', '0'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

async function postFromElsewhere(wall, body) {
  const response = await fetch(`${server.url}/api/v1/walls/${wall}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ author: 'Elsewhere', body, client_id: randomUUID() }),
  });
  assert.equal(response.status, 201, await response.text());
}

/**
 * The focused element, through the widget's shadow root: what it is, and
 * how its focus ring looks against the widget's background (WCAG 2.4.7
 * focus visible; 1.4.11: the ring contrasts at least 3:1).
 */
function focused() {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rgb = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
  const luminance = (c) => {
    const [r, g, b] = rgb(c).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const root = el.closest('.hugops');
  const background = root ? getComputedStyle(root).backgroundColor : 'rgb(255,255,255)';
  const [a, b] = [luminance(style.outlineColor), luminance(background)].sort((x, y) => y - x);
  const row = el.closest('[data-row-id]');
  return {
    inWidget: !!root,
    tag: el.tagName.toLowerCase(),
    className: typeof el.className === 'string' ? el.className : '',
    text: (el.innerText || el.value || '').trim().slice(0, 60),
    focusVisible: el.matches(':focus-visible'),
    ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    ringContrast: (a + 0.05) / (b + 0.05),
    open: el.tagName === 'SUMMARY' ? el.parentElement.open : null,
    pressed: el.getAttribute('aria-pressed'),
    rowId: row ? row.getAttribute('data-row-id') : null,
    value: el.tagName === 'SELECT' ? el.value : null,
  };
}

/** Presses Tab (or Shift+Tab) until `want(focus)` holds; returns that focus. */
async function tabTo(page, what, want, { back = false, max = 80, seen = [] } = {}) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const focus = await page.evaluate(focused);
    if (focus?.inWidget) {
      seen.push(focus);
      assert.ok(focus.focusVisible && focus.ring, `no visible focus on ${JSON.stringify(focus)}`);
      assert.ok(focus.ringContrast >= 3, `focus ring contrast ${focus.ringContrast.toFixed(2)} on ${focus.className}`);
    }
    if (focus && want(focus)) return focus;
  }
  throw new Error(`Tab never reached ${what}; focus went through:\n${seen.map((f) => `${f.tag}.${f.className} ${f.text}`).join('\n')}`);
}

const listCount = (page) => page.locator('hugops-widget .hugops-wall__list')
  .evaluate((el) => Number(el.getAttribute('data-count')));

for (const colorScheme of ['light', 'dark']) {
  test(`keyboard only (${colorScheme}): status, a group, walls, post, hug, older messages`, async () => {
    // More than a page (50) on `general`, so there is something older.
    for (let i = 1; i <= 60; i += 1) await postFromElsewhere('general', `Earlier thanks ${colorScheme} ${i}`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url);
    const widget = page.locator('hugops-widget').first();
    // Without `wall=` the widget follows the incidents and offers a switcher.
    await page.locator('hugops-widget .hugops-composer').waitFor({ timeout: 20_000 });
    await widget.evaluate((el) => el.removeAttribute('wall'));
    const select = page.locator('hugops-widget .hugops-walls__select');
    await select.waitFor({ timeout: 20_000 });
    await page.locator('hugops-widget .hugops-banner').waitFor({ timeout: 20_000 });

    // Read the status: the banner, then the incident's link, in order.
    const seen = [];
    await tabTo(page, 'the incident\'s link', (f) => f.tag === 'a', { seen });
    assert.match(await page.locator('hugops-widget .hugops-banner').innerText(), /Partial system outage/);

    // Open a component group from its summary, with Enter.
    const group = await tabTo(page, 'a closed group', (f) => f.tag === 'summary' && f.open === false, { seen });
    await page.keyboard.press('Enter');
    const opened = await page.evaluate(focused);
    assert.equal(opened.open, true, `Enter opens ${group.text}`);

    // Switch walls: from the incident's wall to the page's own.
    const incidentWall = (await tabTo(page, 'the wall switcher', (f) => f.tag === 'select', { seen })).value;
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(
      (before) => document.querySelector('hugops-widget').shadowRoot.querySelector('.hugops-walls__select').value !== before,
      incidentWall,
    );
    assert.equal(await select.inputValue(), 'general');
    await page.waitForFunction(() => Number(document.querySelector('hugops-widget').shadowRoot
      .querySelector('.hugops-wall__list')?.getAttribute('data-count')) >= 50);
    assert.equal((await page.evaluate(focused)).tag, 'select', 'the switcher keeps the focus');

    // Post: type and press Enter.
    await tabTo(page, 'the message box', (f) => f.tag === 'textarea', { seen });
    const mine = `Thank you from the keyboard ${colorScheme} ${Date.now()}`;
    await page.keyboard.type(mine);
    await page.keyboard.press('Enter');
    const myCard = page.locator('hugops-widget .hugops-wall__list .hugops-message', { hasText: mine });
    await myCard.waitFor({ timeout: 10_000 });

    // Hug someone else's message with Space.
    const hug = await tabTo(page, 'a hug button', (f) => f.className.includes('hugops-hug') && f.pressed === 'false'
      && !f.text.includes(mine), { seen });
    await page.keyboard.press('Space');
    await page.waitForFunction(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el.getAttribute('aria-pressed') === 'true';
    });

    // Five messages stream in: the focus stays on that hug button, and
    // the announcer speaks once for the first and once for the rest.
    await page.locator('hugops-widget [data-hugops-announcer]').evaluate((region) => {
      window.heard = [];
      new MutationObserver(() => window.heard.push(region.textContent)).observe(region,
        { subtree: true, childList: true, characterData: true });
    });
    assert.equal(
      await page.locator('hugops-widget [data-hugops-announcer]').getAttribute('aria-live'),
      'polite',
    );
    const before = await listCount(page);
    const stamp = Date.now();
    for (let i = 1; i <= 5; i += 1) await postFromElsewhere('general', `Live thanks ${stamp} #${i}`);
    await page.waitForFunction(
      (n) => document.querySelector('hugops-widget').shadowRoot
        .querySelector('.hugops-wall__list').getAttribute('data-count') >= n
        || /5 new messages/.test(document.querySelector('hugops-widget').shadowRoot.textContent),
      before + 5,
      { timeout: 10_000 },
    );
    const after = await page.evaluate(focused);
    assert.equal(after?.rowId, hug.rowId, `the focus stayed on the hug button: ${JSON.stringify(after)}`);
    assert.equal(after.pressed, 'true');
    // The rest are gathered for the announcer's gap (10 s by default).
    await page.waitForFunction(() => window.heard.some((t) => /4 new messages/.test(t)), null, { timeout: 15_000 });
    const heard = await page.evaluate(() => window.heard.filter((t) => t.trim() !== ''));
    assert.equal(heard.length, 2, `announced: ${JSON.stringify(heard)}`);
    assert.match(heard[0], new RegExp(`Live thanks ${stamp} #1`));
    assert.match(heard[1], /4 new messages on the wall/);

    // Load older: back to the message list and to its end with End.
    await tabTo(page, 'the message list', (f) => f.className.includes('hugops-wall__scroller'), { back: true, seen });
    const loaded = await listCount(page);
    await page.keyboard.press('End');
    await page.waitForFunction(
      (n) => Number(document.querySelector('hugops-widget').shadowRoot
        .querySelector('.hugops-wall__list').getAttribute('data-count')) > n,
      loaded,
      { timeout: 10_000 },
    );

    assert.deepEqual(errors, []);
    await context.close();
  });
}
