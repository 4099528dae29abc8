// A host page on a second origin: a tiny node http server, on its own free
// port, that serves the pages a test gives it with the headers it gives
// them. The widget itself always comes from the HugOps server, so every
// page served here embeds it cross-origin, as a real status page does.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { freePort } from './harness.mjs';

export class HostSite {
  /** `pages`: path → { html, headers }. */
  static async start(pages = {}) {
    const site = new HostSite();
    site.pages = new Map(Object.entries(pages));
    site.port = await freePort();
    site.url = `http://127.0.0.1:${site.port}`;
    site.server = createServer((request, response) => {
      const path = new URL(request.url, site.url).pathname;
      const page = site.pages.get(path);
      if (!page) {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('not found');
        return;
      }
      response.writeHead(200, {
        'content-type': page.type ?? 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        ...page.headers,
      });
      response.end(page.body ?? page.html);
    });
    await new Promise((resolve) => site.server.listen(site.port, '127.0.0.1', resolve));
    return site;
  }

  /** Serves (or replaces) `path`. */
  page(path, html, headers = {}) {
    this.pages.set(path, { html, headers });
    return `${this.url}${path}`;
  }

  /** Serves (or replaces) a file at `path` with this content type. */
  asset(path, body, type) {
    this.pages.set(path, { body, type });
    return `${this.url}${path}`;
  }

  async close() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/**
 * A host page embedding the widget from `widgetOrigin`: `attributes` is one
 * object per `<hugops-widget>`; `head` and `body` add to the page.
 */
export function hostPage({ widgetOrigin, widgets = [{}], lang = 'en', head = '', before = '' }) {
  const elements = widgets.map((attributes) => {
    const text = Object.entries(attributes)
      .map(([name, value]) => ` ${name}="${value}"`)
      .join('');
    return `<hugops-widget${text}></hugops-widget>`;
  });
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A status page</title>
${head}
<script type="module" src="${widgetOrigin}/hugops.js"></script>
</head>
<body>
<main>
${before}
${elements.join('\n')}
</main>
</body>
</html>
`;
}

/** axe-core's browser build, from node_modules (package.json pins it). */
export function axeSource() {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
}

/** The WCAG 2.1 A and AA rules: what the widget promises to pass. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe on the whole page (open shadow roots included) and returns its
 * violations in a readable form: rule, impact, and each node's target.
 */
export async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ content: axeSource() });
  }
  const result = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`.trim()),
    }));
  }, WCAG_TAGS);
  return result;
}
