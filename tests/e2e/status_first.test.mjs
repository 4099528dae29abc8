// The status request starts at once: the loader (`hugops.js`) fetches the
// status while the wasm downloads, and the status source reads that answer
// instead of asking again (src/backend/prefetch.rs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, launchBrowser, watchErrors } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await Server.start({ args: ['--demo'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

test('the first status read is one request, started before the wasm has arrived', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const statusRequests = [];
  let wasmArrived = null;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/status') {
      statusRequests.push({ at: Date.now(), wasmArrived });
    }
  });
  page.on('requestfinished', (request) => {
    if (request.url().endsWith('.wasm')) wasmArrived ??= Date.now();
  });
  await page.goto(server.url);
  const banner = page.locator('hugops-widget .hugops-banner');
  await banner.waitFor({ timeout: 20_000 });
  assert.match(await banner.innerText(), /Partial system outage/);
  // Long enough for a second request to show, far below the 60 s refresh.
  await page.waitForTimeout(1_000);
  assert.equal(statusRequests.length, 1, 'one status request for the first read');
  assert.equal(statusRequests[0].wasmArrived, null, 'the status request started before the wasm had arrived');
  assert.deepEqual(errors, [], 'no console errors');
  await context.close();
});

test('a widget the loader did not see still reads its status itself', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url);
  await page.locator('hugops-widget .hugops-banner').first().waitFor({ timeout: 20_000 });
  let statusRequests = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/status') statusRequests += 1;
  });
  // Added after the loader ran: nothing was fetched for it in advance.
  await page.evaluate(() => {
    const late = document.createElement('hugops-widget');
    late.setAttribute('api', '/');
    late.setAttribute('mode', 'inline');
    late.id = 'late';
    document.querySelector('main').append(late);
  });
  const banner = page.locator('#late .hugops-banner');
  await banner.waitFor({ timeout: 20_000 });
  assert.match(await banner.innerText(), /Partial system outage/);
  assert.equal(statusRequests, 1);
  assert.deepEqual(errors, [], 'no console errors');
  await context.close();
});
