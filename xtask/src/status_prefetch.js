const hugopsStatus = new Map();
for (const widget of document.querySelectorAll('hugops-widget')) {
  const attr = (name) => (widget.getAttribute(name) || '').trim();
  const status = attr('status');
  const api = attr('api');
  const url = status ? (status === 'demo' ? '' : status) : api ? `${api.replace(/\/+$/, '')}/api/v1/status` : '';
  if (url && !hugopsStatus.has(url)) {
    const response = fetch(url, { cache: 'no-cache', signal: AbortSignal.timeout(15000) });
    response.catch(() => {});
    hugopsStatus.set(url, response);
  }
}
globalThis.__hugopsStatus = hugopsStatus;
