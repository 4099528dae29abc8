// The HugOps wall end to end: the release widget in real Chromium windows,
// talking to the real server over HTTP and Server-Sent Events.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  Server, TEAM_TOKEN, card, launchBrowser, post, visitor as openVisitor, watchErrors,
} from './harness.mjs';

let server;
let browser;

before(async () => {
  // No rate limit: these tests post faster than a person would.
  server = await Server.start({ args: ['--demo', '--rate-per-minute', '0'] });
  browser = await launchBrowser();
});

/** A visitor on this file's server. */
const visitor = (url = server.url, options = {}) => openVisitor(browser, url, options);

after(async () => {
  await browser?.close();
  await server?.dispose();
});

async function listWall(wall = 'general') {
  const response = await fetch(`${server.url}/api/v1/walls/${wall}/messages?limit=200`);
  return (await response.json()).messages;
}

test('two windows see each other\'s posts live', async () => {
  const a = await visitor();
  const b = await visitor();
  const text = `Thank you for working on this! ${Date.now()}`;
  const sent = Date.now();
  await post(a.page, text);
  await card(b.page, text).waitFor({ timeout: 5_000 });
  const latency = Date.now() - sent;
  console.log(`# post in window A seen in window B after ${latency} ms`);
  await card(a.page, text).waitFor({ timeout: 5_000 });
  // Screen readers hear it politely in B.
  const announced = await b.page.locator('hugops-widget [aria-live="polite"][data-hugops-announcer]').innerText();
  assert.match(announced, /Thank you for working on this!/);
  const stored = (await listWall()).filter((m) => m.body === text);
  assert.equal(stored.length, 1, 'stored exactly once');
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
  await a.context.close();
  await b.context.close();
});

test('a hug counts once per visitor and shows up for everyone', async () => {
  const a = await visitor();
  const b = await visitor();
  const text = `Hang in there ${Date.now()}`;
  await post(a.page, text);
  const inB = card(b.page, text);
  await inB.waitFor({ timeout: 5_000 });
  const hug = inB.locator('.hugops-hug');
  await hug.click();
  await card(a.page, text).locator('.hugops-hug__count', { hasText: '1' }).waitFor({ timeout: 5_000 });
  assert.equal(await hug.getAttribute('aria-pressed'), 'true');
  await hug.click();
  await b.page.waitForTimeout(500);
  const stored = (await listWall()).find((m) => m.body === text);
  assert.equal(stored.hugs, 1, 'a second click by the same visitor adds nothing');
  await a.context.close();
  await b.context.close();
});

test('a post made while the server is down is kept, then sent exactly once', async () => {
  const a = await visitor();
  await server.stop();
  const text = `Posted during the outage ${Date.now()}`;
  await post(a.page, text);
  const pending = a.page.locator('hugops-widget .hugops-message--pending', { hasText: text });
  await pending.waitFor({ timeout: 5_000 });
  // The visitor leaves while the server is still down; the outbox stays
  // in localStorage. They come back once it is up again.
  await a.page.close();
  await server.launch();
  const again = await a.context.newPage();
  await again.goto(server.url);
  await card(again, text).waitFor({ timeout: 60_000 });
  await again.waitForTimeout(1_000);
  const stored = (await listWall()).filter((m) => m.body === text);
  assert.equal(stored.length, 1, 'sent once, not doubled by retries');
  await a.context.close();
});

