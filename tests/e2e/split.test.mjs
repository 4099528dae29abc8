// Status first: the release widget is split (xtask/src/split.rs). The
// status panel runs from the first wasm module; the wall's code is in
// chunks fetched after it — at once inline, only on opening as a toast —
// from the widget's origin, under a host's strict CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, launchBrowser, watchErrors } from './harness.mjs';
import { HostSite, hostPage } from './host.mjs';

let server;
let site;
let browser;

before(async () => {
  site = await HostSite.start();
  server = await Server.start({ args: ['--demo', '--allowed-origin', site.url] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await server?.dispose();
});

const FIRST_MODULE = /\/widget-[0-9a-f]{16}\/hugops-widget_bg\.wasm$/;

/** A cross-origin host page with the strict CSP, and every wasm fetched. */
async function openHost(path, attributes, prepare = async () => {}) {
  const csp = `default-src 'self'; script-src 'self' ${server.url} 'wasm-unsafe-eval'; `
    + `style-src 'self'; connect-src 'self' ${server.url}`;
  const url = site.page(path, hostPage({
    widgetOrigin: server.url,
    widgets: [{ api: server.url, ...attributes }],
  }), { 'content-security-policy': csp });
  const context = await browser.newContext();
  // When the banner is first in the DOM (checked every frame, before
  // that frame paints), to order the chunks' requests after it.
  await context.addInitScript(() => {
    const look = () => {
      const root = document.querySelector('hugops-widget')?.shadowRoot;
      if (root?.querySelector('.hugops-banner')) window.__bannerAt = performance.now();
      else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) violations.push(m.text()); });
  const wasm = [];
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    if (pathname.endsWith('.wasm')) {
      wasm.push({ pathname, status: response.status(), cache: response.headers()['cache-control'] ?? '' });
    }
  });
  await prepare(page);
  await page.goto(url);
  return { context, page, errors, violations, wasm };
}

const chunks = (wasm) => wasm.filter((w) => !FIRST_MODULE.test(w.pathname));

test('inline: the banner from the first module, then the wall from its chunks', async () => {
  const { context, page, errors, violations, wasm } = await openHost('/inline', { wall: 'split-inline' });
  const widget = page.locator('hugops-widget');
  await widget.locator('.hugops-banner').waitFor({ timeout: 20_000 });
  await widget.locator('.hugops-composer__body').waitFor({ timeout: 20_000 });
  assert.equal(wasm.filter((w) => FIRST_MODULE.test(w.pathname)).length, 1, 'one first module');
  assert.ok(chunks(wasm).length >= 1, `the wall came in a chunk: ${JSON.stringify(wasm)}`);
  for (const w of wasm) {
    assert.equal(w.status, 200, w.pathname);
    assert.match(w.cache, /immutable/, `${w.pathname} is cached for good`);
  }

  // The banner never waits for the wall: its chunks are asked for only
  // after the banner has painted (src/wall/lazy.rs).
  const { bannerAt, chunksAt } = await page.evaluate(() => ({
    bannerAt: window.__bannerAt,
    chunksAt: performance.getEntriesByType('resource')
      .filter((e) => e.name.endsWith('.wasm') && !/hugops-widget_bg\.wasm$/.test(e.name))
      .map((e) => e.startTime),
  }));
  assert.ok(bannerAt > 0 && chunksAt.length >= 1, `banner at ${bannerAt}, chunks at ${chunksAt}`);
  for (const at of chunksAt) assert.ok(at > bannerAt, `a chunk asked for at ${at} ms, the banner at ${bannerAt} ms`);

  // The wall works from its chunk: a post goes out and shows.
  const mine = `Split but whole ${Date.now()}`;
  await widget.locator('.hugops-composer__body').fill(mine);
  await widget.locator('.hugops-composer__send').click();
  await widget.locator('.hugops-wall__list .hugops-message:not(.hugops-message--pending)', { hasText: mine })
    .waitFor({ timeout: 10_000 });
  // Past the wall's wait for a slow status (1 s), the wall is still there:
  // the later of the two ways of asking for it changes nothing.
  await page.waitForTimeout(1_500);
  assert.equal(await widget.locator('.hugops-composer__body').count(), 1, 'the wall stays');
  assert.deepEqual(violations, [], 'no CSP violation');
  assert.deepEqual(errors, [], 'no console error');
  await context.close();
});

test('inline: a status source that never answers does not hold the wall back', async () => {
  // The status request hangs (its own timeout is 15 s); the wall's chunk
  // is asked for after its wait of 1 s instead of after the banner.
  const { context, page, errors } = await openHost('/inline-hanging', { wall: 'split-hanging' },
    (page) => page.route('**/api/v1/status', () => {}));
  const widget = page.locator('hugops-widget');
  await widget.locator('.hugops-composer__body').waitFor({ timeout: 5_000 });
  assert.equal(await widget.locator('.hugops-banner').count(), 0, 'no status yet');
  assert.match(await widget.locator('.hugops-status').innerText(), /Checking/i);
  assert.deepEqual(errors, [], 'no console error');
  await context.close();
});

test('toast: only the first module until the visitor opens the wall', async () => {
  const { context, page, errors, violations, wasm } = await openHost('/toast', { mode: 'toast' });
  const widget = page.locator('hugops-widget');
  // The demo's status has an incident, so the toast invites.
  await widget.locator('.hugops-toast').waitFor({ timeout: 20_000 });
  await page.waitForTimeout(500);
  assert.deepEqual(chunks(wasm), [], 'no wall code fetched before it is opened');
  assert.equal(wasm.length, 1, 'the first module only');

  await widget.locator('.hugops-toast .hugops-button').first().click();
  const body = widget.locator('.hugops-toast__panel .hugops-composer__body');
  await body.waitFor({ timeout: 20_000 });
  assert.ok(chunks(wasm).length >= 1, 'the wall came in a chunk once opened');
  // Opening moves focus into the message box, chunk or not.
  await page.waitForFunction(() => {
    const root = document.querySelector('hugops-widget').shadowRoot;
    return root.activeElement?.classList.contains('hugops-composer__body');
  }, null, { timeout: 5_000 });
  assert.deepEqual(violations, [], 'no CSP violation');
  assert.deepEqual(errors, [], 'no console error');
  await context.close();
});
