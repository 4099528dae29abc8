// `cargo xtask bench widget`: how fast the release widget renders, in real
// Chromium against the real server on SQLite. A benchmark, not a test: it
// prints numbers and fails only when something does not work at all.
//
// - cold load: navigation to the status banner, and to the wall's first
//   card (median of several fresh browser contexts);
// - a long wall: 10,000 messages loaded page by page with "Load older",
//   the time per page, and how many cards the DOM holds at the end (the
//   list renders a window, not every message);
// - scrolling through those 10,000: frame intervals while the mouse wheel
//   scrolls the list (a frame over 50 ms is one a person notices);
// - side by side with a plain JavaScript widget (bench/reference/, served
//   beside dist/ by `cargo xtask bench widget`): the HugOps/reference ratio
//   of time to banner and to first wall message, medians of interleaved
//   cold loads, with the CPU at full speed and slowed 4x as on a phone.
import { Server, launchBrowser, visitor } from '../../tests/e2e/harness.mjs';

const MESSAGES = Number(process.env.HUGOPS_BENCH_MESSAGES || 10_000);
const COLD_RUNS = 5;
const SIDE_BY_SIDE_RUNS = 21;
const THROTTLES = [1, 4];

// The two widgets, found the same way: an element's shadow root holding
// the banner and a wall message.
const WIDGETS = {
  hugops: { path: '/', host: 'hugops-widget', banner: '.hugops-banner', message: '.hugops-wall .hugops-message' },
  reference: { path: '/reference/index.html', host: 'hugops-reference', banner: '.ref-banner', message: '.ref-message' },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
const ms = (x) => `${x.toFixed(0)} ms`;

async function seed(server, count) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = ++next;
      const response = await fetch(`${server.url}/api/v1/walls/general/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ body: `Thank you for working on this (${n})`, client_id: `bench-${n}` }),
      });
      if (response.status !== 201) throw new Error(`seeding: ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function coldLoad(browser, server) {
  const banner = [];
  const firstCard = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const start = Date.now();
    await page.goto(server.url);
    await page.locator('hugops-widget .hugops-banner').waitFor({ timeout: 30_000 });
    banner.push(Date.now() - start);
    await page.locator('hugops-widget .hugops-wall .hugops-message').first().waitFor({ timeout: 30_000 });
    firstCard.push(Date.now() - start);
    await context.close();
  }
  return { banner: median(banner), firstCard: median(firstCard) };
}

async function longWall(browser, server) {
  const { context, page } = await visitor(browser, server.url);
  const list = page.locator('hugops-widget .hugops-wall__list');
  await page.locator('hugops-widget .hugops-wall .hugops-message').first().waitFor();
  const count = async () => Number(await list.getAttribute('data-count'));
  const older = page.locator('hugops-widget .hugops-wall__older button');
  const pages = [];
  const start = Date.now();
  while ((await count()) < MESSAGES) {
    const before = await count();
    const t = Date.now();
    await older.click();
    await page.waitForFunction(
      (n) => Number(document.querySelector('hugops-widget').shadowRoot
        .querySelector('.hugops-wall__list').dataset.count) > n,
      before,
      { timeout: 30_000, polling: 'raf' },
    );
    pages.push(Date.now() - t);
  }
  const loadAll = Date.now() - start;
  const cards = await page.locator('hugops-widget .hugops-wall__list .hugops-message').count();

  // From the top (the "Load older" clicks left the view at the bottom),
  // scroll down through the list with the wheel, recording frame intervals.
  const scroller = page.locator('hugops-widget .hugops-wall__scroller');
  await scroller.evaluate((el) => { el.scrollTop = 0; });
  await page.waitForTimeout(300);
  const box = await scroller.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (!window.__stopFrames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  for (let i = 0; i < 150; i++) {
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(16);
  }
  const frames = await page.evaluate(() => {
    window.__stopFrames = true;
    return window.__frames.slice(1);
  });
  const scrolled = await scroller.evaluate((el) => el.scrollTop);
  const cardsAfter = await page.locator('hugops-widget .hugops-wall__list .hugops-message').count();
  await context.close();
  return { pages, loadAll, cards, frames, scrolled, cardsAfter };
}

// Runs in the page before any of its scripts: on every frame, notes when
// the banner and the first message are first in the DOM (performance.now(),
// from the navigation's start).
// With each, the bytes fetched by then: the bodies as they came over the
// wire (compressed), of every resource finished (the page itself aside).
function watchFirstPaint({ host, banner, message }) {
  window.__seen = {};
  const fetched = (now) => performance.getEntriesByType('resource')
    .filter((e) => e.responseEnd <= now)
    .reduce((sum, e) => sum + e.encodedBodySize, 0);
  const look = () => {
    const root = document.querySelector(host)?.shadowRoot;
    const now = performance.now();
    if (root && !window.__seen.banner && root.querySelector(banner)) {
      window.__seen.banner = now;
      window.__seen.bannerBytes = fetched(now);
    }
    if (root && !window.__seen.message && root.querySelector(message)) {
      window.__seen.message = now;
      window.__seen.messageBytes = fetched(now);
    }
    if (!window.__seen.message) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}

/** One cold load (fresh context: empty cache) of `widget`: ms to banner and to first message. */
async function firstPaint(browser, server, widget, throttle) {
  const context = await browser.newContext();
  await context.addInitScript(watchFirstPaint, widget);
  const page = await context.newPage();
  if (throttle > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  }
  await page.goto(`${server.url}${widget.path}`, { waitUntil: 'commit' });
  const seen = await (await page.waitForFunction(() => window.__seen?.message && window.__seen,
    null, { timeout: 60_000 })).jsonValue();
  await context.close();
  return seen;
}

async function sideBySide(browser, server, throttle) {
  const times = {};
  for (const name of ['hugops', 'reference']) {
    times[name] = { banner: [], message: [], bannerBytes: [], messageBytes: [] };
  }
  for (let i = 0; i < SIDE_BY_SIDE_RUNS; i++) {
    // Interleaved, each first in turn, so drift in the machine's load
    // falls on both alike.
    const order = i % 2 ? ['hugops', 'reference'] : ['reference', 'hugops'];
    for (const name of order) {
      const seen = await firstPaint(browser, server, WIDGETS[name], throttle);
      for (const what of Object.keys(times[name])) times[name][what].push(seen[what]);
    }
  }
  const row = (what) => {
    const ours = median(times.hugops[what]);
    const theirs = median(times.reference[what]);
    return `${ms(ours)} / ${ms(theirs)} = **${(ours / theirs).toFixed(2)}x**`;
  };
  const kb = (what) => `${(median(times.hugops[what]) / 1000).toFixed(1)} / `
    + `${(median(times.reference[what]) / 1000).toFixed(1)} KB`;
  return { banner: row('banner'), message: row('message'), bannerBytes: kb('bannerBytes'), messageBytes: kb('messageBytes') };
}

const server = await Server.start({ args: ['--demo', '--rate-per-minute', '0'] });
const browser = await launchBrowser();
try {
  const seeding = Date.now();
  await seed(server, MESSAGES);
  console.error(`seeded ${MESSAGES} messages in ${ms(Date.now() - seeding)}`);
  const cold = await coldLoad(browser, server);
  const wall = await longWall(browser, server);
  const ratios = [];
  for (const throttle of THROTTLES) ratios.push([throttle, await sideBySide(browser, server, throttle)]);
  const long = wall.frames.filter((f) => f > 50).length;
  console.log(`
| widget, release build, Chromium headless | result |
| --- | --- |
| cold load to status banner (median of ${COLD_RUNS}) | ${ms(cold.banner)} |
| cold load to first wall card (median of ${COLD_RUNS}) | ${ms(cold.firstCard)} |
| "Load older" page of 50, p50 / p95 | ${ms(median(wall.pages))} / ${ms(quantile(wall.pages, 0.95))} |
| ${MESSAGES.toLocaleString('en')} messages loaded, in all | ${ms(wall.loadAll)} |
| cards in the DOM with ${MESSAGES.toLocaleString('en')} loaded | ${wall.cards} (after wheel-scrolling ${wall.scrolled} px from the top: ${wall.cardsAfter}) |
| frame interval while wheel-scrolling, p50 / p95 / max | ${ms(median(wall.frames))} / ${ms(quantile(wall.frames, 0.95))} / ${ms(Math.max(...wall.frames))} |
| frames over 50 ms while scrolling | ${long} of ${wall.frames.length} |

| HugOps / plain-JS reference (bench/reference/), median of ${SIDE_BY_SIDE_RUNS} interleaved cold loads | time to banner | time to first wall message | bytes fetched before the banner | before the first message |
| --- | --- | --- | --- | --- |
${ratios.map(([throttle, r]) => `| CPU ${throttle === 1 ? 'at full speed' : `slowed ${throttle}x`} | ${r.banner} | ${r.message} | ${r.bannerBytes} | ${r.messageBytes} |`).join('\n')}
`);
  if (wall.cards >= 1_000) throw new Error(`the list rendered ${wall.cards} cards: not windowed`);
} finally {
  await browser.close();
  await server.dispose();
}
