// The widget on a 375 px phone, on the demo page served by the real server
// mid-incident: laid out for the visitor who came to say thanks. The wall
// is a short scroll away (the component list folds behind its heading),
// nothing spills out of its box, and a group's "Affected: …" line wraps
// between words, never inside one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, launchBrowser, watchErrors } from './harness.mjs';

const PHONE = { width: 375, height: 812 };

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

async function phone() {
  const context = await browser.newContext({
    viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url);
  await page.locator('hugops-widget .hugops-incident').waitFor({ timeout: 20_000 });
  await page.locator('hugops-widget .hugops-composer').waitFor({ timeout: 20_000 });
  return { context, page, errors };
}

/** Elements in the widget's shadow root whose own text is wider than their box. */
function overflowingText(host) {
  const found = [];
  const hidden = '.hugops-visually-hidden, .hugops-honeypot';
  for (const el of host.shadowRoot.querySelectorAll('*')) {
    if (el.closest(hidden) || el.getClientRects().length === 0) continue;
    if (getComputedStyle(el).display === 'inline') continue; // no box of its own
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.data.trim() !== '');
    if (ownText && el.scrollWidth > el.clientWidth + 1) {
      found.push(`${el.className || el.tagName}: ${el.scrollWidth} > ${el.clientWidth} "${el.textContent.trim().slice(0, 40)}"`);
    }
  }
  return found;
}

/** Words of `el`'s text that are laid out across more than one line. */
function wordsBrokenAcrossLines(el) {
  const broken = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}

test('on a phone the wall starts within the first screen and a half', async () => {
  const { context, page, errors } = await phone();
  const composer = await page.locator('hugops-widget .hugops-composer').boundingBox();
  console.log(`# 375x812: the wall's composer starts ${Math.round(composer.y)} px down the page`);
  assert.ok(composer.y <= 1.5 * PHONE.height, `composer at ${composer.y} px`);
  // The incident comes first; the components wait behind their heading,
  // which names the worst status.
  const incident = await page.locator('hugops-widget .hugops-incident').boundingBox();
  assert.ok(incident.y < composer.y, 'the incident before the wall');
  const fold = page.locator('hugops-widget .hugops-fold');
  assert.equal(await fold.isVisible(), true);
  assert.equal(await fold.getAttribute('aria-expanded'), 'false');
  assert.match(await fold.innerText(), /Components/);
  assert.match(await fold.innerText(), /Partial outage/);
  assert.equal(await page.locator('hugops-widget .hugops-components').isVisible(), false);
  // Nothing wider than the phone.
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(pageWidth <= PHONE.width, `page is ${pageWidth} px wide`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone no text spills out of its box, unfolded or not', async () => {
  const { context, page, errors } = await phone();
  const host = page.locator('hugops-widget').first();
  assert.deepEqual(await host.evaluate(overflowingText), []);
  await page.locator('hugops-widget .hugops-fold').click();
  await page.locator('hugops-widget .hugops-components').waitFor({ state: 'visible' });
  assert.equal(await page.locator('hugops-widget .hugops-fold').getAttribute('aria-expanded'), 'true');
  assert.deepEqual(await host.evaluate(overflowingText), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone a group\'s "Affected" line breaks between words only', async () => {
  const { context, page } = await phone();
  await page.locator('hugops-widget .hugops-fold').click();
  const affected = page.locator('hugops-widget .hugops-group__affected');
  await affected.first().waitFor({ state: 'visible' });
  assert.match(await affected.first().innerText(), /Affected: Object storage \(EU\)/);
  for (const line of await affected.all()) {
    assert.deepEqual(await line.evaluate(wordsBrokenAcrossLines), []);
    // Its own line, as wide as the row: not a column beside the name.
    const box = await line.boundingBox();
    const row = await line.evaluate((el) => el.closest('summary').getBoundingClientRect().width);
    assert.ok(box.width >= row * 0.7, `affected line ${box.width} px in a ${row} px row`);
  }
  await context.close();
});

test('a wide widget keeps the status beside the wall and the list unfolded', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.locator('hugops-widget .hugops-composer').waitFor({ timeout: 20_000 });
  const status = await page.locator('hugops-widget .hugops-status').boundingBox();
  const wall = await page.locator('hugops-widget .hugops-wall').boundingBox();
  assert.ok(wall.x > status.x + status.width - 1, 'two columns');
  assert.equal(await page.locator('hugops-widget .hugops-fold').isVisible(), false);
  assert.equal(await page.locator('hugops-widget .hugops-components').isVisible(), true);
  await context.close();
});
