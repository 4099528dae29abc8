// Shared by the end-to-end tests: start the real hugops-server on a fresh
// SQLite file and a free port, and Debian's Chromium through playwright-core
// (which never downloads a browser of its own).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const SERVER_BIN = process.env.HUGOPS_SERVER_BIN;
const DIST = process.env.HUGOPS_DIST;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
if (!SERVER_BIN || !DIST) {
  throw new Error('run these through `cargo xtask test e2e` (HUGOPS_SERVER_BIN and HUGOPS_DIST unset)');
}

export const TEAM_TOKEN = 'e2e-team-token-0123';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A running hugops-server. `stop()` ends it (SIGKILL when `hard`). */
export class Server {
  static async start({ args = [], dir, port } = {}) {
    const server = new Server();
    server.dir = dir ?? mkdtempSync(join(tmpdir(), 'hugops-e2e-'));
    server.ownsDir = !dir;
    server.port = port ?? (await freePort());
    server.url = `http://127.0.0.1:${server.port}`;
    server.args = args;
    await server.launch();
    return server;
  }

  async launch() {
    this.output = '';
    this.child = spawn(
      SERVER_BIN,
      ['--bind', `127.0.0.1:${this.port}`, '--database', join(this.dir, 'e2e.db'),
        '--static-dir', DIST, ...this.args],
      { env: { ...process.env, HUGOPS_TEAM_TOKEN: TEAM_TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child.stdout.on('data', (d) => { this.output += d; });
    this.child.stderr.on('data', (d) => { this.output += d; });
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`${this.url}/healthz`);
        if (response.ok) return;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`hugops-server did not become healthy:\n${this.output}`);
  }

  async stop({ hard = false } = {}) {
    if (this.child && this.child.exitCode === null) {
      this.child.kill(hard ? 'SIGKILL' : 'SIGTERM');
      await this.exited;
    }
  }

  async restart() {
    await this.stop();
    await this.launch();
  }

  async dispose() {
    await this.stop({ hard: true });
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
}

/**
 * Collects console errors, page errors and failed responses, to assert a
 * clean load. Headless Chromium asks for /favicon.ico whatever the page
 * declares; that request is the browser's, not the widget's, so it is not
 * counted.
 */
export function watchErrors(page) {
  const errors = [];
  const isFavicon = (url) => new URL(url).pathname === '/favicon.ico';
  page.on('console', (m) => {
    if (m.type() === 'error' && !isFavicon(m.location().url || 'http://x/')) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400 && !isFavicon(r.url())) errors.push(`${r.status()} ${r.url()}`);
  });
  return errors;
}

/** `url` in a browser context of its own, its errors watched from the start. */
export async function open(browser, url, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(url);
  return { context, page, errors };
}

/**
 * A visitor: their own browser context (own localStorage, own visitor id),
 * on `url`, once the widget's message box is there.
 */
export async function visitor(browser, url, options = {}) {
  const opened = await open(browser, url, options);
  await opened.page.locator('hugops-widget .hugops-composer__body').waitFor({ timeout: 20_000 });
  return opened;
}

/** Types `text` into the widget's message box and presses Send. */
export async function post(page, text) {
  await page.locator('hugops-widget .hugops-composer__body').fill(text);
  await page.locator('hugops-widget .hugops-composer__send').click();
}

/** A stored message's card on the wall (not the visitor's waiting copy). */
export function card(page, text) {
  return page.locator('hugops-widget .hugops-wall .hugops-message:not(.hugops-message--pending)', { hasText: text });
}
