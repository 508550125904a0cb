// Sabak in the browser, before any WASM: the islands loader and the islands router.
//
// Pages are rendered by the server and work as plain HTML. This script (one small cached file)
// 1. fetches the WASM only on a page that has an island (`<leptos-island>`), and hydrates those;
// 2. navigates without a full reload: a click on a link or a form post fetches the next page and
//    puts it in place (after Leptos' islands router, `islands_routing.js`, adapted: see
//    "Changes" below), so the CSS, the scripts and any island that stays are kept;
// 3. registers the service worker that keeps the timetable readable offline;
// 4. shows the buttons that only ask the browser for something (`data-action="print"`).
//
// Changes to Leptos 0.8's islands_routing.js, each for a case a person meets:
// - the page is put in place by parts, not by walking both documents node by node (see
//   `diffPages`); an island whose props changed is replaced and hydrated anew (upstream kept the
//   old one: the timer of class A stayed on the page of class B);
// - file downloads, multipart uploads, other origins, `rel=external`, `download` and `target`
//   are left to the browser (upstream re-encoded an upload as a URL-encoded body);
// - the pressed button's name and value are posted (`new FormData(form, submitter)`);
// - a link to a place on the same page only scrolls; a new path scrolls to the top and moves
//   the focus to the page; back and forward restore where the reader was;
// - a failed fetch (offline, a dropped connection) falls back to a normal navigation, so the
//   service worker's offline copy is shown; an answer that is not HTML is opened by the browser;
// - `aria-busy` on <html> while a page is on its way (the CSS shows a thin bar after a moment).
(() => {
  const script = document.currentScript;
  const JS = script.dataset.js;
  const WASM = script.dataset.wasm;
  // Answers that are files, not pages: the browser downloads or opens them itself.
  const FILES = /^\/(api\/logout$|lang\/|materials\/|tasks\/files\/|journal\/export|contest\/export\/|ical\/|pkg\/)/;

  let wasm = null;
  function loadWasm() {
    if (!wasm) {
      wasm = import(JS).then(async (mod) => {
        await mod.default({ module_or_path: WASM });
        mod.hydrate();
        return mod;
      });
    }
    return wasm;
  }

  async function hydrateIslands() {
    const islands = [...document.querySelectorAll('leptos-island')].filter((el) => !el.$$hydrated);
    if (islands.length === 0) return;
    const mod = await loadWasm();
    for (const el of islands) {
      if (el.$$hydrated || !el.isConnected) continue;
      el.$$hydrated = true;
      const islandFn = mod[el.dataset.component];
      if (islandFn) {
        const res = islandFn(el);
        if (res && res.then) await res;
      } else {
        console.warn(`no WASM function for the island ${el.dataset.component}`);
      }
    }
  }

  function ready() {
    document.body.dataset.hydrated = 'true';
  }

  // ---------- navigation ----------
  let NAVIGATION = 0;
  // The last navigation whose page is shown.
  let SETTLED = 0;
  // Whether form fields take the new page's values (after a post) or keep what is typed (a live refresh).
  let SYNC_VALUES = true;
  history.scrollRestoration = 'manual';

  function sameDocument(url) {
    return url.pathname === location.pathname && url.search === location.search;
  }

  function rememberScroll() {
    history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, '');
  }

  async function navigate(req, { replace = false, restoreY = null, fallback = null, keepValues = false } = {}) {
    NAVIGATION += 1;
    const current = NAVIGATION;
    const before = new URL(location.href);
    req.headers.append('Islands-Router', 'true');
    // As a browser asks for a page: the server then answers a redirect (to the login page, after
    // a post) with a real 302, which fetch follows, rather than with a header for scripts.
    req.headers.set('Accept', 'text/html');
    document.documentElement.setAttribute('aria-busy', 'true');
    let resp;
    let html;
    try {
      resp = await fetch(req);
      const type = resp.headers.get('content-type') || '';
      if (!type.includes('text/html')) {
        if (current !== NAVIGATION) return;
        // A file: the browser opens it. A post answered with an error that is not a page (the
        // server is overloaded, say): the page's own localized "try again" line.
        if (req.method === 'GET') location.assign(resp.url);
        else document.getElementById('nav-error')?.removeAttribute('hidden');
        return;
      }
      html = await resp.text();
    } catch (e) {
      if (current === NAVIGATION) (fallback || (() => location.assign(req.url)))();
      return;
    } finally {
      if (current === NAVIGATION) document.documentElement.removeAttribute('aria-busy');
    }
    if (current !== NAVIGATION) return;
    const url = new URL(resp.redirected ? resp.url : req.url);
    if (!replace) rememberScroll();
    try {
      // After a refusal (`error=` in the address) what was typed stays, to be corrected.
      SYNC_VALUES = !keepValues && !url.searchParams.has('error');
      diffPages(html);
    } catch (e) {
      console.error(e);
      location.assign(url.href);
      return;
    }
    if (replace) {
      history.replaceState({ scrollY: restoreY ?? window.scrollY }, '', url.href);
    } else {
      history.pushState({ scrollY: 0 }, '', url.href);
    }
    shown = url.pathname + url.search;
    SETTLED = current;
    if (restoreY !== null) {
      window.scrollTo(0, restoreY);
    } else if (url.hash) {
      document.getElementById(decodeURIComponent(url.hash.slice(1)))?.scrollIntoView();
    } else if (url.pathname !== before.pathname) {
      window.scrollTo(0, 0);
      const main = document.getElementById('main');
      if (main) {
        main.setAttribute('tabindex', '-1');
        main.focus({ preventScroll: true });
      }
    }
    showActions();
    // For tests and scripts: how many pages this document has shown.
    document.body.dataset.navigations = String(Number(document.body.dataset.navigations || 0) + 1);
    await hydrateIslands();
  }

  // The audio recorder's script, fetched only by a page that has a recorder (task hand-ins and
  // reviews); once here it sets up the recorders of every page shown after.
  function startRecorders() {
    const first = document.querySelector('[data-recorder]');
    if (!first) return;
    if (window.sabakRecorders) return window.sabakRecorders();
    if (document.getElementById('recorder-script')) return;
    const script = document.createElement('script');
    script.id = 'recorder-script';
    script.src = first.dataset.script;
    document.head.appendChild(script);
  }

  // Buttons that only ask the browser for something (print this page): shown once this script
  // runs, since without it they could do nothing.
  function showActions() {
    for (const button of document.querySelectorAll('button[data-action="print"][hidden]')) button.hidden = false;
    closeMenus();
    startCountdowns();
    startRecorders();
  }

  // "25 min left" on a home page's lesson going on: counted down from when the page arrived (not
  // from the phone's clock, which may be wrong), every 20 s, while such a line is on the page.
  let countdown = null;
  function startCountdowns() {
    const lines = [...document.querySelectorAll('[data-left-min]')];
    const shown = performance.now();
    for (const el of lines) el.dataset.endsAt = String(shown + Number(el.dataset.leftMin) * 60_000);
    if (countdown || !lines.length) return;
    countdown = setInterval(() => {
      const live = document.querySelectorAll('[data-left-min]');
      if (!live.length) { clearInterval(countdown); countdown = null; return; }
      for (const el of live) {
        const left = Math.ceil((Number(el.dataset.endsAt) - performance.now()) / 60_000);
        el.textContent = left > 0 ? el.dataset.template.replace('{n}', String(left)) : el.dataset.done;
      }
    }, 20_000);
  }

  // A file field's own label (ui::FilePick) names the chosen files, in place of the browser's.
  document.documentElement.classList.add('js');
  window.addEventListener('change', (ev) => {
    const input = ev.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file') return;
    const label = input.closest('.file-pick')?.querySelector('.file-name');
    if (!label) return;
    if (label.dataset.none === undefined) label.dataset.none = label.textContent;
    const names = [...(input.files || [])].map((f) => f.name);
    label.textContent = names.length ? names.join(', ') : label.dataset.none;
  });

  // The top bar's menu (a <details>) closes on the next page, a tap outside it, or Escape.
  function closeMenus(except) {
    for (const menu of document.querySelectorAll('details.more[open]')) if (menu !== except) menu.open = false;
  }
  window.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') closeMenus(); });

  window.addEventListener('click', (ev) => {
    closeMenus(ev.target instanceof Element ? ev.target.closest('details.more') : null);
    const action = ev.target instanceof Element && ev.target.closest('button[data-action="print"]');
    if (action) {
      window.print();
      return;
    }
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.altKey || ev.ctrlKey || ev.shiftKey) return;
    const a = ev.composedPath().find((el) => el instanceof Node && el.nodeName.toUpperCase() === 'A');
    if (!a || !a.href || a.target || a.hasAttribute('download')) return;
    if ((a.getAttribute('rel') || '').split(/\s+/).includes('external')) return;
    const url = new URL(a.href, document.baseURI);
    if (url.origin !== location.origin || FILES.test(url.pathname)) return;
    // A place on this page: the browser scrolls to it.
    if (sameDocument(url) && url.hash) return;
    ev.preventDefault();
    navigate(new Request(url.href));
  });

  // The page the document shows (path and query): a move to a place on it (`#main`) fires
  // popstate too, and needs no fetch.
  let shown = location.pathname + location.search;

  window.addEventListener('popstate', (ev) => {
    // Only when no other page is on its way (a quick back-then-forward must fetch again).
    if (location.pathname + location.search === shown && SETTLED === NAVIGATION) return;
    const y = ev.state && typeof ev.state.scrollY === 'number' ? ev.state.scrollY : 0;
    navigate(new Request(location.href), { replace: true, restoreY: y });
  });

  window.addEventListener('submit', (ev) => {
    if (ev.defaultPrevented) return;
    const form = ev.target;
    if (!(form instanceof HTMLFormElement)) return;
    const submitter = ev.submitter;
    // A step that cannot be undone by its author (submitting scores) asks first.
    const ask = submitter && submitter.dataset.confirm;
    if (ask && !window.confirm(ask)) {
      ev.preventDefault();
      return;
    }
    const method = ((submitter && submitter.getAttribute('formmethod')) || form.method || 'get').toUpperCase();
    const enctype = (submitter && submitter.getAttribute('formenctype')) || form.enctype;
    const target = (submitter && submitter.getAttribute('formtarget')) || form.target;
    const action = new URL((submitter && submitter.getAttribute('formaction')) || form.action, document.baseURI);
    // Uploads keep the browser's multipart encoding: a full post.
    if (target || enctype === 'multipart/form-data' || (method !== 'GET' && method !== 'POST')) return;
    if (action.origin !== location.origin || action.pathname === '/api/logout') return;
    ev.preventDefault();
    const params = new URLSearchParams(new FormData(form, submitter));
    let req;
    if (method === 'GET') {
      action.search = params.toString();
      req = new Request(action.href, { headers: { Accept: 'text/html' } });
    } else {
      req = new Request(action.href, { method: 'POST', body: params, headers: { Accept: 'text/html' } });
    }
    // Offline or cut off: the browser posts the form itself.
    navigate(req, { fallback: () => HTMLFormElement.prototype.submit.call(form) });
  });

  // For islands: show the server's fresh copy of this page (after a live event), in place.
  // What someone is typing on the page stays as it is.
  window.sabakRefresh = () =>
    navigate(new Request(location.href), { replace: true, restoreY: window.scrollY, keepValues: true });

  // ---------- putting the new page in place ----------
  // Leptos' islands router walks both documents node by node and patches the differences. When
  // the pages differ outside its branch markers (a list one item longer, say) the two walks lose
  // step and the patch lands in the wrong place: a post that added a line to a list emptied the
  // whole page. Here the page is put in place by parts instead: the title, language and head;
  // every part of <body> outside <main> that changed (header, menu) is replaced; <main> takes the
  // new page's content, keeping each island that is the same in both (its state, its stream).
  function diffPages(htmlString) {
    const doc = new DOMParser().parseFromString(htmlString, 'text/html');
    // DOMParser runs without scripts, so a <noscript> comes out as elements; in this page it is
    // text. Make it text, or its <meta http-equiv=refresh> would start reloading this page.
    for (const ns of doc.querySelectorAll('noscript')) ns.textContent = ns.innerHTML;
    document.title = doc.title;
    for (const name of ['lang', 'dir']) {
      const value = doc.documentElement.getAttribute(name);
      if (value !== null && document.documentElement.getAttribute(name) !== value) document.documentElement.setAttribute(name, value);
    }
    const oldMain = document.getElementById('main');
    const newMain = doc.getElementById('main');
    if (!oldMain || !newMain || oldMain.parentNode !== document.body || newMain.parentNode !== doc.body) {
      throw new Error('a page without <main> in <body>');
    }
    // Outside <main>: the new page's parts, in its order, each kept where it did not change.
    const oldParts = [...document.body.childNodes].filter((n) => n !== oldMain);
    const before = [];
    const after = [];
    let seenMain = false;
    for (const node of doc.body.childNodes) {
      if (node === newMain) seenMain = true;
      else if (node.nodeType === Node.ELEMENT_NODE) (seenMain ? after : before).push(node);
    }
    const reuse = (fresh) => {
      const i = oldParts.findIndex((old) => old.nodeType === Node.ELEMENT_NODE && old.outerHTML === fresh.outerHTML);
      return i >= 0 ? oldParts.splice(i, 1)[0] : document.importNode(fresh, true);
    };
    const head = before.map(reuse);
    const tail = after.map(reuse);
    for (const old of oldParts) old.remove();
    oldMain.before(...head);
    oldMain.after(...tail);
    replaceChildren(oldMain, newMain);
  }

  // The new <main>'s content replaces the old one's; an island that is the same in both (its
  // component and props) stays as it is. After a live refresh (SYNC_VALUES off) what someone
  // was typing is carried over, field by field, and so is the focus.
  function replaceChildren(oldParent, newParent) {
    const kept = new Map();
    for (const el of oldParent.querySelectorAll('leptos-island')) kept.set(islandKey(el), el);
    const typed = SYNC_VALUES ? [] : typedFields(oldParent);
    const focused = document.activeElement && oldParent.contains(document.activeElement) ? document.activeElement.id : '';
    const fresh = document.importNode(newParent, true);
    for (const island of fresh.querySelectorAll('leptos-island')) {
      const old = kept.get(islandKey(island));
      if (old) island.replaceWith(old);
    }
    oldParent.replaceChildren(...fresh.childNodes);
    for (const [key, value, checked] of typed) {
      const field = findField(oldParent, key);
      if (field && field.type !== 'file') {
        if (checked === null) field.value = value;
        else field.checked = checked;
      }
    }
    if (focused) document.getElementById(focused)?.focus({ preventScroll: true });
  }

  function islandKey(el) {
    return `${el.dataset.component}|${el.dataset.props}`;
  }

  // Fields whose value differs from the page's: [how to find it again, value, checked].
  function typedFields(root) {
    const out = [];
    for (const field of root.querySelectorAll('input, textarea, select')) {
      const key = field.id ? `#${field.id}` : field.form && field.name ? `${field.form.action}|${field.name}` : null;
      if (!key) continue;
      if (field.type === 'checkbox' || field.type === 'radio') {
        if (field.checked !== field.defaultChecked) out.push([key, null, field.checked]);
      } else if (field.tagName === 'SELECT') {
        if ([...field.options].some((o) => o.selected !== o.defaultSelected)) out.push([key, field.value, null]);
      } else if (field.value !== field.defaultValue) {
        out.push([key, field.value, null]);
      }
    }
    return out;
  }

  function findField(root, key) {
    if (key.startsWith('#')) return root.querySelector(key.replace(/^#(.*)$/, (_, id) => `#${CSS.escape(id)}`));
    const [action, name] = key.split('|');
    return [...root.querySelectorAll('input, textarea, select')].find((f) => f.name === name && f.form && f.form.action === action) || null;
  }

  // ---------- start ----------
  showActions();
  for (const island of document.querySelectorAll('leptos-island')) island.$$hydrated = false;
  hydrateIslands().then(ready, ready);

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(() => {});
  }
})();
