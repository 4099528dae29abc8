// A plain JavaScript status widget, written for `cargo xtask bench widget`
// only: what HugOps's first paint is measured against. It shows what a
// visitor first sees in the HugOps widget, from the same server API: the
// banner, the components, the active incidents, and the wall's newest page
// of messages. No framework, no build step, no wasm; both requests start
// as soon as the module runs. Not shipped, not a second widget: it has no
// composer, no live updates and no translations.

const CSS = `
:host { display: block; font: 15px/1.45 system-ui, sans-serif; color: #1f2328; }
.ref { display: grid; gap: 16px; grid-template-columns: minmax(0, 1fr); }
@media (min-width: 860px) { .ref { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } }
.ref-banner { padding: 12px 16px; border-radius: 8px; font-weight: 600; color: #fff; background: #1a7f37; }
.ref-banner[data-indicator="minor"] { background: #9a6700; }
.ref-banner[data-indicator="major"], .ref-banner[data-indicator="critical"] { background: #cf222e; }
.ref-banner[data-indicator="maintenance"] { background: #0969da; }
ul { list-style: none; margin: 0; padding: 0; }
.ref-component { display: flex; justify-content: space-between; padding: 6px 0; border-bottom: 1px solid #d0d7de; }
.ref-incident { margin: 12px 0; padding: 12px; border: 1px solid #d0d7de; border-radius: 8px; }
.ref-incident h3 { margin: 0 0 4px; font-size: 1rem; }
.ref-message { padding: 8px 0; border-bottom: 1px solid #d0d7de; }
.ref-message b { margin-inline-end: 8px; }
.ref-hugs { color: #59636e; font-size: 0.875rem; }
`;

const sheet = new CSSStyleSheet();
sheet.replaceSync(CSS);

/** An element with the given class and text. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function minutesAgo(iso) {
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60_000));
  return minutes < 60 ? `${minutes} minutes ago` : `${Math.round(minutes / 60)} hours ago`;
}

function statusPanel(summary) {
  const panel = el('section', 'ref-status');
  const banner = el('div', 'ref-banner', summary.status.description);
  banner.dataset.indicator = summary.status.indicator;
  banner.setAttribute('role', 'status');
  panel.append(banner);
  const active = (summary.incidents || []).filter((i) => !['resolved', 'postmortem'].includes(i.status));
  for (const incident of active) {
    const card = el('article', 'ref-incident');
    card.append(el('h3', '', incident.name));
    const began = incident.started_at || incident.created_at;
    if (began) card.append(el('p', '', `Started ${minutesAgo(began)}`));
    const latest = incident.incident_updates?.[0];
    if (latest) card.append(el('p', '', latest.body));
    panel.append(card);
  }
  const list = el('ul', 'ref-components');
  const shown = (summary.components || [])
    .filter((c) => !c.group_id && !(c.only_show_if_degraded && c.status === 'operational'))
    .sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity));
  for (const component of shown) {
    const row = el('li', 'ref-component');
    row.append(el('span', '', component.name), el('span', '', component.status.replaceAll('_', ' ')));
    list.append(row);
  }
  panel.append(list);
  return panel;
}

function wall(page) {
  const section = el('section', 'ref-wall');
  section.append(el('h2', '', 'HugOps'));
  const list = el('ul', 'ref-messages');
  for (const message of page.messages) {
    const item = el('li', 'ref-message');
    item.append(el('b', '', message.author || 'Someone'), document.createTextNode(message.body));
    item.append(el('div', 'ref-hugs', `${message.hugs} hugs`));
    list.append(item);
  }
  section.append(list);
  return section;
}

async function json(url) {
  const response = await fetch(url, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

class ReferenceWidget extends HTMLElement {
  connectedCallback() {
    const api = (this.getAttribute('api') || '/').replace(/\/+$/, '');
    const wallName = this.getAttribute('wall') || 'general';
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [sheet];
    const layout = el('div', 'ref');
    const statusSlot = el('div');
    const wallSlot = el('div');
    layout.append(statusSlot, wallSlot);
    root.append(layout);
    const failed = (slot) => (error) => slot.replaceChildren(el('p', '', String(error)));
    json(`${api}/api/v1/status`)
      .then((summary) => statusSlot.replaceChildren(statusPanel(summary)), failed(statusSlot));
    json(`${api}/api/v1/walls/${encodeURIComponent(wallName)}/messages`)
      .then((page) => wallSlot.replaceChildren(wall(page)), failed(wallSlot));
  }
}

customElements.define('hugops-reference', ReferenceWidget);
