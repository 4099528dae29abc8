// The zero-server demo end to end: demo/offline.html embeds
// <hugops-widget status="demo" store="local" wall="general">, so the status
// is bundled and the wall lives in the browser's localStorage. The release
// widget, served as static files by the real server, in real Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, card, launchBrowser, post, watchErrors } from './harness.mjs';

let server;
let browser;

const DEMO_PATH = '/demo/offline.html';
/** The key the local store keeps the wall under (`hugops:wall:{slug}`). */
const WALL_KEY = 'hugops:wall:general';

before(async () => {
  // No --demo: the page must not need anything from the server but files.
  server = await Server.start();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** Every URL requested by any page of `context`, from now on. */
function recordRequests(context) {
  const urls = [];
  context.on('request', (r) => urls.push(r.url()));
  return urls;
}

/** Opens the offline demo in a new tab of `context`, ready to post. */
async function openDemo(context) {
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}${DEMO_PATH}`);
  await page.locator('hugops-widget .hugops-composer__body').waitFor({ timeout: 15_000 });
  // The wall has finished loading (empty or not) and follows the store.
  await page.locator('hugops-widget .hugops-wall__live[data-liveness="this-browser"]').waitFor({ timeout: 5_000 });
  return { page, errors };
}

/** The wall document in this page's localStorage, parsed. */
async function storedWall(page) {
  const json = await page.evaluate((key) => localStorage.getItem(key), WALL_KEY);
  return json === null ? null : JSON.parse(json);
}

/** Waits until `text`'s card is shown, then a little longer, and counts it. */
async function settledCount(page, text) {
  await card(page, text).first().waitFor({ timeout: 5_000 });
  await page.waitForTimeout(500);
  return card(page, text).count();
}

test('the offline demo shows the bundled status and the wall, cleanly', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openDemo(context);

  const status = page.locator('hugops-widget .hugops-status');
  const banner = status.locator('.hugops-banner');
  await banner.waitFor({ timeout: 5_000 });
  assert.equal(await status.isVisible(), true, 'status panel visible');
  assert.equal(await banner.isVisible(), true, 'banner visible');
  assert.match(await banner.innerText(), /Partial system outage/);
  assert.match(await banner.innerText(), /Example Cloud/);
  assert.equal(await banner.getAttribute('data-indicator'), 'major');
  assert.match(await page.locator('hugops-widget .hugops-incident').first().innerText(),
    /Elevated API error rates/);

  const wall = page.locator('hugops-widget .hugops-wall');
  assert.equal(await wall.isVisible(), true, 'wall visible');
  assert.match(await wall.locator('h2').innerText(), /HugOps wall/);
  assert.equal(await page.locator('hugops-widget .hugops-composer__body').isVisible(), true);
  // A fresh browser: nothing on the wall yet, and it says so.
  assert.equal(await page.locator('hugops-widget .hugops-wall .hugops-message').count(), 0);
  assert.match(await wall.locator('.hugops-wall__empty').innerText(), /Be the first/);
  assert.equal(await storedWall(page), null, 'nothing written before the first post');

  // Laid out side by side or stacked, never on top of each other.
  const s = await status.boundingBox();
  const w = await wall.boundingBox();
  assert.ok(s && w && s.width > 0 && s.height > 0 && w.width > 0 && w.height > 0);
  const sideBySide = w.x >= s.x + s.width - 1 || s.x >= w.x + w.width - 1;
  const stacked = w.y >= s.y + s.height - 1 || s.y >= w.y + w.height - 1;
  assert.ok(sideBySide || stacked, `status ${JSON.stringify(s)} and wall ${JSON.stringify(w)} overlap`);
  console.log(`# offline demo at 1280 px: ${sideBySide ? 'side by side' : 'stacked'}`);

  assert.deepEqual(errors, [], 'no console or page errors');
  await context.close();
});

