#!/usr/bin/env python3
"""First-visit bytes of every page, for every role that can open it, as the server sends them.

For each demo role it logs in through the login form, then walks the site from the home page the
way that person can (links two steps deep, same site, no files), and for every route (path with
numbers as `:id`, query ignored) adds up, brotli as sent (Accept-Encoding: br):
- the HTML,
- the CSS and the islands loader it names (`<link rel=stylesheet>`, `<script src>`),
- the icon sprite its `<svg><use>` elements name,
- the WASM and its JS glue, only when the page has an island (`<leptos-island`): that is what the
  loader fetches (app/src/shell/islands.js).

  route_bytes.py BASE                       prints a table and the JSON
  route_bytes.py BASE --check BUDGET.json   fails when a route is over its budget, a route has no
                                            budget, or a product target is missed
  route_bytes.py BASE --write BUDGET.json   writes budgets: today's bytes plus 10 % (at least 4 KB)

Used by `make test` (end2end/tests/budget.spec.ts, against the test server) and `make bench`.
"""
import http.cookiejar, json, math, re, sys, urllib.parse, urllib.request

ROLES = ["student", "teacher", "parent", "admin", "organiser", "expert"]
PASSWORD = "sabak2026"
# Addresses that are files, actions or other sites' business, never pages.
NOT_PAGES = re.compile(r"^/(api/|lang/|pkg/|materials/|tasks/files/|journal/export|contest/export/|ical/|live/|sw\.js|healthz|readyz)")
# Product targets (issue 15): every route, and the student's timetable (total and WASM).
MAX_ROUTE = 200_000
TIMETABLE_MAX = 150_000
TIMETABLE_WASM_MAX = 60_000


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener(jar, follow=True):
    handlers = [urllib.request.HTTPCookieProcessor(jar)]
    if not follow:
        handlers.append(NoRedirect())
    return urllib.request.build_opener(*handlers)


def fetch(op, url, base, encoding="br"):
    req = urllib.request.Request(url, headers={"Accept-Encoding": encoding, "Accept": "text/html", "Origin": base})
    with op.open(req, timeout=60) as resp:
        return resp.geturl(), resp.headers.get("Content-Type", ""), resp.read()


def log_in(base, login, strict=True):
    jar = http.cookiejar.CookieJar()
    op = opener(jar)
    data = urllib.parse.urlencode({"login": login, "password": PASSWORD, "next": "/"}).encode()
    req = urllib.request.Request(base + "/api/login", data=data, headers={
        "Accept": "text/html", "Origin": base, "Content-Type": "application/x-www-form-urlencoded"})
    op.open(req, timeout=60).read()
    if not any(c.name == "sabak_session" for c in jar):
        if strict:
            sys.exit(f"cannot log in as {login}")
        print(f"route_bytes: no {login} account here; its routes are left out")
        return None
    return op


def route_of(path):
    return re.sub(r"/\d+(?=/|$)", "/:id", path)


def links(html, base):
    out = []
    for attrs in re.findall(r"<a\b([^>]*)>", html):
        href = re.search(r'\bhref="([^"]+)"', attrs)
        rel = re.search(r'\brel="([^"]+)"', attrs)
        if not href or (rel and "external" in rel.group(1).split()) or "download" in attrs:
            continue
        url = urllib.parse.urljoin(base + "/", href.group(1).replace("&amp;", "&"))
        parts = urllib.parse.urlsplit(url)
        if parts.netloc != urllib.parse.urlsplit(base).netloc or NOT_PAGES.match(parts.path):
            continue
        out.append(urllib.parse.urlunsplit(("", "", parts.path, parts.query, "")))
    return out


