// Held for review, end to end: a server run with --hold-flagged keeps the
// posts its kindness check flags off the wall until the team approves them.
// The author must be told so (not see the post vanish), nobody else may see
// it before then, and once approved it arrives live for everyone, however
// old its id is by then.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, TEAM_TOKEN, card, launchBrowser, post, visitor as openVisitor } from './harness.mjs';

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

const visitor = () => openVisitor(browser, server.url);

async function teamApi(method, path, body) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TEAM_TOKEN}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status}`);
  return response.json();
}

test('a held post tells its author, stays off the wall, and arrives live once approved', async () => {
  const author = await visitor();
  const reader = await visitor();
  const hostile = `You idiots broke everything again ${Date.now()}`;
  await post(author.page, hostile);

  // The author is told the post waits for the team, in words.
  const status = author.page.locator('hugops-widget .hugops-composer__status');
  await status.filter({ hasText: 'once the team has had a look' }).waitFor({ timeout: 10_000 });

  // A kind post sent after it shows up for the reader; the held one does not.
  const kind = `Thank you, hang in there ${Date.now()}`;
  await post(author.page, kind);
  await card(reader.page, kind).waitFor({ timeout: 10_000 });
  assert.equal(await card(reader.page, hostile).count(), 0, 'held posts are not shown');

  // The team approves it: it keeps its older id, and still arrives live.
  const { messages } = await teamApi('GET', '/api/v1/walls/general/held');
  const held = messages.find((m) => m.body === hostile);
  assert.ok(held, 'the team sees the held post');
  await teamApi('PATCH', `/api/v1/walls/general/messages/${held.id}`, { action: 'approve' });
  await card(reader.page, hostile).waitFor({ timeout: 10_000 });
  assert.equal(await card(reader.page, hostile).count(), 1);
  assert.equal(await card(reader.page, kind).count(), 1);

  assert.deepEqual(author.errors, []);
  assert.deepEqual(reader.errors, []);
  await author.context.close();
  await reader.context.close();
});
