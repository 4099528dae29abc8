// The widget on other people's pages: a host on a second origin with the
// strict CSP as an HTTP header, a host whose CSS is hostile, and a host
// that allows no WebAssembly at all (the iframe page and the badge).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, launchBrowser, watchErrors } from './harness.mjs';
import { HostSite, hostPage } from './host.mjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'target', 'screenshots');

let server;
let site;
let browser;

before(async () => {
  // The host's origin is known before the server starts, so the server
  // allows exactly it (CORS and the iframe page's frame-ancestors).
  site = await HostSite.start();
  server = await Server.start({
    args: ['--demo', '--rate-per-minute', '0', '--allowed-origin', site.url],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await server?.dispose();
});

/** Records every CSP violation the page (or a frame of it) reports. */
async function watchViolations(page) {
  const violations = [];
  await page.exposeFunction('reportViolation', (v) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      window.reportViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  return violations;
}

async function postThrough(wall, body) {
  const response = await fetch(`${server.url}/api/v1/walls/${wall}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ body, client_id: `hosts-${wall}-${Date.now()}` }),
  });
  assert.equal(response.status, 201, await response.text());
}

async function listed(wall) {
  const response = await fetch(`${server.url}/api/v1/walls/${wall}/messages?limit=200`);
  return (await response.json()).messages.map((m) => m.body);
}

test('cross-origin under a strict CSP header: renders, posts, receives live', async () => {
  const csp = `default-src 'self'; script-src 'self' ${server.url} 'wasm-unsafe-eval'; `
    + `style-src 'self'; connect-src 'self' ${server.url}`;
  const url = site.page('/strict', hostPage({
    widgetOrigin: server.url,
    widgets: [{ api: server.url, wall: 'strict-host', theme: 'light' }],
  }), { 'content-security-policy': csp });
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const violations = await watchViolations(page);
  const response = await page.goto(url);
  assert.equal(response.headers()['content-security-policy'], csp, 'the policy is a header');

  const widget = page.locator('hugops-widget');
  await widget.locator('.hugops-banner').waitFor({ timeout: 20_000 });
  await widget.locator('.hugops-wall__live[data-live="true"]').waitFor({ timeout: 20_000 });

  const mine = `Posted from a strict host ${Date.now()}`;
  await widget.locator('.hugops-composer__body').fill(mine);
  await widget.locator('.hugops-composer__send').click();
  await widget.locator('.hugops-wall__list .hugops-message:not(.hugops-message--pending)', { hasText: mine })
    .waitFor({ timeout: 10_000 });
  assert.ok((await listed('strict-host')).includes(mine), 'stored on the server');

  const theirs = `From another client ${Date.now()}`;
  await postThrough('strict-host', theirs);
  await widget.locator('.hugops-wall__list .hugops-message', { hasText: theirs }).waitFor({ timeout: 10_000 });

  assert.deepEqual(violations, [], 'no securitypolicyviolation');
  assert.deepEqual(errors, [], 'no console error');
  await context.close();
});

// What a careless (or hostile) theme does to everything on its page.
const HOSTILE_CSS = `
* { all: unset !important; direction: rtl !important; letter-spacing: 0.4em !important;
    word-spacing: 2em !important; line-height: 3 !important; font-size: 40px !important;
    text-transform: uppercase !important; font-style: italic !important; }
html, body { font-size: 44px !important; letter-spacing: 0.5em !important; line-height: 4 !important;
    color: #ff00ff !important; font-family: "Courier New", monospace !important;
    font-weight: 900 !important; text-align: right !important; }
`;

/**
 * The number of pixels that differ by more than `tolerance` in any channel
 * between two PNGs. Decoded by the browser itself (createImageBitmap into
 * a canvas): the PNG decoder is already there, so the test needs no image
 * library of its own.
 */
async function pixelDifference(page, a, b, tolerance) {
  return page.evaluate(async ({ a, b, tolerance }) => {
    const pixels = async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d');
      context.drawImage(bitmap, 0, 0);
      return { width: bitmap.width, height: bitmap.height,
        data: context.getImageData(0, 0, bitmap.width, bitmap.height).data };
    };
    const [one, two] = [await pixels(a), await pixels(b)];
    if (one.width !== two.width || one.height !== two.height) {
      return { size: [one.width, one.height, two.width, two.height], differing: Infinity };
    }
    let differing = 0;
    for (let i = 0; i < one.data.length; i += 4) {
      for (let c = 0; c < 4; c += 1) {
        if (Math.abs(one.data[i + c] - two.data[i + c]) > tolerance) { differing += 1; break; }
      }
    }
    return { size: [one.width, one.height], differing, total: one.data.length / 4 };
  }, { a: a.toString('base64'), b: b.toString('base64'), tolerance });
}

test('a hostile host stylesheet changes nothing in the widget, pixel for pixel', async () => {
  // Same wall, same data, same viewport; the only difference is the host's CSS.
  await postThrough('hostile-host', 'Thank you, team! Hang in there.');
  const widgets = [{ api: server.url, wall: 'hostile-host', theme: 'light', refresh: '3600' }];
  // `body { margin: 0 }` on the plain page: the hostile page's `all: unset`
  // takes the body's margin away, and the widget's width with it.
  const plain = site.page('/plain', hostPage({
    widgetOrigin: server.url, widgets, head: '<style>body { margin: 0 }</style>',
  }));
  // A stylesheet of its own: `all: unset` would show an inline <style>'s text.
  const css = site.asset('/hostile.css', HOSTILE_CSS, 'text/css');
  const hostile = site.page('/hostile', hostPage({
    widgetOrigin: server.url, widgets, head: `<link rel="stylesheet" href="${css}">`,
  }));
  const context = await browser.newContext({ viewport: { width: 900, height: 900 }, reducedMotion: 'reduce' });
  const shots = [];
  for (const url of [plain, hostile]) {
    const page = await context.newPage();
    await page.goto(url);
    const root = page.locator('hugops-widget .hugops');
    await root.locator('.hugops-banner').waitFor({ timeout: 20_000 });
    await root.locator('.hugops-wall__list .hugops-message').first().waitFor({ timeout: 20_000 });
    await root.locator('.hugops-wall__live[data-live="true"]').waitFor({ timeout: 20_000 });
    shots.push(await root.screenshot({ animations: 'disabled', caret: 'hide' }));
  }
  // Kept for a person to look at when the two differ.
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(join(SHOTS, 'host-plain.png'), shots[0]);
  writeFileSync(join(SHOTS, 'host-hostile.png'), shots[1]);
  const page = await context.newPage();
  const diff = await pixelDifference(page, shots[0], shots[1], 24);
  await context.close();
  console.log(`# plain vs hostile host: ${diff.differing} of ${diff.total} pixels differ`);
  // Anti-aliasing may differ at a handful of glyph edges; anything that
  // leaked (a font, a spacing, a direction) moves whole lines of text.
  assert.ok(diff.differing <= diff.total * 0.001,
    `plain vs hostile: ${diff.differing} of ${diff.total} pixels differ (size ${diff.size})`);
});

test('a host that allows no WebAssembly: the iframe page and the badge', async () => {
  const csp = `default-src 'self'; script-src 'self'; frame-src ${server.url}; img-src ${server.url}`;
  const embed = `${server.url}/embed?wall=iframe-host`;
  const url = site.page('/no-wasm', `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>No WebAssembly here</title></head>
<body>
<iframe src="${embed}" title="HugOps wall" width="600" height="900"></iframe>
<img src="${server.url}/badge.svg" alt="Service status">
</body>
</html>
`, { 'content-security-policy': csp });
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(url);

  const frame = page.frameLocator('iframe');
  await frame.locator('hugops-widget .hugops-banner').waitFor({ timeout: 20_000 });
  const mine = `Posted through the iframe ${Date.now()}`;
  await frame.locator('hugops-widget .hugops-composer__body').fill(mine);
  await frame.locator('hugops-widget .hugops-composer__send').click();
  await frame.locator('hugops-widget .hugops-wall__list .hugops-message:not(.hugops-message--pending)', { hasText: mine })
    .waitFor({ timeout: 10_000 });
  assert.ok((await listed('iframe-host')).includes(mine), 'stored on the server');

  const badge = page.locator('img');
  await badge.evaluate((img) => img.decode());
  assert.ok(await badge.evaluate((img) => img.naturalWidth > 0), 'the badge loads');
  assert.equal(await badge.getAttribute('alt'), 'Service status');
  const svg = await (await fetch(`${server.url}/badge.svg`)).text();
  assert.match(svg, /<title>Status: [^<]+<\/title>/, 'the badge names the status itself');
  assert.deepEqual(errors, [], 'no console error');

  // The host page really allows no WebAssembly of its own (checked last:
  // the refusal is itself a console error).
  const refused = await page.evaluate(() => WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))
    .then(() => false, () => true));
  assert.equal(refused, true, 'the host itself cannot compile WebAssembly');
  await context.close();
});
