// Sabak's service worker: after one visit, the timetable stays readable without a network.
// Pages of the timetable (and the home page) are fetched from the network first and a copy is
// kept; offline, the copy is shown read-only (its scripts removed) with "last updated".
// Logging out deletes the copies: they hold a person's timetable.
const PAGES = 'sabak-pages-v1';
const STYLES = 'sabak-styles-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && url.pathname === '/api/logout') {
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (request.method !== 'GET') return;
  // A page opened in full, or fetched by the islands router (app/src/shell/islands.js).
  const page = request.mode === 'navigate' || request.headers.has('Islands-Router');
  if (page && (url.pathname === '/' || url.pathname.startsWith('/timetable'))) {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.startsWith('/pkg/') && url.pathname.endsWith('.css')) {
    event.respondWith(styles(request));
  }
});

async function networkFirst(request) {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    const type = response.headers.get('content-type') || '';
    if (response.ok && type.includes('text/html') && !response.redirected) {
      const body = await response.clone().text();
      await cache.put(request.url, new Response(body, {
        headers: { 'content-type': 'text/html; charset=utf-8', 'x-sabak-saved': new Date().toISOString() },
      }));
    }
    return response;
  } catch (error) {
    const copy = (await cache.match(request.url)) || (await cache.match(new URL('/timetable', request.url).href));
    if (!copy) throw error;
    return offlineCopy(copy);
  }
}

// The saved page, read-only, with its hidden "offline" note shown and the time filled in.
async function offlineCopy(copy) {
  const saved = new Date(copy.headers.get('x-sabak-saved'));
  let html = await copy.text();
  // Bishkek time (UTC+6, no summer time), written as the rest of Sabak writes dates.
  const when = new Date(saved.getTime() + 6 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
  html = html
    .replace(/<script\b[\s\S]*?<\/script>/g, '')
    .replace(/(<p\b[^>]*\bdata-offline\b[^>]*?)\shidden(="[^"]*")?/, '$1')
    .replace(/(<time\b[^>]*\bdata-saved\b[^>]*>)[\s\S]*?(<\/time>)/, `$1${when}$2`);
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
}

async function styles(request) {
  const cache = await caches.open(STYLES);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const copy = await cache.match(request);
    if (!copy) throw error;
    return copy;
  }
}
