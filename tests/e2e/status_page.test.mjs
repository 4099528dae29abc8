// The demo status page, as a visitor gets it: the optimised release widget
// from dist/, loaded under the page's strict CSP, served by the real server.
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

test('the release widget loads under a strict CSP and shows the status', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const violations = [];
  await page.exposeFunction('reportViolation', (v) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      window.reportViolation(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(server.url);
  const banner = page.locator('hugops-widget .hugops-banner');
  await banner.waitFor({ timeout: 20_000 });
  assert.match(await banner.innerText(), /Partial system outage/);
  assert.equal(await banner.getAttribute('data-indicator'), 'major');
  const incident = page.locator('hugops-widget .hugops-incident');
  assert.match(await incident.innerText(), /Elevated API error rates/);
  assert.match(await incident.innerText(), /Started 2\d minutes ago/);
  assert.deepEqual(violations, [], 'no CSP violations');
  assert.deepEqual(errors, [], 'no console errors');
  await page.close();
});

test('host CSS cannot reach into the widget', async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  const banner = page.locator('hugops-widget .hugops-banner');
  await banner.waitFor({ timeout: 20_000 });
  // demo.css says `.hugops-banner { display: none !important }`,
  // `p { text-transform: uppercase }` and makes buttons hot pink.
  assert.equal(await banner.isVisible(), true);
  const transform = await page.locator('hugops-widget .hugops-incident p').first()
    .evaluate((el) => getComputedStyle(el).textTransform);
  assert.equal(transform, 'none');
  // demo.css sets `* { letter-spacing: 0.02em }`, which matches the
  // <hugops-widget> element itself and used to be inherited inside.
  const spacing = await banner.evaluate((el) => getComputedStyle(el).letterSpacing);
  assert.equal(spacing, 'normal');
  // The Send button's text takes the theme's accent foreground (white on
  // the light theme's blue), not the inherited text colour.
  const send = page.locator('hugops-widget .hugops-composer__send').first();
  await send.waitFor({ timeout: 20_000 });
  assert.equal(await send.evaluate((el) => getComputedStyle(el).color), 'rgb(255, 255, 255)');
  await page.close();
});

test('dark mode follows the visitor when theme="auto"', async () => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto(server.url);
  const root = page.locator('hugops-widget .hugops');
  await root.waitFor({ timeout: 20_000 });
  const dark = await root.evaluate((el) => getComputedStyle(el).backgroundColor);
  // A link (the incident's "Details") is readable on the dark background:
  // the theme's dark accent, not the browser's default blue.
  const details = page.locator('hugops-widget .hugops-incident a').first();
  await details.waitFor({ timeout: 20_000 });
  const linkColour = await details.evaluate((el) => getComputedStyle(el).color);
  await context.close();
  assert.equal(linkColour, 'rgb(68, 147, 248)');

  const light = await browser.newContext({ colorScheme: 'light' });
  const lightPage = await light.newPage();
  await lightPage.goto(server.url);
  await lightPage.locator('hugops-widget .hugops').waitFor({ timeout: 20_000 });
  const bright = await lightPage.locator('hugops-widget .hugops')
    .evaluate((el) => getComputedStyle(el).backgroundColor);
  await light.close();
  assert.equal(dark, 'rgb(13, 17, 23)');
  assert.equal(bright, 'rgb(255, 255, 255)');
});

test('the wasm is served compressed with the right type and a long cache', async () => {
  const html = await (await fetch(`${server.url}/hugops.js`)).text();
  // The split widget lives in a folder named by its content's hash
  // (xtask/src/split.rs), so every file in it is immutable.
  const glue = html.match(/'\.\/(widget-[0-9a-f]{16}\/hugops-widget\.js)'/)[1];
  const wasm = html.match(/'\.\/(widget-[0-9a-f]{16}\/hugops-widget_bg\.wasm)'/)[1];
  const response = await fetch(`${server.url}/${wasm}`, { headers: { 'accept-encoding': 'br' } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/wasm');
  assert.equal(response.headers.get('content-encoding'), 'br');
  assert.match(response.headers.get('cache-control'), /immutable/);
  const glueResponse = await fetch(`${server.url}/${glue}`);
  assert.match(glueResponse.headers.get('content-type'), /javascript/);
  const loader = await fetch(`${server.url}/hugops.js`);
  assert.doesNotMatch(loader.headers.get('cache-control') ?? '', /immutable/);
});

test('the badge tells the status without script', async () => {
  const response = await fetch(`${server.url}/badge.svg`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /image\/svg\+xml/);
  const svg = await response.text();
  assert.match(svg, /Partial system outage/);
});

test('a malformed lang attribute keeps every part on the page', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.goto(server.url);
  const banner = page.locator('hugops-widget .hugops-banner');
  await banner.waitFor({ timeout: 20_000 });
  for (const tag of ['en_US', 'xx-invalid!']) {
    // Any observed attribute change remounts the widget with the new value.
    await page.locator('hugops-widget').first().evaluate((el, t) => el.setAttribute('lang', t), tag);
    await banner.waitFor({ timeout: 20_000 });
    assert.match(await banner.innerText(), /Partial system outage/, tag);
    const incident = page.locator('hugops-widget .hugops-incident');
    assert.match(await incident.innerText(), /Elevated API error rates/, tag);
    await page.locator('hugops-widget .hugops-wall').first().waitFor({ timeout: 20_000 });
  }
  assert.deepEqual(errors, [], 'no exception, no console error');
  assert.ok(warnings.some((w) => w.includes('lang="en_US"')), warnings.join('\n'));
  await page.close();
});
