// The accessibility audit: axe-core (npm, pinned in package.json) runs on
// the release widget, open shadow roots included, in every combination a
// visitor meets — light and dark, inline and toast, English and Arabic,
// with the wall empty, full and in error (its server stopped) — and on the
// iframe page (/embed). Zero violations of the WCAG 2.1 A and AA rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, TEAM_TOKEN, freePort, launchBrowser } from './harness.mjs';
import { HostSite, audit, hostPage } from './host.mjs';

let server;
let site;
let browser;
/** An API origin where nothing listens: the wall's server, stopped. */
let stoppedApi;
/** The wall the widget opens (the demo incident's). */
let incidentWall;

before(async () => {
  server = await Server.start({ args: ['--demo', '--rate-per-minute', '0'] });
  site = await HostSite.start();
  browser = await launchBrowser();
  stoppedApi = `http://127.0.0.1:${await freePort()}`;
  incidentWall = await seedFullWalls(server);
});

after(async () => {
  await browser?.close();
  await site?.close();
  await server?.dispose();
});

/**
 * Fills the walls a visitor sees first with what a busy wall holds: many
 * messages, names and none, long text, Arabic and mixed-direction text, a
 * pinned one, the team's official message, hugs. Returns the incident's
 * wall, which the widget opens (`general` is the other choice).
 */
async function seedFullWalls(target) {
  // The status proxy records the incident's wall when it first reads it.
  await fetch(`${target.url}/api/v1/status`);
  const recent = await (await fetch(`${target.url}/api/v1/walls/recent`)).json();
  const wall = (recent.walls ?? recent)[0]?.wall;
  assert.ok(wall, `an incident wall is listed: ${JSON.stringify(recent)}`);
  const bodies = [
    'Thank you for working on this!',
    'Hang in there, team. We are rooting for you 💙',
    'شكرًا لكم على العمل الجاد، نحن معكم',
    'Mixed: the API هو السبب, thanks for the update',
    `${'A long and heartfelt message. '.repeat(15)}`.trim(),
    'No rush, take care of yourselves while you fix it',
  ];
  for (const slug of [wall, 'general']) {
    const ids = [];
    for (let i = 0; i < 24; i += 1) {
      const response = await fetch(`${target.url}/api/v1/walls/${slug}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          author: i % 3 === 0 ? undefined : `Person ${i}`,
          body: `${bodies[i % bodies.length]} (${i})`,
          client_id: `a11y-${slug}-${i}`,
        }),
      });
      const text = await response.text();
      assert.equal(response.status, 201, text);
      ids.push(JSON.parse(text).id);
    }
    const team = { authorization: `Bearer ${TEAM_TOKEN}`, 'content-type': 'application/json' };
    await fetch(`${target.url}/api/v1/walls/${slug}/messages/${ids[2]}`, {
      method: 'PATCH', headers: team, body: JSON.stringify({ action: 'pin' }),
    });
    await fetch(`${target.url}/api/v1/walls/${slug}/official`, {
      method: 'POST',
      headers: team,
      body: JSON.stringify({ body: 'We found the cause; a fix is rolling out.', client_id: `a11y-official-${slug}` }),
    });
    for (const id of ids.slice(0, 5)) {
      await fetch(`${target.url}/api/v1/walls/${slug}/messages/${id}/hugs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: `a11y-hugger-${id}` }),
      });
    }
  }
  return wall;
}

/** The element's attributes for one combination. */
function attributes({ theme, mode, lang, wall }) {
  const base = { theme, mode, lang, refresh: '10' };
  if (wall === 'error') return { ...base, api: stoppedApi, wall: 'general' };
  if (wall === 'empty') return { ...base, api: server.url, wall: 'nobody-wrote-yet' };
  // Full: the wall follows the incident, so the wall switcher is there too.
  return { ...base, api: server.url };
}