test('the offline demo never calls the server API, even to post and hug', async () => {
  const context = await browser.newContext();
  const urls = recordRequests(context);
  const { page, errors } = await openDemo(context);
  const text = `Thank you for working on this! offline ${Date.now()}`;
  await post(page, text);
  await card(page, text).waitFor({ timeout: 5_000 });
  await card(page, text).locator('.hugops-hug').click();
  await card(page, text).locator('.hugops-hug__count', { hasText: '1' }).waitFor({ timeout: 5_000 });
  await page.reload();
  await card(page, text).waitFor({ timeout: 15_000 });
  // Give any late poll, stream or retry the chance to show itself.
  await page.waitForTimeout(1_500);

  assert.ok(urls.length > 0, 'requests were recorded');
  assert.ok(urls.some((u) => new URL(u).pathname === DEMO_PATH), 'the page itself was recorded');
  assert.ok(urls.some((u) => /\.wasm$/.test(new URL(u).pathname)), 'the widget was loaded');
  const api = urls.filter((u) => new URL(u).pathname.startsWith('/api/'));
  assert.deepEqual(api, [], 'no request to /api/');
  const foreign = urls.filter((u) => !u.startsWith(`${server.url}/`) && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], 'nothing fetched from anywhere else');

  // The server never heard of it either.
  const listed = await fetch(`${server.url}/api/v1/walls/general/messages?limit=200`);
  if (listed.ok) {
    const { messages } = await listed.json();
    assert.equal(messages.filter((m) => m.body === text).length, 0, 'not on the server');
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('a post shows on the wall and survives a reload, exactly once', async () => {
  const context = await browser.newContext();
  const { page, errors } = await openDemo(context);
  const text = `Hang in there, team ${Date.now()}`;
  await post(page, text);
  assert.equal(await settledCount(page, text), 1, 'shown once after posting');
  assert.equal(await card(page, text).locator('.hugops-message__body').innerText(), text);
  assert.equal(await page.locator('hugops-widget .hugops-message--pending', { hasText: text }).count(), 0,
    'no longer waiting');

  const log = await storedWall(page);
  assert.equal(log.messages.filter((m) => m.body === text).length, 1, 'stored once in localStorage');

  await page.reload();
  await page.locator('hugops-widget .hugops-composer__body').waitFor({ timeout: 15_000 });
  assert.equal(await settledCount(page, text), 1, 'still there after reload, once');
  assert.equal(await page.locator('hugops-widget .hugops-wall__empty').count(), 0);
  assert.equal((await storedWall(page)).messages.filter((m) => m.body === text).length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a second tab sees a post from the first one live, exactly once', async () => {
  const context = await browser.newContext();
  const a = await openDemo(context);
  const b = await openDemo(context);
  // Marks this document: a reload would lose it.
  await b.page.evaluate(() => { window.__sameDocument = true; });
  let navigations = 0;
  b.page.on('framenavigated', (frame) => { if (frame === b.page.mainFrame()) navigations += 1; });

  const text = `Thank you for working on this! tab ${Date.now()}`;
  const sent = Date.now();
  await post(a.page, text);
  await card(b.page, text).waitFor({ timeout: 5_000 });
  console.log(`# post in tab A seen in tab B after ${Date.now() - sent} ms`);

  assert.equal(await b.page.evaluate(() => window.__sameDocument === true), true, 'tab B was not reloaded');
  assert.equal(navigations, 0, 'tab B did not navigate');
  assert.equal(await settledCount(b.page, text), 1, 'once in tab B');
  assert.equal(await settledCount(a.page, text), 1, 'once in tab A');
  // Tab B did not write it: it is A's post, not B's own.
  assert.equal(await b.page.locator('hugops-widget .hugops-message--pending', { hasText: text }).count(), 0);

  // And the other way round.
  const reply = `Hugs from tab B ${Date.now()}`;
  await post(b.page, reply);
  assert.equal(await settledCount(a.page, reply), 1, 'B\'s post once in tab A');
  assert.equal(await settledCount(b.page, reply), 1, 'B\'s post once in tab B');
  const log = await storedWall(a.page);
  assert.deepEqual(log.messages.map((m) => m.body).filter((body) => body === text || body === reply).sort(),
    [reply, text].sort(), 'both stored, once each');

  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
  await context.close();
});

test('a hug counts once and is kept after a reload', async () => {
  const context = await browser.newContext();
  const { page, errors } = await openDemo(context);
  const text = `You are doing great ${Date.now()}`;
  await post(page, text);
  await card(page, text).waitFor({ timeout: 5_000 });

  const hug = card(page, text).locator('.hugops-hug');
  const count = hug.locator('.hugops-hug__count');
  assert.equal(await count.innerText(), '0');
  assert.equal(await hug.getAttribute('aria-pressed'), 'false');
  await hug.click();
  await card(page, text).locator('.hugops-hug__count', { hasText: '1' }).waitFor({ timeout: 5_000 });
  assert.equal(await hug.getAttribute('aria-pressed'), 'true');
  // A second (and third) click by the same visitor adds nothing.
  await hug.click();
  await hug.click();
  await page.waitForTimeout(500);
  assert.equal(await count.innerText(), '1');
  const stored = (await storedWall(page)).messages.find((m) => m.body === text);
  assert.equal(stored.hugs, 1, 'stored with one hug');

  await page.reload();
  await card(page, text).waitFor({ timeout: 15_000 });
  const again = card(page, text).locator('.hugops-hug');
  assert.equal(await again.locator('.hugops-hug__count').innerText(), '1', 'count kept after reload');
  assert.equal(await again.getAttribute('aria-pressed'), 'true', 'remembered as hugged');
  await again.click();
  await page.waitForTimeout(500);
  assert.equal(await again.locator('.hugops-hug__count').innerText(), '1', 'still once after reload');
  assert.equal((await storedWall(page)).messages.find((m) => m.body === text).hugs, 1);
  assert.equal(await page.locator('hugops-widget .hugops-wall__problem').innerText(), '', 'no hug problem');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a hug in one tab updates the count in the other tab live', async () => {
  const context = await browser.newContext();
  const a = await openDemo(context);
  const text = `Sending strength ${Date.now()}`;
  await post(a.page, text);
  await card(a.page, text).waitFor({ timeout: 5_000 });
  const b = await openDemo(context);
  await card(b.page, text).waitFor({ timeout: 5_000 });
  assert.equal(await card(b.page, text).locator('.hugops-hug__count').innerText(), '0');

  await card(a.page, text).locator('.hugops-hug').click();
  await card(b.page, text).locator('.hugops-hug__count', { hasText: '1' }).waitFor({ timeout: 5_000 });
  // Same browser, same visitor: hugging again from tab B adds nothing.
  await card(b.page, text).locator('.hugops-hug').click();
  await b.page.waitForTimeout(500);
  assert.equal(await card(b.page, text).locator('.hugops-hug__count').innerText(), '1');
  assert.equal(await card(a.page, text).locator('.hugops-hug__count').innerText(), '1');
  assert.equal((await storedWall(a.page)).messages.find((m) => m.body === text).hugs, 1);
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
  await context.close();
});
