/**
 * A stand-in for a banned service that a person used before the ban: its page
 * registers a service worker that answers every navigation from the site's own
 * Cache Storage, as an offline-capable web app does. Whenever the site's own
 * code runs (the page's script, or the worker answering a navigation) it
 * tells an unrelated counting host (`example.test/ran?by=…`), so a test can
 * prove that none of it ran: requests to the banned host and these beacons
 * both stay at 0.
 *
 * Service workers need a secure context; the stand-in is plain http, so
 * Chromium is started with `--unsafely-treat-insecure-origin-as-secure` for
 * it and Firefox with `dom.serviceWorkers.testing.enabled`.
 */
import { UNRELATED_HOST, type Routes } from './server';

export const CACHED_HOST = 'chat.deepseek.com';
export const CACHED_URL = `http://${CACHED_HOST}/`;
/** What the page's title says when its document came from the worker's cache. */
export const FROM_CACHE_TITLE = 'DeepSeek (from its own cache)';
export const BEACON_PATH = '/ran';

const HEAD = '<meta charset="utf-8"><link rel="icon" href="data:,">';

/**
 * The site's page. Its script reports that it ran (and whether a service
 * worker served it), then registers the worker. The cached copy of this same
 * page carries a marker the worker adds, so the title says where it came from.
 */
function sitePage(): string {
  return `<!doctype html><html><head>${HEAD}<title>DeepSeek</title></head>
<body><h1 id="service-host">${CACHED_HOST}</h1>
<script src="/app.js"></script></body></html>`;
}

const APP_JS = `
const controlled = navigator.serviceWorker && navigator.serviceWorker.controller !== null;
if (controlled) document.title = ${JSON.stringify(FROM_CACHE_TITLE)};
fetch('http://${UNRELATED_HOST}${BEACON_PATH}?by=page&controlled=' + controlled, { mode: 'no-cors', cache: 'no-store' }).catch(() => {});
if (navigator.serviceWorker) navigator.serviceWorker.register('/sw.js').catch((e) => { document.title = 'sw failed: ' + e; });
`;

/** The worker: caches the page and its script at install, then answers navigations from that cache. */
const SW_JS = `
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open('site-v1').then((cache) => cache.addAll(['/', '/app.js'])).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    fetch('http://${UNRELATED_HOST}${BEACON_PATH}?by=worker', { mode: 'no-cors', cache: 'no-store' }).catch(() => {});
    event.respondWith(caches.match('/').then((hit) => hit || fetch(request)));
    return;
  }
  event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
});
`;

/** The unrelated site: a link and a window.open to the cached site. */
function unrelatedPage(): string {
  return `<!doctype html><html><head>${HEAD}<title>${UNRELATED_HOST}</title></head>
<body><h1>${UNRELATED_HOST}</h1>
<p><a id="link-deepseek" href="${CACHED_URL}">DeepSeek</a></p>
<p><button id="open-deepseek" type="button">Open DeepSeek in a new window</button></p>
<script>
document.getElementById('open-deepseek').addEventListener('click', () => { window.open(${JSON.stringify(CACHED_URL)}, '_blank'); });
</script></body></html>`;
}

export const cachedSiteRoutes: Routes = (host, path) => {
  if (host === CACHED_HOST) {
    if (path === '/') return { type: 'text/html; charset=utf-8', body: sitePage(), cacheControl: 'no-cache' };
    if (path === '/app.js') return { type: 'text/javascript', body: APP_JS, cacheControl: 'no-cache' };
    if (path === '/sw.js') return { type: 'text/javascript', body: SW_JS, cacheControl: 'no-cache' };
    return null;
  }
  if (host === UNRELATED_HOST) {
    if (path === '/') return { type: 'text/html; charset=utf-8', body: unrelatedPage() };
    if (path === BEACON_PATH) return { type: 'text/plain', body: 'ok' };
  }
  return null;
};