test('when a proxy cuts the live stream, the wall polls and misses nothing', async () => {
  // Some proxies buffer or drop Server-Sent Events. Here every stream
  // request of window B fails; after a few failures its adapter polls.
  const context = await browser.newContext();
  const cut = [];
  await context.route('**/api/v1/walls/*/stream*', (route) => {
    cut.push(route.request().url());
    return route.abort('connectionreset');
  });
  const b = await context.newPage();
  await b.goto(server.url);
  await b.locator('hugops-widget .hugops-composer__body').waitFor({ timeout: 20_000 });
  const a = await visitor();
  const texts = [];
  for (let i = 0; i < 3; i++) {
    const text = `Seen by polling ${i} ${Date.now()}`;
    texts.push(text);
    await post(a.page, text);
  }
  for (const text of texts) {
    await card(b, text).waitFor({ timeout: 20_000 });
    assert.equal(await card(b, text).count(), 1, 'delivered once');
  }
  assert.ok(cut.length >= 1, 'the stream was tried, and cut');

  // Hugs and the team's hides reach a polling window too, although its
  // stream never worked once.
  await card(a.page, texts[0]).locator('.hugops-hug').click();
  const messages = await listWall();
  const hideId = messages.find((m) => m.body === texts[1]).id;
  const hidden = await fetch(`${server.url}/api/v1/walls/general/messages/${hideId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${TEAM_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'hide' }),
  });
  assert.equal(hidden.status, 200);
  await card(b, texts[0]).locator('.hugops-hug__count', { hasText: '1' })
    .waitFor({ timeout: 30_000 });
  await card(b, texts[1]).waitFor({ state: 'detached', timeout: 30_000 });
  assert.equal(await card(b, texts[2]).count(), 1, 'the others stay');
  await a.context.close();
  await context.close();
});

test('keyboard only: Tab to the message box, type, Enter sends', async () => {
  const a = await visitor();
  let focusedComposer = false;
  for (let i = 0; i < 60 && !focusedComposer; i++) {
    await a.page.keyboard.press('Tab');
    focusedComposer = await a.page.evaluate(() => {
      const host = document.querySelector('hugops-widget');
      return host?.shadowRoot?.activeElement?.classList.contains('hugops-composer__body') ?? false;
    });
  }
  assert.ok(focusedComposer, 'the message box is reachable with Tab');
  const text = `Typed with the keyboard ${Date.now()}`;
  await a.page.keyboard.type(text);
  await a.page.keyboard.press('Enter');
  await card(a.page, text).waitFor({ timeout: 5_000 });
  await a.context.close();
});

test('the team hides and pins; every visitor sees it live', async () => {
  const a = await visitor();
  const hidden = `Something to hide ${Date.now()}`;
  const pinned = `Official: we are on it ${Date.now()}`;
  await post(a.page, hidden);
  await post(a.page, pinned);
  await card(a.page, pinned).waitFor({ timeout: 5_000 });
  const messages = await listWall();
  const id = (body) => messages.find((m) => m.body === body).id;
  const moderate = (message, action) => fetch(`${server.url}/api/v1/walls/general/messages/${message}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${TEAM_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action }),
  });
  assert.equal((await moderate(id(hidden), 'hide')).status, 200);
  assert.equal((await moderate(id(pinned), 'pin')).status, 200);
  await card(a.page, hidden).waitFor({ state: 'detached', timeout: 5_000 });
  await a.page.locator('hugops-widget .hugops-message--pinned', { hasText: pinned })
    .waitFor({ timeout: 5_000 });
  await a.context.close();
});

test('the iframe embed works for hosts whose CSP forbids WebAssembly', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/embed?wall=general`);
  await page.locator('hugops-widget .hugops-banner').waitFor({ timeout: 20_000 });
  await page.locator('hugops-widget .hugops-composer__body').waitFor({ timeout: 20_000 });
  // Without `api=` the page talks to this server: a post reaches the team.
  const text = `Posted from the iframe ${Date.now()}`;
  await post(page, text);
  await card(page, text).waitFor({ timeout: 5_000 });
  assert.ok((await listWall()).some((m) => m.body === text), 'stored on the server');
  assert.deepEqual(errors, []);
  await page.close();
});

test('reduced motion: arriving messages do not animate', async () => {
  const a = await visitor(server.url, { reducedMotion: 'reduce' });
  const text = `No animation please ${Date.now()}`;
  await post(a.page, text);
  const arrived = card(a.page, text);
  await arrived.waitFor({ timeout: 5_000 });
  const animation = await arrived.evaluate((el) => getComputedStyle(el).animationName);
  assert.equal(animation, 'none');
  await a.context.close();
});