/** Waits until the widget shows what this combination is about. */
async function settled(page, { mode, wall }) {
  const widget = page.locator('hugops-widget');
  if (mode === 'toast') {
    if (wall === 'error') {
      // No status, no toast: the widget stays out of the way. Give it the
      // time a failed status load takes before auditing the page as it is.
      await page.waitForTimeout(1_500);
      return;
    }
    await widget.locator('.hugops-toast').waitFor({ timeout: 20_000 });
    return;
  }
  if (wall === 'error') {
    await widget.locator('.hugops-status .hugops-stale').waitFor({ timeout: 20_000 });
    await widget.locator('.hugops-wall .hugops-stale').waitFor({ timeout: 20_000 });
  } else if (wall === 'empty') {
    await widget.locator('.hugops-wall__empty').waitFor({ timeout: 20_000 });
  } else {
    await widget.locator('.hugops-wall__list .hugops-message').first().waitFor({ timeout: 20_000 });
    await widget.locator('.hugops-walls__select').waitFor({ timeout: 20_000 });
  }
  await widget.locator('.hugops-banner, .hugops-status .hugops-stale').first().waitFor({ timeout: 20_000 });
}

function readable(violations) {
  return violations
    .map((v) => `${v.rule} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`)
    .join('\n');
}

const combinations = [];
for (const lang of ['en', 'ar']) {
  for (const theme of ['light', 'dark']) {
    for (const mode of ['inline', 'toast']) {
      for (const wall of ['empty', 'full', 'error']) combinations.push({ lang, theme, mode, wall });
    }
  }
}

for (const combo of combinations) {
  const name = `${combo.mode} ${combo.theme} ${combo.lang}, wall ${combo.wall}`;
  test(`axe finds no WCAG 2.1 A/AA violation: ${name}`, async () => {
    const context = await browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    const path = `/a11y-${combo.mode}-${combo.theme}-${combo.lang}-${combo.wall}`;
    const url = site.page(path, hostPage({
      widgetOrigin: server.url, lang: combo.lang, widgets: [attributes(combo)],
    }));
    await page.goto(url);
    await settled(page, combo);
    const found = await audit(page);
    if (combo.mode === 'toast' && combo.wall !== 'error') {
      // Opened, the toast shows the wall: audited too.
      await page.locator('hugops-widget .hugops-toast .hugops-button').first().click();
      await page.locator('hugops-widget .hugops-toast__panel .hugops-composer__body').waitFor({ timeout: 20_000 });
      if (combo.wall === 'empty') {
        await page.locator('hugops-widget .hugops-wall__empty').waitFor({ timeout: 20_000 });
      } else {
        await page.locator('hugops-widget .hugops-toast__panel .hugops-message').first().waitFor({ timeout: 20_000 });
      }
      found.push(...(await audit(page)));
    }
    await context.close();
    assert.deepEqual(found, [], `${name}:\n${readable(found)}`);
  });
}

for (const query of ['', '&theme=dark', '&lang=ar', '&theme=dark&lang=ar&mode=toast']) {
  test(`axe finds no WCAG 2.1 A/AA violation on the iframe page /embed?wall=general${query}`, async () => {
    // The page's own CSP forbids inline script; axe is the test's, not the
    // page's, so this context lets Playwright inject it.
    const context = await browser.newContext({ reducedMotion: 'reduce', bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/embed?wall=general${query}`);
    const widget = page.locator('hugops-widget');
    if (query.includes('toast')) {
      await widget.locator('.hugops-toast').waitFor({ timeout: 20_000 });
    } else {
      await widget.locator('.hugops-wall__list .hugops-message').first().waitFor({ timeout: 20_000 });
      await widget.locator('.hugops-banner').waitFor({ timeout: 20_000 });
    }
    const found = await audit(page);
    await context.close();
    assert.deepEqual(found, [], readable(found));
  });
}

test('the audit reaches into the widget\'s shadow root', async () => {
  // A canary: an image with no text alternative, put inside the widget's
  // shadow root, must be reported, or the zero above would mean nothing.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(site.page('/a11y-canary', hostPage({
    widgetOrigin: server.url, widgets: [{ api: server.url, wall: 'nobody-wrote-yet' }],
  })));
  await page.locator('hugops-widget .hugops-wall__empty').waitFor({ timeout: 20_000 });
  await page.evaluate(() => {
    const image = document.createElement('img');
    image.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
    document.querySelector('hugops-widget').shadowRoot.querySelector('.hugops-wall').append(image);
  });
  const found = await audit(page);
  await context.close();
  const missingAlt = found.find((v) => v.rule === 'image-alt');
  assert.ok(missingAlt, `image-alt reported: ${readable(found)}`);
  assert.match(missingAlt.nodes[0], /hugops-widget/, 'the target goes through the shadow host');
});
