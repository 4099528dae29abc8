// The team page end to end: the release team bundle (dist/team/) in real
// Chromium, against the real server. A wrong token shows nothing; the
// right one lists the walls; the team hides a message, approves a held one
// with one key, posts an official message, downloads the exports (each
// holding exactly the wall's messages) and signs out. A visitor's widget
// sees the changes live.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  Server, TEAM_TOKEN, card, launchBrowser, post, visitor as openVisitor, watchErrors,
} from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await Server.start({ args: ['--demo', '--rate-per-minute', '0', '--hold-flagged'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

async function api(method, path, body, token = TEAM_TOKEN) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${server.url}${path}`, {
    method, headers, body: body && JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status}`);
  return response.json();
}

const postAsVisitor = (wall, text) => api('POST', `/api/v1/walls/${wall}/messages`,
  { body: text, client_id: `e2e-${Math.random().toString(36).slice(2)}` }, null);

const allMessages = async (wall) => (await api('GET', `/api/v1/walls/${wall}/messages/all`)).messages;

/** The team page in a fresh context (its own sessionStorage). */
async function teamPage() {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/team`);
  await page.locator('#token').waitFor({ timeout: 20_000 });
  return { context, page, errors };
}

const row = (page, text) => page.locator('.msg', { hasText: text });

test('a wrong token is refused in plain words and shows nothing', async () => {
  const { context, page } = await teamPage();
  await page.locator('#token').fill('not-the-team-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#sign-in-error', { hasText: 'not accepted' }).waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('.wall-list, .msg, nav.walls').count(), 0, 'nothing of the team shown');
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'a refused token is not kept');
  assert.ok(!page.url().includes('not-the-team-token'), 'never in the URL');
  await context.close();
});

test('the team moderates, posts, exports and signs out', async () => {
  const stamp = Date.now();
  const kind = `Thank you, hang in there ${stamp}`;
  const spam = `Buy cheap watches ${stamp}`;
  const hostile = `You idiots broke everything again ${stamp}`;
  for (const text of [kind, spam, hostile]) await postAsVisitor('general', text);
  assert.ok((await allMessages('general')).find((m) => m.body === hostile).held, 'the hostile post is held');

  const reader = await openVisitor(browser, server.url);
  await card(reader.page, spam).waitFor({ timeout: 10_000 });

  const { context, page, errors } = await teamPage();
  await page.locator('#token').fill(TEAM_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const wall = page.locator('.wall-item[data-wall="general"]');
  await wall.waitFor({ timeout: 10_000 });
  assert.equal(await page.evaluate(() => sessionStorage.getItem('hugops-team-token')), TEAM_TOKEN);
  assert.ok(!page.url().includes(TEAM_TOKEN));
  await wall.click();

  // Every message, the held one marked in words.
  await row(page, hostile).locator('.tag', { hasText: 'Held for review' }).waitFor({ timeout: 10_000 });
  await row(page, kind).waitFor();

  // Hide: marked on the page, gone from the visitor's wall live.
  await row(page, spam).getByRole('button', { name: 'Hide' }).click();
  await row(page, spam).locator('.tag', { hasText: 'Hidden' }).waitFor({ timeout: 10_000 });
  await card(reader.page, spam).waitFor({ state: 'detached', timeout: 10_000 });
  assert.ok((await allMessages('general')).find((m) => m.body === spam).hidden);

  // One key approves the oldest held message; it arrives live for visitors.
  await page.keyboard.press('a');
  await row(page, hostile).locator('.tag', { hasText: 'Visible' }).waitFor({ timeout: 10_000 });
  await card(reader.page, hostile).waitFor({ timeout: 10_000 });

  // An official message: pinned, marked official.
  const official = `We found the cause and are rolling back ${stamp}`;
  await page.locator('#official-body').fill(official);
  await page.getByRole('button', { name: 'Post as the team' }).click();
  await row(page, official).locator('.tag', { hasText: 'Official' }).waitFor({ timeout: 10_000 });
  await row(page, official).locator('.tag', { hasText: 'Pinned' }).waitFor();
  await card(reader.page, official).waitFor({ timeout: 10_000 });

  // The exports hold exactly the wall's messages.
  const stored = await allMessages('general');
  const ids = stored.map((m) => m.id).sort((x, y) => x - y);
  const download = async (format) => {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.locator(`.export button[data-format="${format}"]`).click(),
    ]);
    assert.equal(file.suggestedFilename(), `hugops-general.${format}`);
    return readFile(await file.path(), 'utf8');
  };
  const json = JSON.parse(await download('json'));
  assert.deepEqual(json.messages.map((m) => m.id).sort((x, y) => x - y), ids);
  const csv = (await download('csv')).trim().split('\r\n');
  assert.equal(csv.length, ids.length + 1, 'a header and one row per message');
  const digest = await download('md');
  assert.match(digest, /^# HugOps wall: general/);
  assert.ok(digest.includes('rolling back'), 'the official message is in the digest');

  // Sign out forgets the token; a reload asks for it again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#token').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('hugops-team-token')), null);
  await page.reload();
  await page.locator('#token').waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('.wall-list').count(), 0);

  assert.deepEqual(errors, []);
  assert.deepEqual(reader.errors, []);
  await context.close();
  await reader.context.close();
});

test('an incident\'s wall, from the outage to the postmortem', async () => {
  const stamp = Date.now();
  // Statuspage ids are lowercase alphanumerics: the wall is the id itself.
  const incident = `e2eoutage${stamp}`;
  const name = `Checkout errors ${stamp}`;
  const summary = (incidents, indicator) => ({
    page: { id: 'e2e', name: 'E2E', url: server.url, updated_at: new Date().toISOString() },
    status: { indicator, description: indicator === 'none' ? 'All Systems Operational' : 'Partial System Outage' },
    components: [],
    incidents,
    scheduled_maintenances: [],
  });
  const outage = {
    id: incident, name, status: 'investigating', impact: 'major',
    created_at: new Date().toISOString(), updated_at: new Date().toISOString(),
    incident_updates: [],
  };
  await api('PUT', '/api/v1/status', summary([outage], 'major'));

  // During the outage a customer's widget offers the incident's wall and
  // chooses it (the demo page pins `general`; without `wall=` the widget
  // chooses for itself).
  const customer = await openVisitor(browser, server.url);
  await customer.page.locator('hugops-widget').first().evaluate((el) => el.removeAttribute('wall'));
  const select = customer.page.locator('hugops-widget .hugops-walls__select');
  await select.waitFor({ timeout: 20_000 });
  assert.equal(await select.inputValue(), incident, 'the incident\'s wall is chosen');
  const kind = `Thank you for the updates ${stamp}`;
  await customer.page.locator('hugops-widget .hugops-composer__body').waitFor({ timeout: 20_000 });
  await post(customer.page, kind);
  await card(customer.page, kind).waitFor({ timeout: 10_000 });
  const spam = `Buy cheap watches ${stamp}`;
  const hostile = `You idiots broke everything again ${stamp}`;
  const pinMe = `You've got this, team ${stamp}`;
  for (const text of [spam, hostile, pinMe]) await postAsVisitor(incident, text);
  const during = await allMessages(incident);
  assert.ok(during.find((m) => m.body === kind), 'the customer\'s post is on the incident\'s wall');
  assert.ok(!(await allMessages('general')).find((m) => m.body === kind), 'and not on general');

  // The incident resolves; its wall stays. A reader keeps it open.
  await api('PUT', '/api/v1/status', summary([], 'none'));
  const reader = await openVisitor(browser, server.url);
  await reader.page.locator('hugops-widget').first().evaluate((el, w) => el.setAttribute('wall', w), incident);
  await card(reader.page, spam).waitFor({ timeout: 20_000 });

  // The team finds the wall by its incident's name.
  const { context, page, errors } = await teamPage();
  await page.locator('#token').fill(TEAM_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const wall = page.locator(`.wall-item[data-wall="${incident}"]`);
  await wall.waitFor({ timeout: 10_000 });
  assert.match(await wall.innerText(), new RegExp(name));
  await wall.click();
  await row(page, hostile).locator('.tag', { hasText: 'Held for review' }).waitFor({ timeout: 10_000 });

  // Hide one, pin one, approve the held one, post as the team: each shows
  // on the open widget live.
  await row(page, spam).getByRole('button', { name: 'Hide' }).click();
  await card(reader.page, spam).waitFor({ state: 'detached', timeout: 10_000 });
  await row(page, pinMe).getByRole('button', { name: 'Pin' }).click();
  await reader.page.locator('hugops-widget .hugops-message--pinned', { hasText: pinMe })
    .waitFor({ timeout: 10_000 });
  await page.keyboard.press('a');
  await card(reader.page, hostile).waitFor({ timeout: 10_000 });
  const official = `Fixed: a bad deploy of the payment service, rolled back ${stamp}`;
  await page.locator('#official-body').fill(official);
  await page.getByRole('button', { name: 'Post as the team' }).click();
  await reader.page.locator('hugops-widget .hugops-message--pinned', { hasText: official })
    .waitFor({ timeout: 10_000 });

  // The exports of that wall hold exactly its messages.
  const stored = await allMessages(incident);
  const ids = stored.map((m) => m.id).sort((x, y) => x - y);
  assert.equal(ids.length, 5);
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.export button[data-format="json"]').click(),
  ]);
  const json = JSON.parse(await readFile(await file.path(), 'utf8'));
  assert.deepEqual(json.messages.map((m) => m.id).sort((x, y) => x - y), ids);

  assert.deepEqual(errors, []);
  assert.deepEqual(reader.errors, []);
  assert.deepEqual(customer.errors, []);
  await context.close();
  await reader.context.close();
  await customer.context.close();
});
