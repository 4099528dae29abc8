// Pictures of the release widget as visitors see it, written to
// target/screenshots/ (gitignored) for people to look at: desktop and a
// 375 px phone, light and dark, English and Arabic, the toast, and the
// demo page (docs/demo.png in the README is an optimised copy of it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server, launchBrowser } from './harness.mjs';
import { HostSite, hostPage } from './host.mjs';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'target', 'screenshots');

let server;
let site;
let browser;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  server = await Server.start({ args: ['--demo', '--rate-per-minute', '0'] });
  site = await HostSite.start();
  browser = await launchBrowser();
  // A wall with something on it: the incident's (the one the widget opens).
  await fetch(`${server.url}/api/v1/status`);
  const { walls } = await (await fetch(`${server.url}/api/v1/walls/recent`)).json();
  const messages = [
    ['Sam', 'Thank you for working on this! 💙'],
    [undefined, 'Hang in there, team. No rush — take care of yourselves.'],
    ['ليلى', 'شكرًا لكم على التحديثات الواضحة، نحن معكم'],
    ['Jo', 'Thanks for the clear updates, they really help'],
  ];
  for (const wall of [walls[0].wall, 'general']) {
    for (const [i, [author, body]] of messages.entries()) {
      await fetch(`${server.url}/api/v1/walls/${wall}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ author, body, client_id: `shot-${wall}-${i}` }),
      });
    }
  }
});

after(async () => {
  await browser?.close();
  await site?.close();
  await server?.dispose();
});

async function shoot(name, { viewport, theme = 'light', lang = 'en', mode = 'inline' }) {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const url = site.page(`/shot-${name}`, hostPage({
    widgetOrigin: server.url, lang, widgets: [{ api: server.url, theme, lang, mode }],
  }));
  await page.goto(url);
  const file = join(OUT, `${name}.png`);
  if (mode === 'toast') {
    await page.locator('hugops-widget .hugops-toast').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: file, animations: 'disabled' });
  } else {
    const root = page.locator('hugops-widget .hugops');
    await root.locator('.hugops-banner').waitFor({ timeout: 20_000 });
    await root.locator('.hugops-wall__list .hugops-message').first().waitFor({ timeout: 20_000 });
    await root.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  }
  await context.close();
  assert.ok(statSync(file).size > 1_000, `${file} was written`);
}

const desktop = { width: 1280, height: 900 };
const phone = { width: 375, height: 812 };

for (const lang of ['en', 'ar']) {
  for (const theme of ['light', 'dark']) {
    test(`screenshots: ${lang} ${theme}, desktop and 375 px`, async () => {
      await shoot(`widget-${lang}-${theme}-desktop`, { viewport: desktop, theme, lang });
      await shoot(`widget-${lang}-${theme}-375`, { viewport: phone, theme, lang });
    });
  }
}

test('screenshots: the toast, light and dark', async () => {
  await shoot('toast-light', { viewport: desktop, mode: 'toast' });
  await shoot('toast-dark', { viewport: phone, mode: 'toast', theme: 'dark' });
});

test('screenshot: the demo page', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 1000 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.locator('hugops-widget .hugops-wall__list .hugops-message').first().waitFor({ timeout: 20_000 });
  const file = join(OUT, 'demo.png');
  await page.screenshot({ path: file, animations: 'disabled' });
  await context.close();
  assert.ok(statSync(file).size > 1_000);
});