class Sizes:
    def __init__(self, base):
        self.base = base
        self.static = {}

    def static_size(self, op, path):
        if path not in self.static:
            _, _, body = fetch(op, self.base + path, self.base)
            self.static[path] = len(body)
        return self.static[path]

    def page(self, op, path):
        # Once as sent (brotli) for its size, once plain to read it (no brotli module needed).
        final, ctype, body = fetch(op, self.base + path, self.base)
        if "text/html" not in ctype:
            return None
        html = fetch(op, self.base + path, self.base, "identity")[2].decode("utf-8", "replace")
        css = re.findall(r'<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"', html) + \
            re.findall(r'<link\b[^>]*href="([^"]+)"[^>]*rel="stylesheet"', html)
        script = re.search(r'<script\b[^>]*\bsrc="([^"]+)"[^>]*\bdata-js="([^"]+)"[^>]*\bdata-wasm="([^"]+)"', html)
        parts = {"html": len(body), "css": 0, "js": 0, "wasm": 0, "icons": 0}
        for href in dict.fromkeys(css):
            parts["css"] += self.static_size(op, href.replace("&amp;", "&"))
        if script:
            loader, js, wasm = (s.replace("&amp;", "&") for s in script.groups())
            parts["js"] += self.static_size(op, loader)
            if "<leptos-island" in html:
                parts["js"] += self.static_size(op, js)
                parts["wasm"] += self.static_size(op, wasm)
        # The audio recorder's script, which the loader fetches for a page with a recorder.
        recorder = re.search(r'\bdata-recorder="[^"]*"[^>]*\bdata-script="([^"]+)"', html)
        if recorder:
            parts["js"] += self.static_size(op, recorder.group(1).replace("&amp;", "&"))
        # The icon sprite the page's <svg><use href="…#name"> point into (one file for all icons).
        sprite = re.search(r'<use\b[^>]*\bhref="([^"#]+)#', html)
        if sprite:
            parts["icons"] += self.static_size(op, sprite.group(1).replace("&amp;", "&"))
        parts["total"] = sum(parts.values())
        return urllib.parse.urlsplit(final).path, html, parts


def measure(base, strict=True):
    sizes = Sizes(base)
    result = {}
    anonymous = opener(http.cookiejar.CookieJar())
    for path in ["/login", "/register"]:
        _, _, parts = sizes.page(anonymous, path)
        result[f"anyone {path}"] = parts
    for role in ROLES:
        op = log_in(base, role, strict)
        if op is None:
            continue
        seen_routes, frontier = set(), ["/"]
        for depth in range(3):
            following = []
            for path in frontier:
                route = route_of(urllib.parse.urlsplit(path).path)
                if route in seen_routes:
                    continue
                page = sizes.page(op, path)
                if page is None:
                    continue
                final_path, html, parts = page
                if route_of(final_path) != route:
                    continue  # sent elsewhere (login, another page): not this role's page
                seen_routes.add(route)
                result[f"{role} {route}"] = parts
                if depth < 2:
                    following += links(html, base)
            frontier = list(dict.fromkeys(following))
    return result


def budget_for(total):
    """Today's bytes plus room for the page's own data to grow while the suite runs (notices sent,
    entries added): 10 %, and at least 4 KB, rounded up to a thousand. Far less than the WASM a
    page without islands must never fetch (112 KB); the files themselves are held to the byte by
    scripts/byte_budget.py."""
    return int(math.ceil(max(total * 1.10, total + 4000) / 1000) * 1000)


def table(result):
    print(f"{'route':44} {'html':>8} {'css':>7} {'js':>7} {'wasm':>8} {'total':>8}")
    for key in sorted(result):
        p = result[key]
        print(f"{key:44} {p['html']:>8} {p['css']:>7} {p['js']:>7} {p['wasm']:>8} {p['total']:>8}")


def check(result, budget_file):
    budget = json.load(open(budget_file))
    problems = []
    for key, parts in sorted(result.items()):
        limit = budget.get(key)
        if limit is None:
            problems.append(f"{key}: no budget (add it to {budget_file}: --write proposes one)")
        elif parts["total"] > limit:
            problems.append(f"{key}: {parts['total']} bytes, budget {limit} (+{parts['total'] - limit})")
        if parts["total"] > MAX_ROUTE:
            problems.append(f"{key}: {parts['total']} bytes, over the {MAX_ROUTE} every route must keep to")
    tt = result.get("student /timetable")
    if tt is None:
        problems.append("student /timetable was not reached")
    else:
        if tt["total"] > TIMETABLE_MAX:
            problems.append(f"student /timetable: {tt['total']} bytes, target {TIMETABLE_MAX}")
        if tt["wasm"] > TIMETABLE_WASM_MAX:
            problems.append(f"student /timetable: {tt['wasm']} bytes of WASM, target {TIMETABLE_WASM_MAX}")
    return problems


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    base = args[0].rstrip("/")
    result = measure(base)
    table(result)
    if "--write" in args:
        path = args[args.index("--write") + 1]
        budgets = {k: budget_for(v["total"]) for k, v in sorted(result.items())}
        json.dump(budgets, open(path, "w"), indent=1, ensure_ascii=False, sort_keys=True)
        open(path, "a").write("\n")
        print(f"wrote {len(budgets)} budgets to {path}")
    if "--check" in args:
        problems = check(result, args[args.index("--check") + 1])
        for p in problems:
            print("OVER BUDGET:", p)
        if problems:
            sys.exit(1)
        print(f"{len(result)} routes within their budgets")
    if "--json" in args:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
